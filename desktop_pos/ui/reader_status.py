"""The status-bar indicator of the card reader: which reader, its battery, a low-battery warning.

Integration::

    indicator = ReaderStatusWidget(manager)     # manager: services.card_reader.ReaderManager
    window.statusBar().addPermanentWidget(indicator)
    indicator.low_battery_changed.connect(...)  # optional: a banner on the payment screen

It listens to the manager (``add_listener``) and reads ``state``, ``info`` and ``battery`` at every
event, so it shows the same thing whichever event came first:

* «Картридер: не подключён» / «поиск…» / «подключение…» / «обновление прошивки…» /
  «Bluetooth недоступен»;
* «Картридер PP0918900518  батарея 44 %» when connected («, заряжается» while charging);
* at or under ``LOW_BATTERY_PERCENT`` (15 %) the seed's warning about the reader's battery
  («Недостаточный заряд батареи картридера. Зарядите картридер.»), in red.

Events may come from any thread: they reach the widget through a queued Qt signal.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desktop_pos.hardware.reader.gatt_profile import LOW_BATTERY_PERCENT
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme

if TYPE_CHECKING:
    from desktop_pos.services.card_reader import ReaderManager

log = logging.getLogger(__name__)


def state_name(manager: object) -> str:
    """The manager's ``ReaderState`` as its lower-case value ("connected", …)."""
    state = getattr(manager, "state", None)
    return str(getattr(state, "value", state) or "disconnected").lower()


def battery_is_low(level: int | None) -> bool:
    return level is not None and level <= LOW_BATTERY_PERCENT


class ReaderStatusWidget(QWidget):
    """Reader name and battery in the status bar; see the module docstring."""

    low_battery_changed = Signal(bool)
    _event_arrived = Signal(object)

    def __init__(
        self,
        manager: ReaderManager,
        parent: QWidget | None = None,
        *,
        language: Language = Language.RU,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerStatus")
        self._manager = manager
        self._language = Language(language)
        self._low = False
        self._charging = False
        self._reconnecting = ""
        """The serial being reconnected after a lost link."""
        self._error: UserFacingError | None = None
        self._name = QLabel()
        self._name.setObjectName("readerStatusLabel")
        self._name.setTextFormat(Qt.TextFormat.PlainText)
        self._battery = QLabel()
        self._battery.setObjectName("readerBatteryLabel")
        self._battery.setTextFormat(Qt.TextFormat.PlainText)
        self._warning = QLabel()
        self._warning.setObjectName("readerLowBatteryLabel")
        self._warning.setTextFormat(Qt.TextFormat.PlainText)
        self._warning.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 8, 0)
        row.setSpacing(4)
        row.addWidget(self._name)
        row.addWidget(self._battery)
        row.addWidget(self._warning)
        self._event_arrived.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        manager.add_listener(self._listen)
        self.destroyed.connect(lambda _obj=None, m=manager, f=self._listen: _unlisten(m, f))
        self.retranslate_ui()

    # -- public API -------------------------------------------------------------------------------
    def status_text(self) -> str:
        return self._name.text()

    def battery_text(self) -> str:
        return self._battery.text() if not self._battery.isHidden() else ""

    def warning_text(self) -> str:
        return self._warning.text() if not self._warning.isHidden() else ""

    def is_low(self) -> bool:
        return self._low

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self.retranslate_ui()

    def refresh(self) -> None:
        """Show the manager as it stands now."""
        self.retranslate_ui()

    # -- events -----------------------------------------------------------------------------------
    def _listen(self, event: object) -> None:
        if shiboken6.isValid(self):
            self._event_arrived.emit(event)

    def _on_event(self, event: object) -> None:
        kind = type(event).__name__
        if kind == "Reconnecting":
            self._reconnecting = str(getattr(event, "serial", ""))
        elif kind == "StateChanged":
            error = getattr(event, "error", None)
            self._error = error if isinstance(error, UserFacingError) else None
            if state_name(self._manager) in ("connected", "unavailable"):
                self._reconnecting = ""
        elif kind == "Disconnected" and not getattr(event, "will_reconnect", False):
            self._reconnecting = ""
        charging = getattr(event, "charging", None)
        if isinstance(charging, bool):
            self._charging = charging
        message = getattr(event, "msg", None) or getattr(event, "message", None)
        message_charging = getattr(message, "charging", None)
        if isinstance(message_charging, bool):
            self._charging = message_charging
        self.retranslate_ui()

    def _level(self) -> int | None:
        level = getattr(self._manager, "battery", None)
        if isinstance(level, int):
            return level
        info = getattr(self._manager, "info", None)
        level = getattr(info, "battery_level", None)
        return level if isinstance(level, int) else None

    def retranslate_ui(self) -> None:
        state = state_name(self._manager)
        info = getattr(self._manager, "info", None)
        serial = getattr(info, "serial", "") if info is not None else ""
        level = self._level()
        if info is not None and getattr(info, "charging", False) and not self._charging:
            self._charging = True
        connected = state == "connected"
        texts = {
            "disconnected": self.tr("Картридер: не подключён"),
            "scanning": self.tr("Картридер: поиск…"),
            "connecting": self.tr("Картридер: подключение…"),
            "updating": self.tr("Картридер: обновление прошивки…"),
            "unavailable": self.tr("Картридер: Bluetooth недоступен"),
        }
        if connected:
            self._name.setText(self.tr("Картридер {serial}").format(serial=serial))
        elif self._reconnecting and state != "unavailable":
            self._name.setText(
                self.tr("Картридер {serial}: восстановление связи…").format(
                    serial=self._reconnecting
                )
            )
        else:
            self._name.setText(texts.get(state, texts["disconnected"]))
        theme.set_tone(
            self._name,
            theme.TONE_SUCCESS
            if connected
            else theme.TONE_FAILURE
            if state == "unavailable"
            else "",
        )
        shows_battery = connected and level is not None
        low = shows_battery and battery_is_low(level)
        if shows_battery:  # plain text: a till may have no emoji font
            text = (
                self.tr("батарея {level} %, заряжается")
                if self._charging
                else self.tr("батарея {level} %")
            )
            self._battery.setText(text.format(level=level))
        self._battery.setVisible(shows_battery)
        theme.set_tone(self._battery, theme.TONE_FAILURE if low else "")
        self._warning.setText(
            self.tr("Недостаточный заряд батареи картридера. Зарядите картридер.") if low else ""
        )
        self._warning.setVisible(low)
        self._name.setToolTip(self._tooltip(info, level))
        if low != self._low:
            self._low = low
            if low:
                log.warning("reader %s battery low: %s %%", serial, level)
            self.low_battery_changed.emit(low)

    def _tooltip(self, info: object, level: int | None) -> str:
        if self._error is not None and state_name(self._manager) != "connected":
            return self._error.text.get(self._language)
        if info is None:
            return self.tr("Картридер подключается при оплате картой")
        lines = [
            self.tr("Модель: {model}").format(model=getattr(info, "model", "")),
            self.tr("Серийный номер: {serial}").format(serial=getattr(info, "serial", "")),
            self.tr("Прошивка: {version}").format(version=getattr(info, "firmware_version", "")),
        ]
        if level is not None:
            lines.append(self.tr("Заряд батареи: {level} %").format(level=level))
        return "\n".join(lines)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _unlisten(manager: object, listener: object) -> None:
    remove = getattr(manager, "remove_listener", None)
    if callable(remove):
        with contextlib.suppress(KeyError, ValueError):
            remove(listener)
