"""The card payment at the counter: «Картридер» (F6) → the reader → ПРОВЕДЕНИЕ ПЛАТЕЖА → РЕЗУЛЬТАТ.

``CardPaymentFlow.start(order)``:

1. the order is checked first («already paid» / «still processing» are said at once, on the order
   screen);
2. the connection panel (``ReaderConnectPanel``): the connected reader, else «Соединение с
   последним подключённым картридером …», else the search and the seed's dialogs;
3. connected: a reader that needs a required firmware update blocks the payment and the update
   is offered (``FirmwareUpdateController``); otherwise ПРОВЕДЕНИЕ ПЛАТЕЖА starts the payment at
   once (``CardPaymentService.pay``) with ``FlowUi`` as its ``CardPaymentUi``: the reader's texts
   in the log, «Выберите платёжную систему» for a co-badged card on a QPOS-like reader, the
   signature pad over the whole screen (the PNG is encoded on a worker thread), the low-battery
   banner;
4. the outcome: Approved → РЕЗУЛЬТАТ with the card slip's data, the slip printed; Declined → the
   reason and «Повторить оплату» (a new attempt of the same order); In Process → «В процессе»
   with the refresh indicator while ``CardPaymentService.watch`` polls until final; cancelled,
   card removed, reader lost, Esc → a message and back to the order (never a stuck screen).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from desktop_pos.hardware.reader.messages import (
    CardApplication,
    CardRead,
    CvmResult,
    DisplayText,
    FaultCode,
)
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import Order
from desktop_pos.models.payment import OrderState
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.services.card_payment import CardPaymentOutcome, CardPaymentService
from desktop_pos.services.remote_payment import PollUpdate
from desktop_pos.ui.application_choice_dialog import ApplicationChoiceDialog
from desktop_pos.ui.card_payment_screen import CardPaymentScreen
from desktop_pos.ui.card_result_screen import CardResultScreen, CardResultView
from desktop_pos.ui.payment_flow import OTHER_METHOD_AFTER_S
from desktop_pos.ui.reader_dialogs import ReaderConnectPanel
from desktop_pos.ui.signature_ink import Stroke, encode_signature
from desktop_pos.ui.signature_pad import SignaturePad
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop_pos.hardware.reader.ble_link import ReaderLink
    from desktop_pos.services.card_reader import ReaderManager
    from desktop_pos.services.receipt_printing import ReceiptPrinting
    from desktop_pos.ui.firmware_dialog import FirmwareUpdateController

log = logging.getLogger(__name__)

CANCELLED_BY_CASHIER = LocalizedText(
    "Оплата картой отменена. Заказ не оплачен.",
    "The card payment was cancelled. The order is not paid.",
)
FIRMWARE_BLOCKS = LocalizedText(
    "Картридеру требуется обновление прошивки: без него оплата картой невозможна. Обновите "
    "прошивку или выберите другой способ оплаты.",
    "The card reader needs a firmware update: card payments are impossible without it. Update "
    "the firmware or choose another payment method.",
)
AUTHORIZING = LocalizedText(
    "Запрос авторизации отправлен в банк.", "The authorization request was sent to the bank."
)


class _AsyncSignaturePad(SignaturePad):
    """The pad whose ✓ hands over the strokes, not the PNG: the flow encodes them off the GUI
    thread (a long signature takes tens of milliseconds to fit in 4000 characters)."""

    signed = Signal(object)
    """``list[Stroke]`` on ✓."""

    def confirm(self) -> None:
        if self.has_signature():
            self.signed.emit(self.canvas().strokes())


def _encode(strokes: list[Stroke]) -> str:
    return encode_signature(strokes)


class FlowUi:
    """``CardPaymentUi`` on the flow's screens; the awaited dialogs close when cancelled."""

    def __init__(self, flow: CardPaymentFlow) -> None:
        self._flow = flow

    @property
    def _screen(self) -> CardPaymentScreen:
        return self._flow.payment_screen

    def reader_text(self, message: DisplayText) -> None:
        if shiboken6.isValid(self._screen):
            self._screen.append_reader_text(message)

    def card_read(self, card: CardRead) -> None:
        if shiboken6.isValid(self._screen):
            self._screen.show_card(card)

    def cvm_chosen(self, result: CvmResult) -> None:
        if shiboken6.isValid(self._screen):
            self._screen.show_cvm(result.cvm)

    def authorizing(self) -> None:
        if shiboken6.isValid(self._screen):
            self._screen.set_cancel_enabled(False)
            self._screen.append_log(AUTHORIZING)

    def low_battery(self, level: int) -> None:
        if shiboken6.isValid(self._screen):
            self._screen.set_battery(level, True)

    async def choose_application(self, apps: Sequence[CardApplication]) -> CardApplication | None:
        dialog = ApplicationChoiceDialog(apps, self._screen.window())
        self._flow.application_dialog = dialog
        answer: asyncio.Future[CardApplication | None] = asyncio.get_running_loop().create_future()

        def finished(_result: int) -> None:
            if not answer.done():
                answer.set_result(dialog.chosen())

        dialog.finished.connect(finished)
        dialog.open()
        try:
            return await answer
        finally:
            self._flow.application_dialog = None
            if shiboken6.isValid(dialog):
                if dialog.isVisible():
                    dialog.reject()
                dialog.deleteLater()

    async def collect_signature(self) -> str | None:
        pad = _AsyncSignaturePad()
        self._flow.signature_pad = pad
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[list[Stroke] | None] = loop.create_future()

        def settle(value: list[Stroke] | None) -> None:
            if not answer.done():
                answer.set_result(value)

        pad.signed.connect(settle)
        pad.cancelled.connect(lambda: settle(None))
        self._screen.show_signature(pad)
        self._screen.window().activateWindow()  # the buyer's ✓ / ✗ keys, not the demo panel's
        try:
            strokes = await answer
            if strokes is None:
                log.info("signature: ✗ pressed")
                return None
            pad.setEnabled(False)  # encoding: no more strokes
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="signature") as pool:
                url = await loop.run_in_executor(pool, _encode, strokes)
            log.info("signature: %d characters", len(url))
            return url
        finally:
            self._flow.signature_pad = None
            if shiboken6.isValid(self._screen):
                self._screen.hide_signature()
            if shiboken6.isValid(pad):
                pad.deleteLater()


class CardPaymentFlow(QObject):
    """Drives the card payment between the window's screens (see the module docstring).

    Signals: ``left`` (back to the order, unpaid), ``new_order_requested``, ``paid(outcome)``,
    ``screen_changed`` (the window updates its title)."""

    left = Signal()
    new_order_requested = Signal()
    paid = Signal(object)
    screen_changed = Signal()

    def __init__(
        self,
        stack: QStackedWidget,
        manager: ReaderManager,
        service: CardPaymentService,
        *,
        language: Language = Language.RU,
        firmware: FirmwareUpdateController | None = None,
        printing: Any = None,
        leave_after_s: float = OTHER_METHOD_AFTER_S,
    ) -> None:
        """``printing()`` returns the ``ReceiptPrinting`` (or None while it is not ready);
        ``leave_after_s``: how long In Process stays before «Новый заказ» is offered."""
        super().__init__(stack)
        self._stack = stack
        self._manager = manager
        self.service = service
        self._language = Language(language)
        self._firmware = firmware
        self._printing = printing
        self._order: Order | None = None
        self._task: asyncio.Task[Any] | None = None
        self._watch: asyncio.Task[Any] | None = None
        self._outcome: CardPaymentOutcome | None = None
        self.application_dialog: QWidget | None = None
        self.signature_pad: SignaturePad | None = None
        self.message_box: QMessageBox | None = None
        self._cancel_asked = False

        self.connect_page = QWidget(stack)
        self.connect_page.setObjectName("readerConnectPage")
        self.connect_panel = ReaderConnectPanel(manager, self.connect_page, language=language)
        page_layout = QVBoxLayout(self.connect_page)
        page_layout.addStretch(1)
        page_layout.addWidget(self.connect_panel, 0, Qt.AlignmentFlag.AlignHCenter)
        page_layout.addStretch(2)
        self.payment_screen = CardPaymentScreen(stack, language=language)
        self.result_screen = CardResultScreen(stack, language=language)
        for page in (self.connect_page, self.payment_screen, self.result_screen):
            stack.addWidget(page)
        self._leave_timer = QTimer(self)
        self._leave_timer.setSingleShot(True)
        self._leave_timer.setInterval(int(leave_after_s * 1000))
        self._leave_timer.timeout.connect(lambda: self.result_screen.set_leave_allowed(True))

        self.connect_panel.connected.connect(self._connected)
        self.connect_panel.cancelled.connect(self._back_to_order)
        self.connect_panel.other_method_requested.connect(self._back_to_order)
        self.payment_screen.cancel_requested.connect(self.cancel)
        self.result_screen.retry_requested.connect(self.retry)
        self.result_screen.other_method_requested.connect(self._back_to_order)
        self.result_screen.new_order_requested.connect(self._new_order)
        self.result_screen.print_slip_requested.connect(lambda: self.print_slip())
        stack.currentChanged.connect(self._screen_left)

    # -- state --------------------------------------------------------------------------------
    @property
    def paying(self) -> bool:
        """The order is being checked or the reader runs the transaction (do not close)."""
        return self._task is not None and not self._task.done()

    @property
    def polling(self) -> bool:
        return self._watch is not None and not self._watch.done()

    @property
    def outcome(self) -> CardPaymentOutcome | None:
        return self._outcome

    def pages(self) -> tuple[QWidget, ...]:
        return (self.connect_page, self.payment_screen, self.result_screen)

    def title_for(self, page: QWidget | None) -> LocalizedText | None:
        if page is self.result_screen:
            return LocalizedText("РЕЗУЛЬТАТ", "RESULT")
        if page in (self.connect_page, self.payment_screen):
            return LocalizedText("ОПЛАТА", "PAYMENT")
        return None

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self.connect_panel.set_language(self._language)
        self.payment_screen.set_language(self._language)
        self.result_screen.set_language(self._language)

    # -- the steps ----------------------------------------------------------------------------
    def start(self, order: Order) -> None:
        """«Картридер»: check the order, connect the reader, take the card."""
        if self.paying:
            return
        self.stop_polling()
        self._order, self._outcome = order, None
        self._cancel_asked = False
        log.info("order %s: card payment requested", order.number)
        busy = self._stack.currentWidget()
        self._task = run_task(
            self.service.check_payable(order),
            on_success=lambda _none: self._connect(),
            on_error=self._refused,
            busy=busy,
            language=self._language,
        )

    def _connect(self) -> None:
        self._task = None
        if not shiboken6.isValid(self._stack):
            return
        link = self._manager.link
        if self._manager.connected and link is not None:
            # the reader is connected already: straight to the payment, no connection page
            # switched to and away from in the same moment
            log.info("reader %s connected", link.serial)
            self._pay_with(link)
            return
        self._show(self.connect_page)
        self.connect_panel.setFocus(Qt.FocusReason.OtherFocusReason)
        self.connect_panel.start()

    def _connected(self, link: ReaderLink) -> None:
        if self._stack.currentWidget() is self.connect_page:
            self._pay_with(link)

    def _pay_with(self, link: ReaderLink) -> None:
        order = self._order
        if order is None:
            return
        update = link.info.firmware_update if link.info is not None else None
        if update is not None and update.required:
            self._firmware_blocks()
            return
        screen = self.payment_screen
        screen.start(order)
        if link.battery_level <= 15 and not link.charging:
            screen.set_battery(link.battery_level, True)
        self._show(screen)
        screen.setFocus(Qt.FocusReason.OtherFocusReason)
        task = run_task(
            self.service.pay(order, link, FlowUi(self)),
            on_success=self._finished,
            on_error=self._pay_failed,
            language=self._language,
        )
        task.add_done_callback(self._pay_task_done)
        self._task = task

    def _pay_task_done(self, task: asyncio.Task[Any]) -> None:
        if task.cancelled() and shiboken6.isValid(self):
            self._task = None
            self._back_to_order(CANCELLED_BY_CASHIER, box=False)

    def cancel(self) -> None:
        """«Отменить оплату» / Esc: the reader is told; the outcome follows from ``pay``."""
        if not self.paying:
            self._back_to_order()
            return
        if not self.service.busy:  # the order is still being checked: nothing runs yet
            assert self._task is not None
            self._task.cancel()
            return
        self.payment_screen.set_cancel_enabled(False)
        self._cancel_asked = True
        run_task(self.service.cancel(), on_success=lambda _none: None, language=self._language)

    def retry(self) -> None:
        """«Повторить оплату»: a new attempt of the same order."""
        order = self._outcome.order if self._outcome is not None else self._order
        if order is not None:
            log.info("order %s: card payment retried", order.number)
            self.start(order)

    # -- outcomes -----------------------------------------------------------------------------
    def _finished(self, outcome: CardPaymentOutcome) -> None:
        self._task = None
        self._outcome = outcome
        if not shiboken6.isValid(self.result_screen):
            return
        state = outcome.state
        if state is OrderState.CANCELED or (outcome.result is None and not outcome.pin_error):
            reason = outcome.reason or CANCELLED_BY_CASHIER
            # Esc needs no box to confirm it; the reader's or the buyer's ending does.
            self._back_to_order(reason, box=not self._cancel_asked)
            return
        self._show_result(outcome)
        if state is OrderState.APPROVED:
            self.print_slip(first=True)
            self.paid.emit(outcome)
        elif state is OrderState.IN_PROCESS:
            self._leave_timer.start()
            self._watch = run_task(
                self.service.watch(outcome, self._on_poll),
                on_success=self._finished,
                language=self._language,
            )

    def _show_result(self, outcome: CardPaymentOutcome) -> None:
        order, result = outcome.order, outcome.result
        view = CardResultView(
            order_number=order.number,
            state=outcome.state,
            amount=result.amount if result is not None else order.due,
            date=result.order_date if result is not None else datetime.now().astimezone(),
            transaction_number=result.transaction_number if result is not None else "",
            reason=outcome.reason,
            card=outcome.payment,
            retry_allowed=outcome.retry_allowed,
        )
        self.result_screen.show_view(view)
        self._show(self.result_screen)

    def _on_poll(self, update: PollUpdate) -> None:
        log.debug("card payment poll: %s", update.state.value)

    def _pay_failed(self, error: BaseException) -> None:
        self._task = None
        if getattr(error, "code", None) is FaultCode.FIRMWARE_UPDATE_REQUIRED:
            self._firmware_blocks()
            return
        text = error.text if isinstance(error, UserFacingError) else CANCELLED_BY_CASHIER
        self._back_to_order(text)

    def _refused(self, error: BaseException) -> None:
        """The order cannot be paid by card now (already paid, still processing, no server)."""
        self._task = None
        if isinstance(error, UserFacingError):
            self._message(error.text)

    def _firmware_blocks(self) -> None:
        log.info("card payment blocked: the reader needs a required firmware update")
        self._back_to_order(FIRMWARE_BLOCKS, box=self._firmware is None)
        if self._firmware is not None:
            self._firmware.offer()

    # -- printing -----------------------------------------------------------------------------
    def _receipt_printing(self) -> ReceiptPrinting | None:
        printing = self._printing() if callable(self._printing) else self._printing
        return printing if printing is not None and printing.configured else None

    def print_slip(self, *, first: bool = False) -> asyncio.Task[Any] | None:
        """Print the card slip of the outcome on the screen (a copy after the first)."""
        outcome, printing = self._outcome, self._receipt_printing()
        if outcome is None or not outcome.attempt_id:
            return None
        window = self._stack.window()
        if printing is None:
            if not first:
                self._status(LocalizedText("Принтер не настроен.", "No printer is set up."))
            return None
        number = outcome.order.number

        def printed(report: Any) -> None:
            self._status(
                LocalizedText(  # what happened first: the status bar cuts a long text at its end
                    f"Напечатан слип по заказу № {number}.",
                    f"Printed: the card slip of order No. {number}.",
                )
                if report.confirmed
                else report.message
            )

        def failed(error: BaseException) -> None:
            if isinstance(error, UserFacingError) and shiboken6.isValid(window):
                from desktop_pos.ui.crash import show_user_error

                self._status(error.text)
                show_user_error(window, error, self._language)

        return run_task(
            printing.print_card_slip(number, outcome.attempt_id),
            on_success=printed,
            on_error=failed,
            language=self._language,
        )

    # -- navigation ---------------------------------------------------------------------------
    def _show(self, page: QWidget) -> None:
        if not shiboken6.isValid(self._stack):
            return
        self._stack.setCurrentWidget(page)
        if page is not self.payment_screen:  # e.g. the demo panel had the keys meanwhile
            self._stack.window().activateWindow()
        self.screen_changed.emit()

    def _back_to_order(self, message: LocalizedText | None = None, *, box: bool = True) -> None:
        if not shiboken6.isValid(self._stack):
            return
        self.connect_panel.stop()
        self.stop_polling()
        self.left.emit()
        self._stack.window().activateWindow()  # F5…F8 work at once (not in the demo panel)
        if message is not None:
            self._status(message)
            if box:
                self._message(message)

    def _new_order(self) -> None:
        self.stop_polling()
        self.new_order_requested.emit()

    def _status(self, text: LocalizedText) -> None:
        if not shiboken6.isValid(self._stack):  # the window closed meanwhile
            return
        window = self._stack.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text.get(self._language), 10_000)

    def _message(self, text: LocalizedText) -> None:
        """A box the cashier closes with Enter; the window keeps running behind it."""
        if not shiboken6.isValid(self._stack):
            return
        window = self._stack.window()
        if self.message_box is not None and shiboken6.isValid(self.message_box):
            self.message_box.close()
        title = QCoreApplication.translate("CardPaymentFlow", "Оплата картой")
        box = QMessageBox(QMessageBox.Icon.Information, title, "", parent=window)
        box.setObjectName("cardPaymentMessage")
        box.setText(text.get(self._language))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.finished.connect(lambda _result: window.activateWindow())
        self.message_box = box
        box.open()

    def _screen_left(self, _index: int) -> None:
        if self._stack.currentWidget() is not self.result_screen:
            self.stop_polling()

    def stop_polling(self) -> None:
        self._leave_timer.stop()
        if self._watch is not None and not self._watch.done():
            self._watch.cancel()
        self._watch = None
        if shiboken6.isValid(self.result_screen):
            self.result_screen.stop()

    def stop(self) -> None:
        """The window closes: nothing is left running (a payment is cancelled on the reader)."""
        self.connect_panel.stop()
        self.stop_polling()
        if self.paying and not self.service.busy and self._task is not None:
            self._task.cancel()  # only the order check runs
        elif self.paying:
            run_task(self.service.cancel(), on_success=lambda _none: None)
