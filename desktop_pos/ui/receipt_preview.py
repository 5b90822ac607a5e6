"""«Просмотр чека»: the receipt of an order as the printer will print it, then print or export.

Reached from «Печать чека» on the result screen. The dialog asks ``ReceiptPrinting.preview`` for
the order's documents laid out for the configured paper and paints that layout
(``ReceiptPaper``), scrollable. Buttons: «Печать» (Enter, Ctrl+P), «Сохранить PNG», «Сохранить PDF»,
«Закрыть» (Esc).

While the sale waits for its fiscal data the preview shows the offline slip and says so
(«Ожидание фискальных данных…» when the gateway is reachable); the preview reloads when the
order's state changes (``order_state_changed``), and the slip can be printed meanwhile.

Printing runs through ``run_task``: the status line says «Печать…», then «Чек напечатан.» or the
printer's problem, and «Печать» becomes «Повторить».
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme
from desktop_pos.ui.receipt_paper import ReceiptPaper
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop_pos.services.events import OrderStateChanged
    from desktop_pos.services.receipt_printing import (
        PrintReport,
        ReceiptPreview,
        ReceiptPrinting,
    )

log = logging.getLogger(__name__)

PREVIEW_SIZE = (640, 720)
"""Fits a 1280×800 screen with the window's header and taskbar."""


class ReceiptPreviewDialog(QDialog):
    """The preview of one order's receipts; emits ``printed`` with the ``PrintReport``."""

    printed = Signal(object)

    def __init__(
        self,
        printing: ReceiptPrinting,
        number: str,
        *,
        language: Language = Language.RU,
        online: bool | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``online``: the gateway is reachable (None: not known, e.g. no gateway)."""
        super().__init__(parent)
        self.setObjectName("receiptPreviewDialog")
        self._printing = printing
        self._number = number
        self._language = Language(language)
        self._online = online
        self._preview: ReceiptPreview | None = None
        self._printing_now = False
        self._loading = False
        self._reload_again = False
        self._failed = False
        self._outcome_shown = False
        """The status line says how the last print went; it stays until the next print."""

        self._status = QLabel()
        self._status.setObjectName("previewStatus")
        self._status.setWordWrap(True)
        self._status.setTextFormat(Qt.TextFormat.PlainText)

        self._paper = ReceiptPaper()
        self._scroll = QScrollArea()
        self._scroll.setObjectName("receiptScroll")
        self._scroll.setWidget(self._paper)
        self._scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and PgUp/PgDn scroll

        self._print_button = QPushButton()
        self._print_button.setObjectName("previewPrintButton")
        theme.set_role(self._print_button, theme.ROLE_PRIMARY)
        self._print_button.setDefault(True)  # Enter prints
        self._png_button = QPushButton()
        self._png_button.setObjectName("savePngButton")
        self._pdf_button = QPushButton()
        self._pdf_button.setObjectName("savePdfButton")
        self._close_button = QPushButton()
        self._close_button.setObjectName("previewCloseButton")
        for button in (self._png_button, self._pdf_button, self._close_button):
            button.setAutoDefault(False)
            theme.set_role(button, theme.ROLE_SECONDARY)
        for button in (self._print_button, self._png_button, self._pdf_button, self._close_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)

        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self._png_button)
        buttons.addWidget(self._pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self._close_button)
        buttons.addWidget(self._print_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self._status)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(buttons)

        self._print_shortcut = QShortcut(QKeySequence("Ctrl+P"), self)
        self._print_shortcut.activated.connect(self.print_receipt)
        self._print_button.clicked.connect(self.print_receipt)
        self._png_button.clicked.connect(self.save_png)
        self._pdf_button.clicked.connect(self.save_pdf)
        self._close_button.clicked.connect(self.reject)

        self.resize(*PREVIEW_SIZE)
        self.retranslate_ui()
        self._set_ready(False)

    # -- public API ------------------------------------------------------------------------------
    @property
    def number(self) -> str:
        return self._number

    def preview(self) -> ReceiptPreview | None:
        return self._preview

    def paper(self) -> ReceiptPaper:
        return self._paper

    def status_text(self) -> str:
        return self._status.text()

    def is_printing(self) -> bool:
        return self._printing_now

    def is_loading(self) -> bool:
        return self._loading

    def load(self) -> None:
        """(Re)build the preview from the store."""
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        run_task(
            self._printing.preview(self._number),
            on_success=self._show_preview,
            on_error=self._load_failed,
        ).add_done_callback(lambda _task: self._load_finished())

    def set_online(self, online: bool | None) -> None:
        self._online = online
        self._show_state()

    def on_order_state_changed(self, event: OrderStateChanged) -> None:
        if event.order_number == self._number and shiboken6.isValid(self):
            log.info("receipt preview of %s: the order changed, reloading", self._number)
            self.load()

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self.retranslate_ui()

    def print_receipt(self) -> None:
        """«Печать» / «Повторить»: print what the preview shows."""
        if self._printing_now or self._preview is None:
            return
        self._printing_now = True
        self._failed = False
        self._outcome_shown = False
        self._set_status(self.tr("Печать…"), theme.TONE_PENDING)
        log.info("order %s: receipt print requested from the preview", self._number)
        run_task(
            self._printing.print_order(self._number),
            on_success=self._printed,
            on_error=self._print_failed,
            busy=self._print_button,
        ).add_done_callback(lambda _task: self._print_finished())

    def export_png(self, path: Path) -> bool:
        done = self._preview is not None and self._paper.write_png(path)
        self._exported(path, done)
        return done

    def export_pdf(self, path: Path) -> bool:
        preview = self._preview
        done = preview is not None and self._paper.write_pdf(path, preview.paper_mm)
        self._exported(path, done)
        return done

    def save_png(self) -> None:
        self._ask_path(self.tr("Сохранить чек в PNG"), "PNG (*.png)", ".png", self.export_png)

    def save_pdf(self) -> None:
        self._ask_path(self.tr("Сохранить чек в PDF"), "PDF (*.pdf)", ".pdf", self.export_pdf)

    # -- loading ---------------------------------------------------------------------------------
    def _show_preview(self, preview: ReceiptPreview) -> None:
        if not shiboken6.isValid(self):
            return
        self._preview = preview
        self._paper.set_layouts(preview.layouts, preview.chars_per_line, preview.dots_per_line)
        self._set_ready(True)
        self._show_state()

    def _load_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if isinstance(error, UserFacingError):
            self._set_status(error.text.get(self._language), theme.TONE_FAILURE)
        self._set_ready(self._preview is not None)

    def _load_finished(self) -> None:
        self._loading = False
        if self._reload_again and shiboken6.isValid(self):
            self._reload_again = False
            self.load()

    def _show_state(self) -> None:
        preview = self._preview
        if preview is None or self._printing_now or self._outcome_shown:
            return
        if not preview.awaiting_fiscal:
            self._set_status("", "")
        elif self._online is False:
            self._set_status(
                self.tr(
                    "Нет связи с Ассист: печатается нефискальный слип. Кассовый чек будет "
                    "напечатан, когда придут фискальные данные."
                ),
                theme.TONE_PENDING,
            )
        else:
            self._set_status(
                self.tr(
                    "Ожидание фискальных данных… Можно напечатать нефискальный слип, кассовый "
                    "чек будет напечатан, когда данные придут."
                ),
                theme.TONE_PENDING,
            )

    # -- printing --------------------------------------------------------------------------------
    def _printed(self, report: PrintReport) -> None:
        if not shiboken6.isValid(self):
            return
        tone = theme.TONE_SUCCESS if report.confirmed else theme.TONE_PENDING
        self._outcome_shown = True
        self._set_status(report.message.get(self._language), tone)
        self._print_button.setText(self.tr("Печать"))
        self.printed.emit(report)
        self.load()  # a further print is a copy: the preview shows «КОПИЯ»

    def _print_failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self) or not isinstance(error, UserFacingError):
            return
        self._failed = True
        self._outcome_shown = True
        self._set_status(error.text.get(self._language), theme.TONE_FAILURE)
        if getattr(error, "retryable", False):
            self._print_button.setText(self.tr("Повторить"))

    def _print_finished(self) -> None:
        self._printing_now = False

    # -- export ----------------------------------------------------------------------------------
    def _ask_path(
        self, title: str, filter_text: str, suffix: str, write: Callable[[Path], bool]
    ) -> None:
        dialog = QFileDialog(self, title)
        dialog.setObjectName("receiptSaveDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(filter_text)
        dialog.setDefaultSuffix(suffix.lstrip("."))
        dialog.selectFile(f"chek-{self._number}{suffix}")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def chosen(name: str) -> None:
            write(Path(name))

        dialog.fileSelected.connect(chosen)
        dialog.open()

    def _exported(self, path: Path, done: bool) -> None:
        if done:
            log.info("order %s: receipt saved to %s", self._number, path)
            self._set_status(self.tr("Чек сохранён: {path}").format(path=path), "")
        else:
            log.warning("order %s: the receipt could not be saved to %s", self._number, path)
            self._set_status(
                self.tr("Не удалось сохранить чек в {path}.").format(path=path),
                theme.TONE_FAILURE,
            )

    # -- widgets ---------------------------------------------------------------------------------
    def _set_ready(self, ready: bool) -> None:
        for button in (self._print_button, self._png_button, self._pdf_button):
            button.setEnabled(ready)
        if ready and not self._print_button.hasFocus():
            self._print_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_status(self, text: str, tone: str) -> None:
        self._status.setText(text)
        self._status.setVisible(bool(text))
        theme.set_tone(self._status, tone)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Чек по заказу № {number}").format(number=self._number))
        self._print_button.setText(self.tr("Повторить") if self._failed else self.tr("Печать"))
        self._print_button.setToolTip(self.tr("Напечатать чек (Enter, Ctrl+P)"))
        self._png_button.setText(self.tr("Сохранить PNG"))
        self._pdf_button.setText(self.tr("Сохранить PDF"))
        self._close_button.setText(self.tr("Закрыть"))
        self._close_button.setToolTip(self.tr("Закрыть просмотр (Esc)"))
        self._show_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
