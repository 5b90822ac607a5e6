"""A small publish/subscribe bus for plain event objects.

Services publish from whatever thread they run on; subscribers are called on that thread. The UI
subscribes through one bridge (``desktop_pos.ui.event_bridge``) that re-emits each event as a Qt
signal, so widgets always handle events on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from desktop_pos.models.result import PaymentResult

log = logging.getLogger(__name__)

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class SaleCompleted:
    """A payment finished and was stored."""

    result: PaymentResult


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[type[Any], list[Callable[[Any], None]]] = {}

    def subscribe(self, event_type: type[E], callback: Callable[[E], None]) -> Callable[[], None]:
        """Call ``callback`` for each published ``event_type``; returns an unsubscriber."""
        with self._lock:
            self._subscribers.setdefault(event_type, []).append(callback)

        def unsubscribe() -> None:
            with self._lock:
                callbacks = self._subscribers.get(event_type, [])
                if callback in callbacks:
                    callbacks.remove(callback)

        return unsubscribe

    def publish(self, event: object) -> None:
        with self._lock:
            callbacks = list(self._subscribers.get(type(event), []))
        for callback in callbacks:
            try:
                callback(event)
            except Exception:  # one broken subscriber must not stop the others
                log.exception("event subscriber failed for %s", type(event).__name__)
