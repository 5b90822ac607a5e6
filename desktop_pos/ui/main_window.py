"""The counter's main window: a header, the order screen and the result screen.

Flow of a cash sale: «Наличные» (F5) on the order screen → «ПОДСЧЕТ СДАЧИ» (opened with
``open()``, so nothing blocks) → ✓ stores the sale through ``CheckoutService.pay_cash`` on the
qasync loop while the window is busy → «РЕЗУЛЬТАТ». ✗ leaves the order as it was. «Новый заказ»
on the result screen starts a fresh order. «СБП» (F7) and «SoftPOS» (F8) go through the QR screen
(``ui/payment_flow.py``) to the same «РЕЗУЛЬТАТ».

Printing (``ui/print_actions.py``): «Печать чека» opens the receipt preview, a stored cash sale
opens the cash drawer, fiscal data arriving for a sale whose slip was printed print its fiscal
receipt, and «Настройки → Принтер…» edits the printer. The printing services are handed over with
``set_printing`` once they are loaded (after the first frame).

Sync with the gateway: the status bar shows «В сети» / «Нет связи» and «К отправке: N» from the
sync worker's ``SyncStatusChanged`` events, «Синхронизировать» (Ctrl+R) calls the ``sync_now``
callable, and each ``SyncNotification`` is shown in the system tray (or, without a tray, in a
banner under the header). «Журнал заказов» (F9) opens the money-state journal.

The card reader (``ui/card_reader_wiring.py``, ``set_card_reader`` once the app has built it):
«Картридер» (F6) runs ``ui/card_payment_flow.py``; the reader in the status bar; its settings.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import format_amount
from desktop_pos.models.order import Order
from desktop_pos.models.payment import PaymentMethod
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import Language
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus, SyncNotification, SyncStatusChanged
from desktop_pos.ui import crash
from desktop_pos.ui.card_reader_wiring import CardReaderWiring
from desktop_pos.ui.event_bridge import EventBridge
from desktop_pos.ui.header_bar import HeaderBar
from desktop_pos.ui.notifications import NotificationBanner, SyncNotifier
from desktop_pos.ui.order_screen import OrderScreen
from desktop_pos.ui.print_actions import PrintActions, PrintingSetup
from desktop_pos.ui.screen_stack import ScreenStack
from desktop_pos.ui.sync_status import SyncStatusIndicator
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:  # the journal (and SQLAlchemy with it) loads when it is first opened
    from desktop_pos.reader_link import ReaderLinkSetup
    from desktop_pos.sandbox.gateway_process import SandboxGatewayProcess
    from desktop_pos.ui.change_dialog import ChangeDialog
    from desktop_pos.ui.journal_window import JournalWindow, OrderStateQuery
    from desktop_pos.ui.payment_flow import RemotePaymentFlow
    from desktop_pos.ui.result_screen import ResultScreen

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)
MINIMUM_SIZE = (1024, 700)


class MainWindow(QMainWindow):
    """Builds the screens and runs the payment flow between them."""

    new_order_started = Signal()
    """``start_new_order`` put a fresh order on the screen (``ui/merchant_orders`` listens)."""
    screen_changed = Signal()
    """Another screen is shown (a payment began or ended; the garbage collector listens)."""
    language_changed = Signal()
    """The window has retranslated itself (parts added from outside, such as the merchant's
    order bar, follow: a signal, not an event filter that would call Python for every paint)."""

    def __init__(
        self,
        checkout: CheckoutService,
        new_order: Callable[[], Order],
        *,
        language: Language,
        demo: bool,
        version: str | Callable[[], str],
        log_path: Path | None = None,
        sync_now: Callable[[], None] | None = None,
        events: EventBus | None = None,
        order_state: OrderStateQuery | None = None,
        use_tray: bool | None = None,
        printing: PrintingSetup | None = None,
    ) -> None:
        """``sync_now`` wakes the sync worker; ``events`` carries its status and notifications;
        ``order_state`` (``AsyncGatewayClient.order_state``) lets the journal ask the gateway
        directly; ``use_tray`` forces (True) or forbids (False) tray notifications;
        ``printing`` (also later through ``set_printing``) enables receipts and the drawer."""
        super().__init__()
        self.setObjectName("mainWindow")
        self._checkout = checkout
        self._new_order = new_order
        self._language = Language(language)
        self._demo = demo
        self._version = version
        self._log_path = log_path
        self._change_dialog: ChangeDialog | None = None
        """The open «ПОДСЧЕТ СДАЧИ»; one dialog is built at the first cash sale and reused."""
        self._kept_change_dialog: ChangeDialog | None = None
        self._change_order: Order | None = None
        self._about_dialog: QMessageBox | None = None
        self._paying = False
        self._sync_now = sync_now
        self._order_state = order_state
        self._journal: JournalWindow | None = None
        self._bridge = EventBridge(events, self) if events is not None else None
        self._events = events if events is not None else EventBus()
        self._payment_flow: RemotePaymentFlow | None = None
        """SBP / SoftPOS (``ui/payment_flow.py``), built at the first such payment."""
        self._demo_menu: QMenu | None = None

        # Built top-down (each widget created inside its parent): a widget moved into a styled
        # window after it was built would be styled a second time.
        central = QWidget(self)
        self.setCentralWidget(central)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self._header = HeaderBar(central)
        layout.addWidget(self._header)
        self._demo_banner = QLabel(central)
        self._demo_banner.setObjectName("demoBanner")
        self._demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._demo_banner.setVisible(demo)
        layout.addWidget(self._demo_banner)
        self._banner = NotificationBanner(central)
        layout.addWidget(self._banner)
        self._stack = ScreenStack(central)
        self._stack.setObjectName("screens")
        layout.addWidget(self._stack, 1)
        self._order_screen = OrderScreen(new_order(), language=self._language, parent=self._stack)
        self._stack.addWidget(self._order_screen)
        self._result_screen: ResultScreen | None = None  # built on first use (start-up time)
        self._notifier = SyncNotifier(
            self._banner, language=self._language, use_tray=use_tray, parent=self
        )
        self.statusBar().setObjectName("statusBar")
        self._print_actions = PrintActions(self, self._language)
        self._print_actions.set_setup(printing)
        self._build_menu()
        self.card_reader = CardReaderWiring(  # F6, the status bar, settings, demo panel
            self,
            self._stack,
            checkout,
            self._events,
            language=self._language,
            settings_menu=self._print_actions.menu,
            printing=lambda: self._print_actions.printing,
            demo_menu=self.demo_menu,
        )
        self.card_reader.on_new_order = self.start_new_order
        self.card_reader.on_left = self._back_to_order
        self._sync_indicator = SyncStatusIndicator(self._sync_action, language=self._language)
        self.statusBar().addPermanentWidget(self._sync_indicator)
        self._sync_indicator.setVisible(events is not None or sync_now is not None)
        if self._bridge is not None:
            self._bridge.sync_status_changed.connect(self._on_sync_status)
            self._bridge.sync_notification.connect(self._on_sync_notification)
            self._bridge.order_state_changed.connect(self._print_actions.on_order_state_changed)

        self._order_screen.cash_requested.connect(self._on_cash_requested)
        self._order_screen.remote_requested.connect(self._on_remote_requested)
        self._stack.currentChanged.connect(lambda _index: self._update_title())
        self._stack.currentChanged.connect(lambda _index: self.screen_changed.emit())

        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*DEFAULT_SIZE)
        self.retranslate_ui()
        self._order_screen.focus_first_field()

    # -- construction -----------------------------------------------------------------------
    def _build_menu(self) -> None:
        bar = self.menuBar()
        self._file_menu = QMenu(self)
        self._file_menu.setObjectName("fileMenu")
        self._quit_action = QAction(self)
        self._quit_action.setObjectName("actionQuit")
        self._quit_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Q))
        self._quit_action.triggered.connect(self.close)
        self._file_menu.addAction(self._quit_action)

        self._language_menu = QMenu(self)
        self._language_menu.setObjectName("languageMenu")
        group = QActionGroup(self)
        group.setExclusive(True)
        self._language_actions: dict[Language, QAction] = {}
        for language, name in ((Language.RU, "actionRussian"), (Language.EN, "actionEnglish")):
            action = QAction(self)
            action.setObjectName(name)
            action.setCheckable(True)
            action.setChecked(language is self._language)
            action.triggered.connect(lambda _checked=False, lang=language: self.set_language(lang))
            group.addAction(action)
            self._language_menu.addAction(action)
            self._language_actions[language] = action

        self._orders_menu = QMenu(self)
        self._orders_menu.setObjectName("ordersMenu")
        self._journal_action = QAction(self)
        self._journal_action.setObjectName("actionJournal")
        self._journal_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self._journal_action.triggered.connect(self.open_journal)
        self._orders_menu.addAction(self._journal_action)
        self._sync_action = QAction(self)
        self._sync_action.setObjectName("actionSyncNow")
        self._sync_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_R))
        self._sync_action.setEnabled(self._sync_now is not None)
        self._sync_action.triggered.connect(self.sync_now)
        self._orders_menu.addAction(self._sync_action)

        self._help_menu = QMenu(self)
        self._help_menu.setObjectName("helpMenu")
        self._about_action = QAction(self)
        self._about_action.setObjectName("actionAbout")
        self._about_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self._about_action.triggered.connect(self.show_about)
        self._help_menu.addAction(self._about_action)

        for menu in (
            self._file_menu,
            self._orders_menu,
            self._print_actions.menu,
            self._language_menu,
            self._help_menu,
        ):
            bar.addMenu(menu)

    # -- texts ------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Касса"))
        self._header.set_app_name(self.tr("Касса"))
        self._demo_banner.setText(
            self.tr("ДЕМО-РЕЖИМ: отдельная демонстрационная база, продажи не настоящие")
        )
        self._file_menu.setTitle(self.tr("&Файл"))
        if self._demo_menu is not None:
            self._demo_menu.setTitle(self.tr("&Демо"))
        self._quit_action.setText(self.tr("&Выход"))
        self._language_menu.setTitle(self.tr("&Язык"))
        self._language_actions[Language.RU].setText(self.tr("Русский"))
        self._language_actions[Language.EN].setText(self.tr("English"))
        self._help_menu.setTitle(self.tr("&Справка"))
        self._about_action.setText(self.tr("&О программе"))
        self._orders_menu.setTitle(self.tr("&Заказы"))
        self._journal_action.setText(self.tr("&Журнал заказов"))
        self._sync_action.setText(self.tr("&Синхронизировать"))
        self._sync_action.setToolTip(
            self.tr("Отправить в Ассист все ожидающие операции сейчас")
            if self._sync_now is not None
            else self.tr("Связь с Ассист не настроена")
        )
        self._print_actions.retranslate_ui()
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            self.language_changed.emit()
        super().changeEvent(event)

    def _update_title(self) -> None:
        current = self._stack.currentWidget()
        if self._result_screen is not None and current is self._result_screen:
            self._header.set_title(self.tr("РЕЗУЛЬТАТ"))
        elif self._payment_flow is not None and current is self._payment_flow.screen:
            self._header.set_title(self.tr("ОПЛАТА"))
        elif (card_title := self.card_reader.title_for(current)) is not None:
            self._header.set_title(card_title)
        else:
            self._header.set_title(self.tr("ДАННЫЕ ЗАКАЗА"))

    # -- public API -------------------------------------------------------------------------
    @property
    def order_screen(self) -> OrderScreen:
        return self._order_screen

    @property
    def result_screen(self) -> ResultScreen:
        if self._result_screen is None:
            from desktop_pos.ui.result_screen import ResultScreen

            screen = ResultScreen(language=self._language, parent=self._stack)
            screen.set_header_visible(False)  # the window header already says РЕЗУЛЬТАТ
            screen.new_order_requested.connect(self.start_new_order)
            screen.print_requested.connect(self._on_print_requested)
            self._stack.addWidget(screen)
            self._result_screen = screen
        return self._result_screen

    @property
    def checkout(self) -> CheckoutService:
        return self._checkout

    @property
    def payment_flow(self) -> RemotePaymentFlow:
        """The SBP / SoftPOS flow and its QR screen (built on first use)."""
        if self._payment_flow is None:
            from desktop_pos.ui.payment_flow import build_payment_flow

            flow = build_payment_flow(self._stack, self._checkout, self._events, self._language)
            flow.paid.connect(self._on_paid)
            flow.left.connect(lambda: self._stack.setCurrentWidget(self._order_screen))
            self._payment_flow = flow
        return self._payment_flow

    def set_demo_gateway(self, sandbox: SandboxGatewayProcess | None) -> None:
        """Demo mode: a «Демо» menu to pay the SBP QR or the SoftPOS hand-off, or let it lapse."""
        if sandbox is None or self.findChild(QMenu, "demoGatewayMenu") is not None:
            return
        from desktop_pos.ui.demo_controls import build_demo_menu

        built = build_demo_menu(self, sandbox, lambda: self.payment_flow.payment)
        built.setObjectName("demoGatewayMenu")  # kept as the owner of its actions
        self.demo_menu().addActions(built.actions())

    def demo_menu(self) -> QMenu:
        """«Демо» (demo mode): the sandbox's buyer and phone, the emulated card readers."""
        if self._demo_menu is None:
            self._demo_menu = QMenu(self.tr("&Демо"), self)
            self._demo_menu.setObjectName("demoMenu")
            self.menuBar().addMenu(self._demo_menu)
        return self._demo_menu

    def set_card_reader(self, setup: ReaderLinkSetup, config_file: Path | None = None) -> None:
        """The card reader's parts (built after the first frame): F6 takes cards from now on."""
        self.card_reader.config_file = config_file
        self.card_reader.set_setup(setup)
        self._order_screen.set_card_reader_available(True)

    def current_change_dialog(self) -> ChangeDialog | None:
        """The open «ПОДСЧЕТ СДАЧИ» dialog, if any."""
        return self._change_dialog

    def current_about_dialog(self) -> QMessageBox | None:
        return self._about_dialog

    def journal_window(self) -> JournalWindow | None:
        """The journal, once opened (it stays for the next F9)."""
        return self._journal

    def sync_indicator(self) -> SyncStatusIndicator:
        return self._sync_indicator

    def notification_banner(self) -> NotificationBanner:
        return self._banner

    def notifier(self) -> SyncNotifier:
        return self._notifier

    def event_bridge(self) -> EventBridge | None:
        return self._bridge

    def print_actions(self) -> PrintActions:
        return self._print_actions

    def set_printing(self, printing: PrintingSetup | None) -> None:
        """Receipts, the drawer and the printer settings (loaded after the first frame)."""
        self._print_actions.set_setup(printing)

    def current_screen(self) -> QWidget | None:
        return self._stack.currentWidget()

    def is_busy(self) -> bool:
        """A payment is being stored."""
        return self._paying

    def payment_in_progress(self) -> bool:
        """A payment on any flow: cash (dialog or storing), card, SBP or SoftPOS (QR screen)."""
        remote = self._payment_flow
        qr = remote is not None and (remote.polling or self.current_screen() is remote.screen)
        cash = self._paying or self._change_dialog is not None
        return cash or qr or self.card_reader.busy_text() is not None

    def language(self) -> Language:
        return self._language

    def set_language(self, language: Language) -> None:
        """Switch the UI language: Qt translators for our texts, every screen for domain texts."""
        self._language = Language(language)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            try:
                from desktop_pos.ui.i18n import apply_language
            except ImportError:  # translations not packaged: domain texts still switch
                log.warning("desktop_pos.ui.i18n is missing; Qt texts stay as they are")
            else:
                apply_language(app, self._language)
        crash.set_language(self._language)
        self._language_actions[self._language].setChecked(True)
        self._order_screen.set_language(self._language)
        if self._result_screen is not None:
            self._result_screen.set_language(self._language)
        if self._payment_flow is not None:
            self._payment_flow.set_language(self._language)
        if self._kept_change_dialog is not None:
            self._kept_change_dialog.set_language(self._language)
        self._sync_indicator.set_language(self._language)
        self._notifier.set_language(self._language)
        self._print_actions.set_language(self._language)
        self.card_reader.set_language(self._language)
        if self._journal is not None:
            self._journal.set_language(self._language)
        self.retranslate_ui()

    def start_new_order(self) -> None:
        """A fresh order on the order screen, focus on the order number."""
        self._order_screen.load_order(self._new_order())
        self._stack.setCurrentWidget(self._order_screen)
        self._order_screen.focus_first_field()
        log.info("new order %s", self._order_screen.current_order().number)
        self.new_order_started.emit()

    def open_journal(self) -> None:
        """«Журнал заказов» (F9): open the journal, or bring it to the front."""
        if self._journal is None:
            from desktop_pos.ui.journal_window import JournalWindow

            self._journal = JournalWindow(
                self._checkout.store,
                language=self._language,
                bridge=self._bridge,
                sync_now=self._sync_now,
                order_state=self._order_state,
                parent=self,
            )
        else:
            self._journal.model.reload()
        self._journal.show()
        self._journal.raise_()
        self._journal.activateWindow()

    def sync_now(self) -> None:
        """«Синхронизировать»: wake the sync worker at once."""
        if self._sync_now is None:
            return
        log.info("sync requested by the cashier")
        self._sync_now()
        self.statusBar().showMessage(self.tr("Синхронизация с Ассист запущена…"), 5000)

    def _on_sync_status(self, status: SyncStatusChanged) -> None:
        self._sync_indicator.set_status(status)
        self._print_actions.on_sync_status(status)

    def _on_sync_notification(self, notification: SyncNotification) -> None:
        self._notifier.notify(notification)

    def show_about(self) -> None:
        if self._about_dialog is not None:
            return
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("О программе"))
        lines = [
            self.tr("Касса для приёма оплаты заказов"),
            self.tr("Версия: {version}").format(
                version=self._version if isinstance(self._version, str) else self._version()
            ),
        ]
        if self._demo:
            lines.append(
                self.tr("Демо-режим: отдельная демонстрационная база, продажи не настоящие.")
            )
        if self._log_path is not None:
            lines.append(self.tr("Журнал: {path}").format(path=self._log_path))
        box.setText("\n".join(lines))
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.setEscapeButton(QMessageBox.StandardButton.Close)
        box.finished.connect(lambda _result: self._on_about_closed(box))
        self._about_dialog = box
        box.open()

    def _on_about_closed(self, box: QMessageBox) -> None:
        self._about_dialog = None
        box.deleteLater()

    # -- the payment flow -------------------------------------------------------------------
    def prepare_cash_sale(self) -> None:
        """Build and style «ПОДСЧЕТ СДАЧИ», then on the next loop turn «РЕЗУЛЬТАТ», ahead of the
        first cash sale (the app calls it once started and idle): built at the sale, they held
        up its ✓ by 50-60 ms; here each is a turn of about 20 ms before anyone sells."""
        self._kept_dialog(Decimal("0.00")).ensurePolished()
        QTimer.singleShot(0, self, lambda: self.result_screen.ensurePolished())

    def _kept_dialog(self, due: Decimal) -> ChangeDialog:
        dialog = self._kept_change_dialog
        if dialog is None:
            from desktop_pos.ui.change_dialog import ChangeDialog

            dialog = ChangeDialog(due, self._language, self)
            dialog.finished.connect(self._on_change_finished)
            self._kept_change_dialog = dialog
        return dialog

    def _on_cash_requested(self, order: Order) -> None:
        if self._paying or self._change_dialog is not None:
            return
        dialog = self._kept_dialog(order.due)
        dialog.reset(order.due)
        self._change_dialog = dialog
        self._change_order = order
        dialog.open()

    def _on_remote_requested(self, order: Order, method: PaymentMethod) -> None:
        if self._paying or self._change_dialog is not None:
            return
        if method is PaymentMethod.CARD_READER:
            self.card_reader.start(order)
        else:
            self.payment_flow.start(order, method)

    def _back_to_order(self) -> None:
        self._stack.setCurrentWidget(self._order_screen)
        self._order_screen.focus_first_field()

    def _on_change_finished(self, result: int) -> None:
        dialog, order = self._change_dialog, self._change_order
        self._change_dialog = self._change_order = None
        if dialog is None or order is None:
            return
        self.activateWindow()  # keys go back to the window (some platforms leave it inactive)
        if result != QDialog.DialogCode.Accepted:
            log.info("order %s: cash payment cancelled in the change dialog", order.number)
            return
        self._pay_cash(order, dialog.received())

    def _pay_cash(self, order: Order, received: Decimal) -> None:
        log.info("order %s: storing cash sale, received %s", order.number, format_amount(received))
        self._paying = True
        self.statusBar().showMessage(self.tr("Сохранение оплаты…"))
        task = run_task(
            self._checkout.pay_cash(order, received),
            on_success=self._on_paid,
            on_error=self._on_pay_failed,
            busy=self._stack,
            language=self._language,
        )
        # Also after a bug reported by run_task's crash path: the window must not stay busy.
        task.add_done_callback(lambda _task: self._on_payment_finished())

    def _on_paid(self, result: PaymentResult) -> None:
        screen = self.result_screen
        screen.show_result(result)
        self._stack.setCurrentWidget(screen)
        if result.method is PaymentMethod.CASH:
            self._print_actions.after_cash_sale(result)

    def _on_pay_failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            crash.show_user_error(self, error, self._language)

    def _on_payment_finished(self) -> None:
        if shiboken6.isValid(self):
            self._paying = False
            self.statusBar().clearMessage()

    def _on_print_requested(self) -> None:
        result = self.result_screen.result()
        if result is not None:
            self._print_actions.open_preview(result.order_number)

    def closeEvent(self, event: QCloseEvent) -> None:
        card_busy = self.card_reader.busy_text()
        if self._paying or card_busy:  # closing now would hide a payment's outcome
            self.statusBar().showMessage(
                card_busy or self.tr("Дождитесь сохранения оплаты, затем закройте окно."), 5000
            )
            event.ignore()
            return
        self.card_reader.close()
        self._header.stop_clock()
        if self._payment_flow is not None:
            self._payment_flow.stop_polling()
        self._notifier.close()
        self._print_actions.close()
        if self._journal is not None:
            self._journal.close()
        super().closeEvent(event)
