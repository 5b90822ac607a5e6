"""The main window's printing: «Печать чека», the drawer, automatic receipts, settings.

``PrintActions`` belongs to the main window and holds what printing adds to it:

* «Печать чека» opens the preview (``ReceiptPreviewDialog``) of the order on the result screen;
* after each stored cash sale the cash drawer is opened (``kick_drawer_on_cash``); a failure
  stays in the status bar (``printerStatusLabel``) and is shown in a box with «Повторить»;
* when the sync worker stores an order's fiscal data (``OrderStateChanged``), the fiscal receipt
  of a sale whose offline slip was printed is printed (``auto_print_fiscal``); a failure is
  shown with «Повторить» too;
* «Настройки → Принтер…» opens ``PrinterSettingsDialog``; «Настройки → Последний чек» (demo)
  shows the newest receipt the virtual printer saved.

The printing services load after the first frame; until ``set_setup`` is called the actions say
that printing is not ready yet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language
from desktop_pos.ui import crash, theme
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop_pos.hardware.printer.settings import PrinterSettings
    from desktop_pos.models.result import PaymentResult
    from desktop_pos.services.events import OrderStateChanged, SyncStatusChanged
    from desktop_pos.services.printing import PrintService
    from desktop_pos.services.receipt_printing import PrintReport, ReceiptPrinting
    from desktop_pos.ui.printer_settings import PrinterSettingsDialog
    from desktop_pos.ui.receipt_preview import ReceiptPreviewDialog

log = logging.getLogger(__name__)


@dataclass
class PrintingSetup:
    """What the app gives the window for printing."""

    printing: ReceiptPrinting
    configured: PrinterSettings
    """The ``[printer]`` table of the settings file (what the settings dialog edits)."""
    config_file: Path | None = None
    choose: Callable[[PrinterSettings], tuple[PrintService | None, PrinterSettings]] | None = None
    """The service and effective settings for configured settings (demo: the virtual printer
    when no printer is set); None: a PrintService when ``enabled``, else no printer."""
    last_receipt: Callable[[], Path | None] | None = None
    """The newest receipt picture of the virtual printer (demo), else None."""
    note: str = ""
    """Shown at the top of the settings dialog (demo: where receipts go)."""

    def service_for(self, settings: PrinterSettings) -> tuple[PrintService | None, PrinterSettings]:
        if self.choose is not None:
            return self.choose(settings)
        from desktop_pos.ui.printer_settings import default_service_for

        return default_service_for(settings), settings


class PrintActions(QObject):
    """Printing in the main window; see the module docstring."""

    def __init__(self, window: QMainWindow, language: Language) -> None:
        super().__init__(window)
        self._window = window
        self._language = Language(language)
        self._setup: PrintingSetup | None = None
        self._online: bool | None = None
        self._preview: ReceiptPreviewDialog | None = None
        self._settings_dialog: PrinterSettingsDialog | None = None
        self._last_receipt_dialog: QDialog | None = None
        self._error_box: QMessageBox | None = None

        self.status_label = QLabel()
        self.status_label.setObjectName("printerStatusLabel")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setVisible(False)
        window.statusBar().addPermanentWidget(self.status_label)

        self.menu = QMenu(window)
        self.menu.setObjectName("settingsMenu")
        self.settings_action = QAction(window)
        self.settings_action.setObjectName("actionPrinterSettings")
        self.settings_action.triggered.connect(self.open_settings)
        self.menu.addAction(self.settings_action)
        self.last_receipt_action = QAction(window)
        self.last_receipt_action.setObjectName("actionLastReceipt")
        self.last_receipt_action.triggered.connect(self.show_last_receipt)
        self.last_receipt_action.setVisible(False)
        self.menu.addAction(self.last_receipt_action)
        self.retranslate_ui()

    # -- setup -----------------------------------------------------------------------------------
    def set_setup(self, setup: PrintingSetup | None) -> None:
        self._setup = setup
        self.last_receipt_action.setVisible(setup is not None and setup.last_receipt is not None)

    @property
    def setup(self) -> PrintingSetup | None:
        return self._setup

    @property
    def printing(self) -> ReceiptPrinting | None:
        return self._setup.printing if self._setup is not None else None

    def preview_dialog(self) -> ReceiptPreviewDialog | None:
        return self._preview

    def settings_dialog(self) -> PrinterSettingsDialog | None:
        return self._settings_dialog

    def error_box(self) -> QMessageBox | None:
        return self._error_box

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        if self._preview is not None:
            self._preview.set_language(self._language)

    def _not_ready(self) -> bool:
        if self._setup is not None:
            return False
        self._window.statusBar().showMessage(
            self.tr("Печать ещё не готова: подождите несколько секунд."), 5000
        )
        return True

    # -- «Печать чека» -----------------------------------------------------------------------------
    def open_preview(self, number: str) -> ReceiptPreviewDialog | None:
        """The preview of ``number``'s receipts (a second call brings it to the front)."""
        if self._not_ready():
            return None
        assert self._setup is not None
        if self._preview is not None and self._preview.number == number:
            self._preview.raise_()
            self._preview.activateWindow()
            return self._preview
        if self._preview is not None:
            self._preview.close()
        from desktop_pos.ui.receipt_preview import ReceiptPreviewDialog

        dialog = ReceiptPreviewDialog(
            self._setup.printing,
            number,
            language=self._language,
            online=self._online,
            parent=self._window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result, d=dialog: self._preview_closed(d))
        dialog.printed.connect(lambda _report: self._clear_problem())
        self._preview = dialog
        dialog.load()
        dialog.open()
        return dialog

    def _preview_closed(self, dialog: ReceiptPreviewDialog) -> None:
        if self._preview is dialog:
            self._preview = None

    # -- background work ---------------------------------------------------------------------------
    def after_cash_sale(self, result: PaymentResult) -> None:
        """Open the cash drawer for a stored cash sale (never blocks the result screen)."""
        printing = self.printing
        if printing is None or not printing.kicks_drawer_on_cash:
            return
        log.info("order %s: opening the cash drawer", result.order_number)
        run_task(
            printing.kick_drawer(),
            on_success=lambda _none: self._clear_problem(),
            on_error=lambda error: self._problem(error, lambda: self.after_cash_sale(result)),
        )

    def on_order_state_changed(self, event: OrderStateChanged) -> None:
        if self._preview is not None and shiboken6.isValid(self._preview):
            self._preview.on_order_state_changed(event)
        printing = self.printing
        if printing is None:
            return
        run_task(
            printing.on_order_state_changed(event),
            on_success=self._auto_printed,
            on_error=lambda error: self._problem(
                error,
                lambda: self.on_order_state_changed(event),
            ),
        )

    def on_sync_status(self, status: SyncStatusChanged) -> None:
        self._online = status.online
        if self._preview is not None and shiboken6.isValid(self._preview):
            self._preview.set_online(status.online)

    def _auto_printed(self, report: PrintReport | None) -> None:
        if report is None:
            return
        self._clear_problem()
        self._window.statusBar().showMessage(
            self.tr("Напечатан кассовый чек по заказу № {number}.").format(number=report.number)
            if report.confirmed
            else report.message.get(self._language),
            10_000,
        )

    def _problem(self, error: BaseException, retry: Callable[[], None]) -> None:
        """A printer or drawer failure: it stays in the status bar and is shown in a box."""
        if not isinstance(error, UserFacingError) or not shiboken6.isValid(self._window):
            return
        text = error.text.get(self._language)
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
        theme.set_tone(self.status_label, theme.TONE_FAILURE)
        self.status_label.setVisible(True)
        if not crash.dialogs_enabled():
            return
        if self._error_box is not None:
            self._error_box.close()
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Принтер чеков"), text, parent=self._window
        )
        box.setObjectName("printErrorBox")
        retry_button = None
        if getattr(error, "retryable", False):
            retry_button = box.addButton(self.tr("Повторить"), QMessageBox.ButtonRole.AcceptRole)
        close_button = box.addButton(self.tr("Закрыть"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(close_button)
        box.setDefaultButton(retry_button or close_button)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def finished() -> None:
            if self._error_box is box:
                self._error_box = None
            if retry_button is not None and box.clickedButton() is retry_button:
                retry()

        box.finished.connect(lambda _result: finished())
        self._error_box = box
        box.open()

    def _clear_problem(self) -> None:
        if shiboken6.isValid(self.status_label):
            self.status_label.clear()
            self.status_label.setVisible(False)

    # -- settings ----------------------------------------------------------------------------------
    def open_settings(self) -> PrinterSettingsDialog | None:
        if self._not_ready():
            return None
        assert self._setup is not None
        if self._settings_dialog is not None:
            self._settings_dialog.raise_()
            return self._settings_dialog
        from desktop_pos.ui.printer_settings import PrinterSettingsDialog

        setup = self._setup
        dialog = PrinterSettingsDialog(
            setup.configured,
            config_file=setup.config_file,
            on_saved=self.apply_settings,
            service_for=lambda settings: setup.service_for(settings)[0],
            language=self._language,
            note=setup.note,
            parent=self._window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result: self._settings_closed(dialog))
        self._settings_dialog = dialog
        dialog.open()
        return dialog

    def _settings_closed(self, dialog: PrinterSettingsDialog) -> None:
        if self._settings_dialog is dialog:
            self._settings_dialog = None

    def apply_settings(self, settings: PrinterSettings) -> None:
        """Use the saved settings in the running app."""
        setup = self._setup
        if setup is None:
            return
        setup.configured = settings
        service, effective = setup.service_for(settings)
        setup.printing.reconfigure(service, effective)
        self._clear_problem()
        self._window.statusBar().showMessage(self.tr("Настройки принтера сохранены."), 5000)

    # -- demo --------------------------------------------------------------------------------------
    def show_last_receipt(self) -> QDialog | None:
        """«Последний чек»: the newest picture the virtual printer saved."""
        setup = self._setup
        path = setup.last_receipt() if setup is not None and setup.last_receipt else None
        if path is None:
            self._window.statusBar().showMessage(self.tr("Чеков ещё не было."), 5000)
            return None
        if self._last_receipt_dialog is not None:
            self._last_receipt_dialog.close()
        dialog = QDialog(self._window)
        dialog.setObjectName("lastReceiptDialog")
        dialog.setWindowTitle(self.tr("Последний чек: {name}").format(name=path.name))
        picture = QLabel()
        picture.setObjectName("lastReceiptPicture")
        picture.setPixmap(QPixmap(str(path)))
        scroll = QScrollArea(dialog)
        scroll.setWidget(picture)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(dialog)
        layout.addWidget(scroll)
        dialog.resize(680, 720)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.finished.connect(lambda _result: self._forget_last(dialog))
        self._last_receipt_dialog = dialog
        dialog.open()
        return dialog

    def _forget_last(self, dialog: QDialog) -> None:
        if self._last_receipt_dialog is dialog:
            self._last_receipt_dialog = None

    def close(self) -> None:
        for dialog in (self._preview, self._settings_dialog, self._last_receipt_dialog):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close()
        if self._error_box is not None and shiboken6.isValid(self._error_box):
            self._error_box.close()

    def retranslate_ui(self) -> None:
        self.menu.setTitle(self.tr("&Настройки"))
        self.settings_action.setText(self.tr("&Принтер…"))
        self.last_receipt_action.setText(self.tr("Последний &чек"))
