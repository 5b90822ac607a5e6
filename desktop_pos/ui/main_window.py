"""The counter's main window: a header, the order screen and the result screen.

Flow of a cash sale: «Наличные» (F5) on the order screen → «ПОДСЧЕТ СДАЧИ» (opened with
``open()``, so nothing blocks) → ✓ stores the sale through ``CheckoutService.pay_cash`` on the
qasync loop while the window is busy → «РЕЗУЛЬТАТ». ✗ leaves the order as it was. «Новый заказ»
on the result screen starts a fresh order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTime, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.money import format_amount
from desktop_pos.models.order import Order
from desktop_pos.models.result import PaymentResult
from desktop_pos.models.texts import Language
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.ui import crash, theme
from desktop_pos.ui.change_dialog import ChangeDialog
from desktop_pos.ui.order_screen import OrderScreen
from desktop_pos.ui.result_screen import ResultScreen
from desktop_pos.ui.tasks import run_task

log = logging.getLogger(__name__)

DEFAULT_SIZE = (1280, 800)
MINIMUM_SIZE = (1024, 700)
_HEADER_STYLE = """
#headerBar { background-color: #263238; }
#headerBar QLabel { color: #ffffff; background: transparent; }
#appNameLabel { font-size: 15pt; font-weight: bold; }
#screenTitleLabel { font-size: 15pt; font-weight: bold; }
#clockLabel { font-size: 15pt; }
"""
_DEMO_STYLE = (
    "background-color: #ff9800; color: #1a1a1a; font-weight: bold; padding: 6px 20px;"
)


class MainWindow(QMainWindow):
    """Builds the screens and runs the payment flow between them."""

    def __init__(
        self,
        checkout: CheckoutService,
        new_order: Callable[[], Order],
        *,
        language: Language,
        demo: bool,
        version: str,
        log_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._checkout = checkout
        self._new_order = new_order
        self._language = Language(language)
        self._demo = demo
        self._version = version
        self._log_path = log_path
        self._change_dialog: ChangeDialog | None = None
        self._about_dialog: QMessageBox | None = None
        self._paying = False

        self._order_screen = OrderScreen(new_order(), language=self._language)
        self._result_screen = ResultScreen(language=self._language)
        self._result_screen.set_header_visible(False)  # the window header already says РЕЗУЛЬТАТ
        self._stack = QStackedWidget()
        self._stack.setObjectName("screens")
        self._stack.addWidget(self._order_screen)
        self._stack.addWidget(self._result_screen)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_header())
        self._demo_banner = QLabel()
        self._demo_banner.setObjectName("demoBanner")
        self._demo_banner.setStyleSheet(_DEMO_STYLE)
        self._demo_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._demo_banner.setVisible(demo)
        layout.addWidget(self._demo_banner)
        layout.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self.statusBar().setObjectName("statusBar")

        self._order_screen.cash_requested.connect(self._on_cash_requested)
        self._result_screen.new_order_requested.connect(self.start_new_order)
        self._result_screen.print_requested.connect(self._on_print_requested)
        self._stack.currentChanged.connect(lambda _index: self._update_title())

        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._update_clock)
        self._clock_timer.start()
        self._update_clock()

        self.setMinimumSize(*MINIMUM_SIZE)
        self.resize(*DEFAULT_SIZE)
        self.retranslate_ui()
        self._order_screen.focus_first_field()

    # -- construction -----------------------------------------------------------------------
    def _build_header(self) -> QFrame:
        header = QFrame()
        header.setObjectName("headerBar")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        header.setStyleSheet(_HEADER_STYLE)
        self._app_name = QLabel()
        self._app_name.setObjectName("appNameLabel")
        self._screen_title = QLabel()
        self._screen_title.setObjectName("screenTitleLabel")
        self._screen_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._clock = QLabel()
        self._clock.setObjectName("clockLabel")
        self._clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout(header)
        row.setContentsMargins(theme.MARGIN, 8, theme.MARGIN, 8)
        row.addWidget(self._app_name, 1)
        row.addWidget(self._screen_title, 2)
        row.addWidget(self._clock, 1)
        return header

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

        self._help_menu = QMenu(self)
        self._help_menu.setObjectName("helpMenu")
        self._about_action = QAction(self)
        self._about_action.setObjectName("actionAbout")
        self._about_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self._about_action.triggered.connect(self.show_about)
        self._help_menu.addAction(self._about_action)

        for menu in (self._file_menu, self._language_menu, self._help_menu):
            bar.addMenu(menu)

    # -- texts ------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Касса"))
        self._app_name.setText(self.tr("Касса"))
        self._demo_banner.setText(
            self.tr("ДЕМО-РЕЖИМ: отдельная демонстрационная база, продажи не настоящие")
        )
        self._file_menu.setTitle(self.tr("&Файл"))
        self._quit_action.setText(self.tr("&Выход"))
        self._language_menu.setTitle(self.tr("&Язык"))
        self._language_actions[Language.RU].setText(self.tr("Русский"))
        self._language_actions[Language.EN].setText(self.tr("English"))
        self._help_menu.setTitle(self.tr("&Справка"))
        self._about_action.setText(self.tr("&О программе"))
        self._update_title()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_title(self) -> None:
        if self._stack.currentWidget() is self._result_screen:
            self._screen_title.setText(self.tr("РЕЗУЛЬТАТ"))
        else:
            self._screen_title.setText(self.tr("ДАННЫЕ ЗАКАЗА"))

    def _update_clock(self) -> None:
        self._clock.setText(QTime.currentTime().toString("hh:mm"))

    # -- public API -------------------------------------------------------------------------
    @property
    def order_screen(self) -> OrderScreen:
        return self._order_screen

    @property
    def result_screen(self) -> ResultScreen:
        return self._result_screen

    @property
    def checkout(self) -> CheckoutService:
        return self._checkout

    def current_change_dialog(self) -> ChangeDialog | None:
        """The open «ПОДСЧЕТ СДАЧИ» dialog, if any."""
        return self._change_dialog

    def current_about_dialog(self) -> QMessageBox | None:
        return self._about_dialog

    def current_screen(self) -> QWidget | None:
        return self._stack.currentWidget()

    def is_busy(self) -> bool:
        """A payment is being stored."""
        return self._paying

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
        self._result_screen.set_language(self._language)
        if self._change_dialog is not None:
            self._change_dialog.set_language(self._language)
        self.retranslate_ui()

    def start_new_order(self) -> None:
        """A fresh order on the order screen, focus on the order number."""
        self._order_screen.load_order(self._new_order())
        self._stack.setCurrentWidget(self._order_screen)
        self._order_screen.focus_first_field()
        log.info("new order %s", self._order_screen.current_order().number)

    def show_about(self) -> None:
        if self._about_dialog is not None:
            return
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("О программе"))
        lines = [
            self.tr("Касса для приёма оплаты заказов"),
            self.tr("Версия: {version}").format(version=self._version),
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
    def _on_cash_requested(self, order: Order) -> None:
        if self._paying or self._change_dialog is not None:
            return
        dialog = ChangeDialog(order.due, self._language, self)
        dialog.finished.connect(lambda result: self._on_change_finished(dialog, order, result))
        self._change_dialog = dialog
        dialog.open()

    def _on_change_finished(self, dialog: ChangeDialog, order: Order, result: int) -> None:
        self._change_dialog = None
        dialog.deleteLater()
        self.activateWindow()  # keys go back to the window (some platforms leave it inactive)
        if result != ChangeDialog.DialogCode.Accepted:
            log.info("order %s: cash payment cancelled in the change dialog", order.number)
            return
        self._pay_cash(order, dialog.received())

    def _pay_cash(self, order: Order, received: Decimal) -> None:
        log.info("order %s: storing cash sale, received %s", order.number,
                 format_amount(received))
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
        self._result_screen.show_result(result)
        self._stack.setCurrentWidget(self._result_screen)

    def _on_pay_failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            crash.show_user_error(self, error, self._language)

    def _on_payment_finished(self) -> None:
        if shiboken6.isValid(self):
            self._paying = False
            self.statusBar().clearMessage()

    def _on_print_requested(self) -> None:
        self.statusBar().showMessage(
            self.tr("Принтер не подключён: печать чека появится в следующей версии."), 8000
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._paying:  # the sale is being stored: closing now would hide its outcome
            self.statusBar().showMessage(
                self.tr("Дождитесь сохранения оплаты, затем закройте окно."), 5000
            )
            event.ignore()
            return
        self._clock_timer.stop()
        super().closeEvent(event)
