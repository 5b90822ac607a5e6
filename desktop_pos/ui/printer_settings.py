"""«Принтер»: the receipt printer settings (the ``[printer]`` table), test print, save.

Every field of ``[printer]`` that a cashier or a technician sets: printing on/off, the connection
and its parameters (only those of the chosen kind are shown), paper, characters per line, code
page, QR mode, the drawer pin and pulse, «Открывать ящик при оплате наличными» and «Печатать
кассовый чек автоматически». What is typed is checked by ``PrinterSettings.from_mapping`` and then
the printer profile (off the GUI thread: it loads python-escpos' printer database); a bad value
puts its message under its field and nothing is saved or printed.

«Проверить печать» prints the test page with the settings as typed and reports in the status
line. «Сохранить» writes the ``[printer]`` table into the settings file (the other tables are
kept as they are) and hands the settings to the running app (``on_saved``).
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.hardware.printer.errors import PrinterSettingsError
from desktop_pos.hardware.printer.settings import (
    BAUDRATES,
    DRAWER_PINS,
    PAPER_WIDTHS_MM,
    ConnectionKind,
    PrinterSettings,
    SerialFlowControl,
)
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.ui import theme
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop_pos.services.printing import PrintOutcome, PrintService

log = logging.getLogger(__name__)

ServiceFor = Callable[[PrinterSettings], "PrintService | None"]
CODE_PAGES = ("CP866", "CP1251", "CP855", "ISO_8859-5")


class Kind(Enum):
    CHECK = "check"
    TEXT = "text"
    WHOLE = "whole"
    SECONDS = "seconds"
    CHOICE = "choice"
    EDITABLE = "editable"


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    kind: Kind
    choices: tuple[object, ...] = ()
    connection: ConnectionKind | None = None
    """Shown only for this connection kind."""


FIELDS = (
    Field("enabled", Kind.CHECK),
    Field("connection", Kind.CHOICE, tuple(k.value for k in ConnectionKind)),
    Field("host", Kind.TEXT, connection=ConnectionKind.NETWORK),
    Field("port", Kind.WHOLE, connection=ConnectionKind.NETWORK),
    Field("vendor_id", Kind.TEXT, connection=ConnectionKind.USB),
    Field("product_id", Kind.TEXT, connection=ConnectionKind.USB),
    Field("serial_port", Kind.TEXT, connection=ConnectionKind.SERIAL),
    Field("baudrate", Kind.CHOICE, BAUDRATES, connection=ConnectionKind.SERIAL),
    Field(
        "serial_flow",
        Kind.CHOICE,
        tuple(f.value for f in SerialFlowControl),
        connection=ConnectionKind.SERIAL,
    ),
    Field("windows_printer", Kind.TEXT, connection=ConnectionKind.WINDOWS),
    Field("file_path", Kind.TEXT, connection=ConnectionKind.FILE),
    Field("timeout_s", Kind.SECONDS),
    Field("model", Kind.TEXT),
    Field("paper_mm", Kind.CHOICE, PAPER_WIDTHS_MM),
    Field("chars_per_line", Kind.WHOLE),
    Field("code_page", Kind.EDITABLE, CODE_PAGES),
    Field("qr_native", Kind.CHOICE, (None, True, False)),
    Field("drawer_pin", Kind.CHOICE, DRAWER_PINS),
    Field("drawer_on_ms", Kind.WHOLE),
    Field("drawer_off_ms", Kind.WHOLE),
    Field("kick_drawer_on_cash", Kind.CHECK),
    Field("auto_print_fiscal", Kind.CHECK),
)
_BY_KEY = {field.key: field for field in FIELDS}
_KEPT_KEYS = ("dots_per_line", "code_table")
"""Set only in the file (rarely needed): kept as they are."""


class SettingsFileError(UserFacingError):
    """The settings file could not be read back or written."""


def write_printer_settings(path: Path, settings: PrinterSettings) -> None:
    """Replace the ``[printer]`` table of the TOML file at ``path``, keeping every other table."""
    import tomli_w

    raw: dict[str, Any] = {}
    try:
        if path.exists():
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        raw["printer"] = {k: v for k, v in settings.to_mapping().items() if v is not None}
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(tomli_w.dumps(raw), encoding="utf-8")
        os.replace(temporary, path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsFileError(
            LocalizedText(
                f"Не удалось сохранить настройки принтера в файл {path}: {exc}",
                f"The printer settings could not be saved to {path}: {exc}",
            )
        ) from exc
    log.info("printer settings saved to %s (%s)", path, settings.description)


def default_service_for(settings: PrinterSettings) -> PrintService | None:
    if not settings.enabled:
        return None
    from desktop_pos.services.printing import PrintService

    return PrintService(settings)


class PrinterSettingsDialog(QDialog):
    """Edits ``settings``; «Сохранить» writes ``config_file`` and calls ``on_saved``."""

    def __init__(
        self,
        settings: PrinterSettings,
        *,
        config_file: Path | None,
        on_saved: Callable[[PrinterSettings], None] | None = None,
        service_for: ServiceFor = default_service_for,
        language: Language = Language.RU,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printerSettingsDialog")
        self._initial = settings
        self._config_file = config_file
        self._on_saved = on_saved
        self._service_for = service_for
        self._language = Language(language)
        self._busy = False
        self._saved: PrinterSettings | None = None
        self._editors: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}

        self._note = QLabel(note)
        self._note.setObjectName("printerSettingsNote")
        self._note.setWordWrap(True)
        self._note.setVisible(bool(note))

        form_widget = QWidget()
        self._form = QFormLayout(form_widget)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in FIELDS:
            self._add_field(form_widget, field)
        scroll = QScrollArea()
        scroll.setObjectName("printerSettingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(form_widget)

        self._general_error = QLabel()
        self._general_error.setObjectName("printerSettingsError")
        self._general_error.setWordWrap(True)
        theme.set_role(self._general_error, theme.ROLE_ERROR)
        self._general_error.setVisible(False)
        self._status = QLabel()
        self._status.setObjectName("printerTestStatus")
        self._status.setWordWrap(True)

        self._test_button = QPushButton()
        self._test_button.setObjectName("testPrintButton")
        self._save_button = QPushButton()
        self._save_button.setObjectName("savePrinterButton")
        self._save_button.setDefault(True)
        theme.set_role(self._save_button, theme.ROLE_PRIMARY)
        self._cancel_button = QPushButton()
        self._cancel_button.setObjectName("cancelPrinterButton")
        theme.set_role(self._cancel_button, theme.ROLE_SECONDARY)
        buttons = QHBoxLayout()
        buttons.addWidget(self._test_button)
        buttons.addStretch(1)
        buttons.addWidget(self._cancel_button)
        buttons.addWidget(self._save_button)
        for button in (self._test_button, self._save_button, self._cancel_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)

        layout = QVBoxLayout(self)
        layout.addWidget(self._note)
        layout.addWidget(scroll, 1)
        layout.addWidget(self._general_error)
        layout.addWidget(self._status)
        layout.addLayout(buttons)

        self._test_button.clicked.connect(self.test_print)
        self._save_button.clicked.connect(self.save)
        self._cancel_button.clicked.connect(self.reject)
        connection = self._editors["connection"]
        assert isinstance(connection, QComboBox)
        connection.currentIndexChanged.connect(lambda _index: self._show_connection_fields())

        self.load(settings)
        self.retranslate_ui()
        self.resize(780, 720)  # fits 1280×800

    # -- building --------------------------------------------------------------------------------
    def _add_field(self, parent: QWidget, field: Field) -> None:
        editor: QWidget
        if field.kind is Kind.CHECK:
            editor = QCheckBox(parent)
        elif field.kind in (Kind.CHOICE, Kind.EDITABLE):
            combo = QComboBox(parent)
            combo.setEditable(field.kind is Kind.EDITABLE)
            for choice in field.choices:
                combo.addItem(str(choice), choice)
            editor = combo
        else:
            editor = QLineEdit(parent)
        editor.setObjectName(f"{field.key}Field")
        error = QLabel(parent)
        error.setObjectName(f"{field.key}Error")
        error.setWordWrap(True)
        error.setVisible(False)
        theme.set_role(error, theme.ROLE_ERROR)
        column = QWidget(parent)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(editor)
        box.addWidget(error)
        label = QLabel(parent)
        label.setBuddy(editor)
        if field.kind is Kind.CHECK:  # the box carries its own text, across the form
            label.hide()
            self._form.addRow(column)
        else:
            self._form.addRow(label, column)
        self._editors[field.key] = editor
        self._errors[field.key] = error
        self._labels[field.key] = label

    # -- values ----------------------------------------------------------------------------------
    def editor(self, key: str) -> QWidget:
        return self._editors[key]

    def field_shown(self, key: str) -> bool:
        """The field is part of the form for the chosen connection."""
        return self._editors[key].isVisibleTo(self)

    def error_text(self, key: str) -> str:
        label = self._errors[key]
        return label.text() if label.isVisibleTo(self) else ""

    def general_error(self) -> str:
        return self._general_error.text() if not self._general_error.isHidden() else ""

    def status_text(self) -> str:
        return self._status.text()

    def is_busy(self) -> bool:
        return self._busy

    def saved_settings(self) -> PrinterSettings | None:
        return self._saved

    def load(self, settings: PrinterSettings) -> None:
        values = settings.to_mapping() | {
            "host": settings.host,
            "port": settings.port,
            "vendor_id": settings.vendor_id,
            "product_id": settings.product_id,
            "serial_port": settings.serial_port,
            "baudrate": settings.baudrate,
            "serial_flow": settings.serial_flow.value,
            "windows_printer": settings.windows_printer,
            "file_path": settings.file_path,
            "qr_native": settings.qr_native,
        }
        for field in FIELDS:
            self._set_value(field, values.get(field.key))
        self._show_connection_fields()

    def _set_value(self, field: Field, value: object) -> None:
        editor = self._editors[field.key]
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            index = editor.findData(value)
            if index >= 0:
                editor.setCurrentIndex(index)
            elif editor.isEditable():
                editor.setEditText("" if value is None else str(value))
        elif isinstance(editor, QLineEdit):
            if field.key in ("vendor_id", "product_id") and isinstance(value, int):
                editor.setText(f"{value:04x}")
            elif field.key == "chars_per_line" and value == 0:
                editor.setText("")
            else:
                editor.setText("" if value is None else str(value))

    def mapping(self) -> dict[str, Any]:
        """The ``[printer]`` table as typed (numbers that do not parse stay text, so that
        ``PrinterSettings.from_mapping`` names them)."""
        table: dict[str, Any] = {}
        for field in FIELDS:
            editor = self._editors[field.key]
            if isinstance(editor, QCheckBox):
                table[field.key] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                if editor.isEditable():
                    table[field.key] = editor.currentText().strip()
                elif (data := editor.currentData()) is not None:
                    table[field.key] = data
            elif isinstance(editor, QLineEdit):
                text = editor.text().strip()
                if not text:
                    continue
                table[field.key] = _number(text, field.kind)
        connection = ConnectionKind(table["connection"])
        for field in FIELDS:  # another connection's fields are not part of the table
            if field.connection is not None and field.connection is not connection:
                table.pop(field.key, None)
        for key in _KEPT_KEYS:
            value = getattr(self._initial, key)
            if value:
                table[key] = value
        return table

    # -- checking --------------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        for label in self._errors.values():
            label.setVisible(False)
            label.setText("")
        self._general_error.setVisible(False)

    def _show_error(self, error: UserFacingError) -> None:
        text = error.text.get(self._language)
        key = (error.field or "").removeprefix("printer.")
        label = self._errors.get(key)
        if label is not None and self.field_shown(key):
            label.setText(text)
            label.setVisible(True)
            self._editors[key].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._general_error.setText(text)
            self._general_error.setVisible(True)
        log.info("printer settings refused: %s", error.text.en)

    def parsed(self) -> PrinterSettings | None:
        """The settings as typed, without the profile check; None (and the message shown)
        when a value is wrong."""
        self._clear_errors()
        try:
            return PrinterSettings.from_mapping(self.mapping(), check_profile=False)
        except PrinterSettingsError as exc:
            self._show_error(exc)
            return None

    def _checked(
        self, then: Callable[[PrinterSettings], None], *, busy_text: str | None = None
    ) -> None:
        """Parse, check the profile off the GUI thread, then ``then(settings)``."""
        if self._busy:
            return
        settings = self.parsed()
        if settings is None:
            return
        self._busy = True
        if busy_text:
            self._set_status(busy_text, theme.TONE_PENDING)

        def checked(_profile: object) -> None:
            self._busy = False
            if shiboken6.isValid(self):
                then(settings)

        def refused(error: BaseException) -> None:
            self._busy = False
            if shiboken6.isValid(self) and isinstance(error, UserFacingError):
                self._set_status("", "")
                self._show_error(error)

        from desktop_pos.services.receipt_printing import checked_profile

        run_task(checked_profile(settings), on_success=checked, on_error=refused, busy=self)

    # -- actions ---------------------------------------------------------------------------------
    def save(self) -> None:
        """«Сохранить»: check, write the file, apply, close."""
        self._checked(self._write)

    def _write(self, settings: PrinterSettings) -> None:
        if self._config_file is not None:
            try:
                write_printer_settings(self._config_file, settings)
            except SettingsFileError as exc:
                self._show_error(exc)
                return
        self._saved = settings
        if self._on_saved is not None:
            self._on_saved(settings)
        self.accept()

    def test_print(self) -> None:
        """«Проверить печать»: the test page with the settings as typed."""
        self._checked(self._print_test_page, busy_text=self.tr("Печать тестовой страницы…"))

    def _print_test_page(self, settings: PrinterSettings) -> None:
        service = self._service_for(settings)
        if service is None:
            self._set_status(
                self.tr("Печать чеков выключена: включите её, чтобы проверить принтер."),
                theme.TONE_FAILURE,
            )
            return
        self._busy = True
        self._set_status(self.tr("Печать тестовой страницы…"), theme.TONE_PENDING)

        def done(outcome: PrintOutcome) -> None:
            tone = theme.TONE_SUCCESS if outcome.confirmed else theme.TONE_PENDING
            self._set_status(outcome.message.get(self._language), tone)

        def failed(error: BaseException) -> None:
            if isinstance(error, UserFacingError):
                self._set_status(error.text.get(self._language), theme.TONE_FAILURE)

        def finished() -> None:
            self._busy = False
            service.close()

        task = run_task(service.test_print(), on_success=done, on_error=failed, busy=self)
        task.add_done_callback(lambda _task: finished())

    # -- widgets ---------------------------------------------------------------------------------
    def _show_connection_fields(self) -> None:
        combo = self._editors["connection"]
        assert isinstance(combo, QComboBox)
        kind = ConnectionKind(combo.currentData())
        for field in FIELDS:
            if field.connection is None:
                continue
            visible = field.connection is kind
            self._form.setRowVisible(self._labels[field.key], visible)

    def _set_status(self, text: str, tone: str) -> None:
        if shiboken6.isValid(self):
            self._status.setText(text)
            theme.set_tone(self._status, tone)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Принтер чеков"))
        captions = {
            "enabled": self.tr("Печатать чеки"),
            "connection": self.tr("Подключение:"),
            "host": self.tr("Адрес (IP или имя):"),
            "port": self.tr("Порт TCP:"),
            "vendor_id": self.tr("USB Vendor ID:"),
            "product_id": self.tr("USB Product ID:"),
            "serial_port": self.tr("Последовательный порт:"),
            "baudrate": self.tr("Скорость, бод:"),
            "serial_flow": self.tr("Управление потоком:"),
            "windows_printer": self.tr("Принтер Windows:"),
            "file_path": self.tr("Файл или устройство:"),
            "timeout_s": self.tr("Тайм-аут, с:"),
            "model": self.tr("Модель (профиль python-escpos):"),
            "paper_mm": self.tr("Ширина бумаги, мм:"),
            "chars_per_line": self.tr("Символов в строке:"),
            "code_page": self.tr("Кодовая страница:"),
            "qr_native": self.tr("QR-код:"),
            "drawer_pin": self.tr("Контакт денежного ящика:"),
            "drawer_on_ms": self.tr("Импульс ящика, мс:"),
            "drawer_off_ms": self.tr("Пауза после импульса, мс:"),
            "kick_drawer_on_cash": self.tr("Открывать ящик при оплате наличными"),
            "auto_print_fiscal": self.tr("Печатать кассовый чек, когда придут фискальные данные"),
        }
        for key, text in captions.items():
            self._labels[key].setText(text)
        checks = ("enabled", "kick_drawer_on_cash", "auto_print_fiscal")
        for key in checks:
            box = self._editors[key]
            assert isinstance(box, QCheckBox)
            box.setText(captions[key])
        chars = self._editors["chars_per_line"]
        assert isinstance(chars, QLineEdit)
        chars.setPlaceholderText(self.tr("по ширине бумаги (58 мм: 32, 80 мм: 48)"))
        qr = self._editors["qr_native"]
        assert isinstance(qr, QComboBox)
        qr.setItemText(0, self.tr("как умеет модель"))
        qr.setItemText(1, self.tr("командой принтера"))
        qr.setItemText(2, self.tr("картинкой"))
        self._test_button.setText(self.tr("Проверить печать"))
        self._save_button.setText(self.tr("Сохранить"))
        self._cancel_button.setText(self.tr("Отмена"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _number(text: str, kind: Kind) -> object:
    try:
        if kind is Kind.WHOLE:
            return int(text)
        if kind is Kind.SECONDS:
            return float(text.replace(",", "."))
    except ValueError:
        return text
    return text
