"""Demo mode: the buyer and the card reader, played by hand against the emulated readers.

Integration (demo mode only; the readers come from ``sandbox.card_reader.start_demo_readers``)::

    panel = DemoReaderPanel(readers, parent)      # readers: Sequence[EmulatedReader]
    dialog = open_demo_reader_panel(window, readers)   # or as a tool window beside the counter

The panel acts on the chosen reader:

* «Тестовая карта» with what it does (docs/sandbox.md, «Тестовые карты»); «Приложить (NFC)»,
  «Вставить (чип)», «Провести (магнитная полоса)» present it to the reader now (only the ways the
  card supports are enabled), «При следующей оплате» lets the reader take it as soon as the next
  payment starts; «Вынуть карту» and «Отмена на картридере» (the reader's red button);
* conditions: battery level and charging, a firmware update (none / optional / required),
  «Разорвать соединение», and «В зоне доступа» (off: the reader stops advertising, as a reader
  out of range).

Every control has a mnemonic (Alt+letter) and the panel works from the keyboard alone.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.hardware.reader.messages import EntryMode
from desktop_pos.models.errors import UserFacingError
from desktop_pos.ui import theme
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    from desktop_pos.sandbox.card_reader.emulator import EmulatedReader
    from desktop_pos.sandbox.card_reader.test_cards import TestCard

log = logging.getLogger(__name__)

FIRMWARE_NONE = "none"
FIRMWARE_OPTIONAL = "optional"
FIRMWARE_REQUIRED = "required"
DEFAULT_UPDATE_VERSION = "9.9.0"


def _test_cards() -> list[TestCard]:
    from desktop_pos.sandbox.card_reader.test_cards import TEST_CARDS

    return list(TEST_CARDS.values())


def reader_serial(reader: object) -> str:
    for attribute in ("serial", "name"):
        value = getattr(reader, attribute, None)
        if isinstance(value, str) and value:
            return value
    return "?"


class DemoReaderController(QObject):
    """Calls the emulated reader's controls; a coroutine control runs with ``run_task``."""

    done = Signal(str)
    """What was done (for the status line)."""
    failed = Signal(str)

    def __init__(self, readers: Sequence[EmulatedReader], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.readers = list(readers)
        self.index = 0

    @property
    def reader(self) -> EmulatedReader:
        return self.readers[self.index]

    def call(self, what: str, control: Callable[[], object]) -> None:
        """Run one control (plain or coroutine) and report ``what`` when it is done."""
        serial = reader_serial(self.reader)
        log.info("demo reader %s: %s", serial, what)
        try:
            result = control()
        except (UserFacingError, KeyError, ValueError, RuntimeError) as exc:
            self._failed(exc)
            return
        if inspect.isawaitable(result):
            awaitable: Awaitable[Any] = result

            def finished(_value: object) -> None:
                if shiboken6.isValid(self):
                    self.done.emit(what)

            run_task(awaitable, on_success=finished, on_error=self._failed)
        else:
            self.done.emit(what)

    def _failed(self, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        text = error.text.ru if isinstance(error, UserFacingError) else str(error)
        log.info("demo reader control refused: %s", text)
        self.failed.emit(text)

    # -- the controls -----------------------------------------------------------------------------
    def present(self, card_id: str, mode: EntryMode, what: str) -> None:
        self.call(what, lambda: self.reader.present_card(card_id, mode))

    def next_card(self, card_id: str, what: str) -> None:
        self.call(what, lambda: self.reader.next_card(card_id))

    def remove_card(self, what: str) -> None:
        self.call(what, self.reader.remove_card)

    def press_cancel(self, what: str) -> None:
        self.call(what, self.reader.press_cancel)

    def set_battery(self, level: int, charging: bool, what: str) -> None:
        self.call(what, lambda: self.reader.set_battery(level, charging=charging))

    def set_firmware(self, kind: str, version: str, what: str) -> None:
        if kind == FIRMWARE_NONE:
            self.call(what, lambda: self.reader.set_firmware_update(None, required=False))
        else:
            required = kind == FIRMWARE_REQUIRED
            self.call(what, lambda: self.reader.set_firmware_update(version, required=required))

    def drop_link(self, what: str) -> None:
        self.call(what, self.reader.disconnect)

    def set_in_range(self, in_range: bool, what: str) -> None:
        self.call(what, lambda: self.reader.set_in_range(in_range))


class DemoReaderPanel(QWidget):
    """The demo controls of the emulated readers; see the module docstring."""

    def __init__(self, readers: Sequence[EmulatedReader], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoReaderPanel")
        self.controller = DemoReaderController(readers, self)
        self.controller.done.connect(lambda what: self._set_status(what, theme.TONE_SUCCESS))
        self.controller.failed.connect(lambda text: self._set_status(text, theme.TONE_FAILURE))
        self._cards = _test_cards()

        self._reader_combo = QComboBox()
        self._reader_combo.setObjectName("demoReaderCombo")
        for reader in readers:
            model = str(getattr(reader, "model", ""))
            serial = reader_serial(reader)
            self._reader_combo.addItem(f"{serial} ({model})" if model else serial)
        self._reader_combo.currentIndexChanged.connect(self._reader_chosen)
        self._card_combo = QComboBox()
        self._card_combo.setObjectName("demoCardCombo")
        for card in self._cards:
            self._card_combo.addItem(card.label_ru, card.id)
        self._card_combo.currentIndexChanged.connect(lambda _index: self._card_chosen())
        self._card_notes = QLabel()
        self._card_notes.setObjectName("demoCardNotes")
        self._card_notes.setWordWrap(True)
        self._card_notes.setTextFormat(Qt.TextFormat.PlainText)

        self._tap_button = self._button("demoTapButton")
        self._insert_button = self._button("demoInsertButton")
        self._swipe_button = self._button("demoSwipeButton")
        self._next_button = self._button("demoNextCardButton")
        self._remove_button = self._button("demoRemoveCardButton")
        self._cancel_button = self._button("demoReaderCancelButton")
        self._tap_button.clicked.connect(lambda: self._present(EntryMode.NFC))
        self._insert_button.clicked.connect(lambda: self._present(EntryMode.CHIP))
        self._swipe_button.clicked.connect(lambda: self._present(EntryMode.MAGSTRIPE))
        self._next_button.clicked.connect(self._next_card)
        self._remove_button.clicked.connect(
            lambda: self.controller.remove_card(self.tr("Карта вынута из картридера."))
        )
        self._cancel_button.clicked.connect(
            lambda: self.controller.press_cancel(self.tr("Нажата отмена на картридере."))
        )

        self._battery_spin = QSpinBox()
        self._battery_spin.setObjectName("demoBatterySpin")
        self._battery_spin.setRange(0, 100)
        self._battery_spin.setSuffix(" %")
        self._battery_spin.setValue(80)
        self._battery_spin.setMinimumHeight(theme.INPUT_MIN_HEIGHT)
        self._battery_spin.setMinimumWidth(150)
        # The style sheet's border would cover the first digit (arrows: style.qss).
        self._battery_spin.lineEdit().setTextMargins(8, 0, 0, 0)
        self._charging_box = QCheckBox()
        self._charging_box.setObjectName("demoChargingBox")
        self._battery_button = self._button("demoBatteryButton")
        self._battery_button.clicked.connect(self._apply_battery)
        self._firmware_combo = QComboBox()
        self._firmware_combo.setObjectName("demoFirmwareCombo")
        for kind in (FIRMWARE_NONE, FIRMWARE_OPTIONAL, FIRMWARE_REQUIRED):
            self._firmware_combo.addItem("", kind)
        self._firmware_version = QLineEdit(DEFAULT_UPDATE_VERSION)
        self._firmware_version.setObjectName("demoFirmwareVersion")
        # Wide enough for "99.99.99" inside the style sheet's padding and border.
        version_width = self._firmware_version.fontMetrics().horizontalAdvance("99.99.99") + 40
        self._firmware_version.setMinimumWidth(max(version_width, 110))
        self._firmware_version.setMaximumWidth(max(version_width, 140))
        self._firmware_button = self._button("demoFirmwareButton")
        self._firmware_button.clicked.connect(self._apply_firmware)
        self._disconnect_button = self._button("demoDisconnectButton")
        self._disconnect_button.clicked.connect(
            lambda: self.controller.drop_link(self.tr("Соединение с картридером разорвано."))
        )
        self._in_range_box = QCheckBox()
        self._in_range_box.setObjectName("demoInRangeBox")
        self._in_range_box.setChecked(True)
        self._in_range_box.toggled.connect(self._range_toggled)
        self._status = QLabel()
        self._status.setObjectName("demoReaderStatus")
        self._status.setWordWrap(True)
        self._status.setTextFormat(Qt.TextFormat.PlainText)

        self._build_layout()
        self._card_chosen()
        self.retranslate_ui()

    def _button(self, name: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
        button.setAutoDefault(True)
        return button

    def _build_layout(self) -> None:
        self._reader_label = QLabel()
        self._reader_label.setBuddy(self._reader_combo)
        self._card_label = QLabel()
        self._card_label.setBuddy(self._card_combo)
        choose = QFormLayout()
        choose.addRow(self._reader_label, self._reader_combo)
        choose.addRow(self._card_label, self._card_combo)
        choose.addRow("", self._card_notes)

        self._card_group = QGroupBox()
        self._card_group.setObjectName("demoCardGroup")
        present = QHBoxLayout()
        for button in (self._tap_button, self._insert_button, self._swipe_button):
            present.addWidget(button)
        after = QHBoxLayout()
        for button in (self._next_button, self._remove_button, self._cancel_button):
            after.addWidget(button)
        card_box = QVBoxLayout(self._card_group)
        card_box.addLayout(present)
        card_box.addLayout(after)

        self._conditions_group = QGroupBox()
        self._conditions_group.setObjectName("demoConditionsGroup")
        self._battery_label = QLabel()
        self._battery_label.setBuddy(self._battery_spin)
        self._firmware_label = QLabel()
        self._firmware_label.setBuddy(self._firmware_combo)
        battery = QHBoxLayout()
        battery.addWidget(self._battery_spin)
        battery.addWidget(self._charging_box)
        battery.addStretch(1)
        battery.addWidget(self._battery_button)
        firmware = QHBoxLayout()
        firmware.addWidget(self._firmware_combo, 1)
        firmware.addWidget(self._firmware_version)
        firmware.addWidget(self._firmware_button)
        link = QHBoxLayout()
        link.addWidget(self._in_range_box)
        link.addStretch(1)
        link.addWidget(self._disconnect_button)
        conditions = QFormLayout(self._conditions_group)
        conditions.addRow(self._battery_label, battery)
        conditions.addRow(self._firmware_label, firmware)
        conditions.addRow(link)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.SPACING)
        layout.addLayout(choose)
        layout.addWidget(self._card_group)
        layout.addWidget(self._conditions_group)
        layout.addWidget(self._status)
        layout.addStretch(1)

    # -- public API -------------------------------------------------------------------------------
    def choose_reader(self, serial: str) -> None:
        for index, reader in enumerate(self.controller.readers):
            if reader_serial(reader) == serial:
                self._reader_combo.setCurrentIndex(index)

    def choose_card(self, card_id: str) -> None:
        index = self._card_combo.findData(card_id)
        if index >= 0:
            self._card_combo.setCurrentIndex(index)

    def card_id(self) -> str:
        return str(self._card_combo.currentData())

    def status_text(self) -> str:
        return self._status.text()

    def enabled_entry_buttons(self) -> list[str]:
        buttons = (self._tap_button, self._insert_button, self._swipe_button)
        return [button.objectName() for button in buttons if button.isEnabled()]

    # -- actions ----------------------------------------------------------------------------------
    def _card(self) -> TestCard:
        return self._cards[max(0, self._card_combo.currentIndex())]

    def _present(self, mode: EntryMode) -> None:
        card = self._card()
        if mode not in card.entry_modes:
            return
        texts = {
            EntryMode.NFC: self.tr("Карта «{card}» приложена к картридеру."),
            EntryMode.CHIP: self.tr("Карта «{card}» вставлена в картридер."),
            EntryMode.MAGSTRIPE: self.tr("Карта «{card}» проведена по картридеру."),
        }
        self.controller.present(card.id, mode, texts[mode].format(card=card.label_ru))

    def _next_card(self) -> None:
        card = self._card()
        self.controller.next_card(
            card.id,
            self.tr("Карта «{card}» будет подана при следующей оплате.").format(card=card.label_ru),
        )

    def _apply_battery(self) -> None:
        level = self._battery_spin.value()
        charging = self._charging_box.isChecked()
        text = (
            self.tr("Заряд батареи: {level} %, заряжается.")
            if charging
            else self.tr("Заряд батареи: {level} %.")
        )
        self.controller.set_battery(level, charging, text.format(level=level))

    def _apply_firmware(self) -> None:
        kind = str(self._firmware_combo.currentData())
        version = self._firmware_version.text().strip() or DEFAULT_UPDATE_VERSION
        texts = {
            FIRMWARE_NONE: self.tr("Обновления прошивки нет."),
            FIRMWARE_OPTIONAL: self.tr("Картридер предлагает прошивку {version}."),
            FIRMWARE_REQUIRED: self.tr("Картридеру требуется прошивка {version}."),
        }
        self.controller.set_firmware(kind, version, texts[kind].format(version=version))

    def _range_toggled(self, in_range: bool) -> None:
        text = (
            self.tr("Картридер снова в зоне доступа.")
            if in_range
            else self.tr("Картридер вне зоны доступа (не виден при поиске).")
        )
        self.controller.set_in_range(in_range, text)

    def _reader_chosen(self, index: int) -> None:
        if 0 <= index < len(self.controller.readers):
            self.controller.index = index

    def _card_chosen(self) -> None:
        card = self._card()
        self._card_notes.setText(card.notes_ru)
        modes = card.entry_modes
        self._tap_button.setEnabled(EntryMode.NFC in modes)
        self._insert_button.setEnabled(EntryMode.CHIP in modes)
        self._swipe_button.setEnabled(EntryMode.MAGSTRIPE in modes)

    def _set_status(self, text: str, tone: str) -> None:
        self._status.setText(text)
        theme.set_tone(self._status, tone)

    def retranslate_ui(self) -> None:
        self._reader_label.setText(self.tr("&Картридер:"))
        self._card_label.setText(self.tr("&Тестовая карта:"))
        self._card_group.setTitle(self.tr("Карта"))
        self._tap_button.setText(self.tr("&Приложить (NFC)"))
        self._insert_button.setText(self.tr("&Вставить (чип)"))
        self._swipe_button.setText(self.tr("Пр&овести (магнитная полоса)"))
        self._next_button.setText(self.tr("При &следующей оплате"))
        self._remove_button.setText(self.tr("В&ынуть карту"))
        self._cancel_button.setText(self.tr("Отм&ена на картридере"))
        self._conditions_group.setTitle(self.tr("Состояние картридера"))
        self._battery_label.setText(self.tr("&Батарея:"))
        self._charging_box.setText(self.tr("&Заряжается"))
        self._battery_button.setText(self.tr("Установить з&аряд"))
        self._firmware_label.setText(self.tr("Прош&ивка:"))
        self._firmware_combo.setItemText(0, self.tr("Нет обновления"))
        self._firmware_combo.setItemText(1, self.tr("Обновление необязательное"))
        self._firmware_combo.setItemText(2, self.tr("Обновление обязательное"))
        self._firmware_version.setToolTip(self.tr("Версия новой прошивки"))
        self._firmware_button.setText(self.tr("Пре&дложить обновление"))
        self._in_range_box.setText(self.tr("В зо&не доступа"))
        self._disconnect_button.setText(self.tr("&Разорвать соединение"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def open_demo_reader_panel(parent: QWidget, readers: Sequence[EmulatedReader]) -> QDialog:
    """The panel in a tool window beside the counter (not modal: the payment goes on)."""
    dialog = QDialog(parent)
    dialog.setObjectName("demoReaderDialog")
    dialog.setWindowTitle(QCoreApplication.translate("DemoReaderPanel", "Демо: картридер"))
    dialog.setWindowFlag(Qt.WindowType.Tool, True)
    dialog.setModal(False)
    panel = DemoReaderPanel(readers, dialog)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(panel)
    dialog.resize(720, 560)
    dialog.show()
    return dialog
