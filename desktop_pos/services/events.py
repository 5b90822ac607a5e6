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

from desktop_pos.models.payment import FiscalState, OrderState, PaymentMethod
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import LocalizedText

log = logging.getLogger(__name__)

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class SaleCompleted:
    """A payment finished and was stored."""

    result: PaymentResult


@dataclass(frozen=True, slots=True)
class SyncStatusChanged:
    """The sync worker's view of the gateway changed.

    Published when reachability changes, when the number of pending items (outbox entries not
    done plus payment attempts In Process of the last 3 days) changes, or when the last error
    changes. ``online`` is False while the gateway is unreachable; ``last_error`` is the newest
    problem with the gateway (None once an exchange succeeds).
    """

    online: bool
    pending: int
    last_error: LocalizedText | None


@dataclass(frozen=True, slots=True)
class SyncNotification:
    """One tray notification about an order the sync worker settled (texts: ``notification_*``)."""

    order_number: str
    text: LocalizedText


@dataclass(frozen=True, slots=True)
class OrderStateChanged:
    """An order's stored state or fiscal state changed in the background (journal refresh)."""

    order_number: str
    state: OrderState
    fiscal_state: FiscalState | None


NOTIFICATION_TITLE = LocalizedText("Синхронизация с сервером", "Synchronization with the server")
"""The heading of the sync notifications (as the Android app shows them)."""
_FISCAL_SENT = LocalizedText(
    "Фискальный документ для заказа №{number} передан в Ассист",
    "The fiscal document for order No. {number} has been sent to Assist",
)
_ORDER_UPLOADED = LocalizedText(
    "Заказ №{number} успешно передан на сервер. Дата и время проведения заказа обновлены",
    "Order No. {number} has been sent to the server. The order date and time have been updated",
)
_STATE_CHANGED = LocalizedText(
    'Статус заказа №{number} изменился на "{state}"',
    'The status of order No. {number} changed to "{state}"',
)


_LATE_APPROVAL = LocalizedText(
    "Заказ №{number} оплачен повторно ({method}) после оплаты другим способом. Платеж отмечен"
    " в журнале для возврата покупателю",
    "Order No. {number} was paid again ({method}) after another method had paid it. The payment"
    " is flagged in the journal for a refund to the buyer",
)


def notification_late_approval(number: str, method: PaymentMethod) -> SyncNotification:
    """An SBP/SoftPOS payment approved after another method completed the order."""
    return SyncNotification(
        number,
        LocalizedText(
            _LATE_APPROVAL.ru.format(number=number, method=method.result_text.ru),
            _LATE_APPROVAL.en.format(number=number, method=method.result_text.en),
        ),
    )


def notification_fiscal_sent(number: str) -> SyncNotification:
    return SyncNotification(number, _FISCAL_SENT.format(number=number))


def notification_order_uploaded(number: str) -> SyncNotification:
    return SyncNotification(number, _ORDER_UPLOADED.format(number=number))


def notification_state_changed(number: str, state: OrderState) -> SyncNotification:
    """The state is shown with Assist's name (``Approved``), as in the Android app."""
    return SyncNotification(number, _STATE_CHANGED.format(number=number, state=state.value))


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
