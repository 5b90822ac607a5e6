"""The SBP / SoftPOS flow between the order screen, the QR screen and the result screen.

``RemotePaymentFlow.start(order, method)`` shows «Подождите...» while the gateway registers the
payment, then the QR code; the polling (``RemotePaymentService.watch``) runs while the QR screen
is shown and is cancelled when it is left. Approved → ``paid`` (the main window shows the paid
result and the receipt follows as for cash); Declined or Timeout → the reason and «Повторить»;
after ``other_method_after_s`` In Process (or a failure) «Другой способ оплаты» returns to the
order, whose attempt is then left to the sync worker (a late approval is flagged for refund).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState, PaymentMethod
from desktop_pos.models.texts import Language
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus
from desktop_pos.services.remote_payment import PollUpdate, RemotePayment, RemotePaymentService
from desktop_pos.ui import crash
from desktop_pos.ui.qr_code_widget import qr_matrix
from desktop_pos.ui.qr_payment_screen import QrPaymentScreen
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    import asyncio

log = logging.getLogger(__name__)

OTHER_METHOD_AFTER_S = 40.0
"""How long a payment stays In Process before «Другой способ оплаты» is offered; the QR code
stays on the screen at least this long (or until paid)."""


class RemotePaymentFlow(QObject):
    """Drives one ``QrPaymentScreen``. Signals: ``paid(PaymentResult)``, ``left()`` (back to the
    order, e.g. to take another method) and ``screen_needed()`` (show the QR screen)."""

    paid = Signal(object)
    left = Signal()
    screen_needed = Signal()

    def __init__(
        self,
        service: RemotePaymentService,
        screen: QrPaymentScreen,
        *,
        language: Language,
        parent: QObject | None = None,
        other_method_after_s: float = OTHER_METHOD_AFTER_S,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._screen = screen
        self._language = language
        self._order: Order | None = None
        self._method = PaymentMethod.SBP
        self._payment: RemotePayment | None = None
        self._watch: asyncio.Task[Any] | None = None
        self._register: asyncio.Task[Any] | None = None
        self._other_method_timer = QTimer(self)
        self._other_method_timer.setSingleShot(True)
        self._other_method_timer.setInterval(int(other_method_after_s * 1000))
        self._other_method_timer.timeout.connect(
            lambda: self._screen.set_other_method_allowed(True)
        )
        screen.other_method_requested.connect(self.choose_other_method)
        screen.retry_requested.connect(self.retry)

    @property
    def screen(self) -> QrPaymentScreen:
        return self._screen

    @property
    def payment(self) -> RemotePayment | None:
        """The payment on the screen (registered), if any."""
        return self._payment

    @property
    def polling(self) -> bool:
        return self._watch is not None and not self._watch.done()

    def set_other_method_after(self, seconds: float) -> None:
        """How long a payment stays In Process before «Другой способ оплаты» is offered."""
        self._other_method_timer.setInterval(int(seconds * 1000))

    @property
    def service(self) -> RemotePaymentService:
        return self._service

    def set_language(self, language: Language) -> None:
        self._language = language
        self._screen.set_language(language)

    def start(self, order: Order, method: PaymentMethod) -> None:
        """Register ``method`` for ``order`` and show its QR code."""
        if self._register is not None and not self._register.done():
            return
        self.stop_polling()
        self._order, self._method, self._payment = order, method, None
        self._screen.show_waiting(order, method)
        self.screen_needed.emit()
        self._register = run_task(
            self._service.start(order, method),
            on_success=self._registered,
            on_error=self._not_registered,
            language=self._language,
        )

    def _registered(self, payment: RemotePayment) -> None:
        if not shiboken6.isValid(self._screen):
            return
        self._payment = payment
        self._watch = run_task(
            self._show_and_watch(payment),
            on_success=self._finished,
            language=self._language,
        )

    async def _show_and_watch(self, payment: RemotePayment) -> PollUpdate:
        """Make the QR code off the loop, show it, then poll until the payment is final."""
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="qr-code") as pool:
            await asyncio.get_running_loop().run_in_executor(pool, qr_matrix, payment.qr_payload)
        self._screen.show_payment(payment)  # the matrix is cached: no encoding on the loop
        self._other_method_timer.start()
        return await self._service.watch(payment, self._on_update)

    def _not_registered(self, error: BaseException) -> None:
        from desktop_pos.models.errors import UserFacingError

        log.info("payment not registered: %s", error)
        self.left.emit()
        if isinstance(error, UserFacingError):
            parent = self._screen.window() if shiboken6.isValid(self._screen) else None
            crash.show_user_error(
                parent if isinstance(parent, QWidget) else None, error, self._language
            )

    def _on_update(self, update: PollUpdate) -> None:
        if shiboken6.isValid(self._screen):
            self._screen.set_update(update)

    def _finished(self, update: PollUpdate) -> None:
        self._other_method_timer.stop()
        payment, order = self._payment, self._order
        if payment is None or order is None:
            return
        if update.state is OrderState.APPROVED and not update.refund_flagged:
            self._screen.stop()
            self.paid.emit(self._service.result_of(payment, order, update))

    def retry(self) -> None:
        """«Повторить» after Declined or Timeout: a new attempt of the same method."""
        if self._order is not None:
            self.start(self._order, self._method)

    def choose_other_method(self) -> None:
        """«Другой способ оплаты»: back to the order; an In Process payment is left to the sync
        worker (its late approval is flagged for refund, never counted)."""
        payment = self._payment
        still_open = payment is not None and self._screen_state_open()
        self.stop_polling()
        if payment is not None and still_open:
            run_task(
                self._service.abandon(payment),
                on_success=lambda _none: self.left.emit(),
                language=self._language,
            )
        else:
            self.left.emit()

    def _screen_state_open(self) -> bool:
        update = self._screen.last_update()
        return update is None or not update.state.is_final

    def stop_polling(self) -> None:
        """The QR screen is left: no more polling, no indicator."""
        self._other_method_timer.stop()
        if self._watch is not None and not self._watch.done():
            self._watch.cancel()
        self._watch = None
        if shiboken6.isValid(self._screen):
            self._screen.stop()


def build_payment_flow(
    stack: QStackedWidget,
    checkout: CheckoutService,
    events: EventBus,
    language: Language,
    *,
    other_method_after_s: float = OTHER_METHOD_AFTER_S,
) -> RemotePaymentFlow:
    """The QR screen in ``stack`` and its flow; polling stops whenever the screen is left."""
    service = RemotePaymentService(checkout, events, checkout.clock, source=checkout.source)
    screen = QrPaymentScreen(stack, language=language)
    stack.addWidget(screen)
    flow = RemotePaymentFlow(
        service, screen, language=language, parent=stack, other_method_after_s=other_method_after_s
    )
    flow.screen_needed.connect(lambda: stack.setCurrentWidget(screen))

    def current_changed(_index: int) -> None:
        if stack.currentWidget() is not screen:
            flow.stop_polling()

    stack.currentChanged.connect(current_changed)
    return flow
