"""Service events as Qt signals on the GUI thread.

Services publish plain events on an ``EventBus`` from whatever thread they run on (the store
thread, the sync worker). Widgets must only be touched on the GUI thread, so the bridge receives
each event through a private signal: emitted from another thread it is queued (Qt picks a queued
connection because the bridge lives on the GUI thread) and re-emitted there as a public signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop_pos.services.events import (
    EventBus,
    OrderStateChanged,
    SaleCompleted,
    SyncNotification,
    SyncStatusChanged,
)

log = logging.getLogger(__name__)


class EventBridge(QObject):
    """Subscribes to ``events`` and re-emits what the UI cares about as Qt signals."""

    sale_completed = Signal(object)
    """A ``PaymentResult`` (from ``SaleCompleted``), delivered on the GUI thread."""

    sync_status_changed = Signal(object)
    """A ``SyncStatusChanged``: reachability of the gateway and the pending count."""
    sync_notification = Signal(object)
    """A ``SyncNotification``: one tray notification about an order the sync worker settled."""
    order_state_changed = Signal(object)
    """An ``OrderStateChanged``: an order's stored state changed in the background."""

    _event_arrived = Signal(object)

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._event_arrived.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._unsubscribers: list[Callable[[], None]] = [
            events.subscribe(SaleCompleted, self._event_arrived.emit),
            events.subscribe(SyncStatusChanged, self._event_arrived.emit),
            events.subscribe(SyncNotification, self._event_arrived.emit),
            events.subscribe(OrderStateChanged, self._event_arrived.emit),
        ]
        unsubscribers = self._unsubscribers
        # A bridge deleted with its parent must stop receiving: the bus would call into a
        # deleted C++ object. ``close`` is the normal path; this one covers a forgotten close.
        self.destroyed.connect(lambda *_: _unsubscribe_all(unsubscribers))

    def close(self) -> None:
        """Stop listening to the bus (the app's shutdown)."""
        _unsubscribe_all(self._unsubscribers)

    @Slot(object)
    def _dispatch(self, event: object) -> None:
        if isinstance(event, SaleCompleted):
            log.debug("sale completed: order %s", event.result.order_number)
            self.sale_completed.emit(event.result)
        elif isinstance(event, SyncStatusChanged):
            log.debug("sync status: online=%s, pending=%s", event.online, event.pending)
            self.sync_status_changed.emit(event)
        elif isinstance(event, SyncNotification):
            log.debug("sync notification for order %s", event.order_number)
            self.sync_notification.emit(event)
        elif isinstance(event, OrderStateChanged):
            log.debug("order %s is now %s", event.order_number, event.state)
            self.order_state_changed.emit(event)


def _unsubscribe_all(unsubscribers: list[Callable[[], None]]) -> None:
    while unsubscribers:
        unsubscribers.pop()()
