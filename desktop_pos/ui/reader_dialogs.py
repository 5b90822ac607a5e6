"""Connecting the card reader before a card payment («Оплата заказа картой с помощью картридера»).

Integration (the window shows the panel on the order screen when «Картридер» is chosen)::

    panel = ReaderConnectPanel(manager, parent)       # manager: services.card_reader.ReaderManager
    panel.connected.connect(start_card_payment)       # connected(ReaderLink): the payment may begin
    panel.other_method_requested.connect(back_to_methods)   # «Другой способ оплаты»
    panel.cancelled.connect(back_to_methods)          # Esc / «Отмена»: nothing is left running
    panel.start()                                     # the link, else the last reader, else search
    panel.stop()                                      # the window leaves the panel

What the cashier sees (the seed's texts):

* «Соединение с последним подключённым картридером MPOS0000000001...» while the remembered reader
  is reconnected, with «ВЫБРАТЬ ДРУГОЙ» (stop and search);
* «Поиск картридеров поблизости...» with «Отмена» (Esc);
* «Найден картридер PP0918900518. Хотите подключиться?» with «ПОДКЛЮЧИТЬСЯ» (default) and
  «ПОВТОРИТЬ ПОИСК»; when several readers answer, a list to choose from;
* «Подключение картридера PP0918900518...» with «ВЫБРАТЬ ДРУГОЙ»;
* «Картридеры поблизости не найдены.» with «ПОВТОРИТЬ ПОИСК» and «Другой способ оплаты»;
* Bluetooth unavailable (no adapter, no BlueZ/D-Bus, adapter off, no permission): what to do,
  «ПОВТОРИТЬ ПОИСК» and «Другой способ оплаты» (default, so a payment is never stuck);
* any other reader error (pairing failed, connection lost, timeout): its text and the same two
  ways on.

``ReaderConnectController`` drives the ``ReaderManager`` with ``run_task``: only one call runs at a
time, a newer one cancels the older, and ``stop()`` (also on hide and on destruction) cancels a
discovery or connection in progress, so a search is never left running.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Coroutine, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    import asyncio

    from desktop_pos.hardware.reader.ble_link import FoundReader, ReaderLink
    from desktop_pos.services.card_reader import ReaderManager

log = logging.getLogger(__name__)

T = TypeVar("T")

DISCOVER_TIMEOUT_S = 5.0
RECONNECT_TIMEOUT_S = 5.0


class ConnectStep(StrEnum):
    """What the connection panel is showing."""

    IDLE = "idle"
    RECONNECTING = "reconnecting"
    SEARCHING = "searching"
    FOUND = "found"
    NOT_FOUND = "not_found"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"


BUSY_STEPS = frozenset({ConnectStep.RECONNECTING, ConnectStep.SEARCHING, ConnectStep.CONNECTING})


def _is_bluetooth_unavailable(error: BaseException) -> bool:
    try:
        from desktop_pos.hardware.reader.errors import BluetoothUnavailable
    except ImportError:  # pragma: no cover - the errors module ships with the reader link
        return type(error).__name__ == "BluetoothUnavailable"
    return isinstance(error, BluetoothUnavailable)


def _serial_of(record: object) -> str:
    """The serial of a remembered reader (``KnownReaders`` record) or a ``FoundReader``."""
    for attribute in ("serial", "name"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return value
    return ""


def _cancel_all(running: list[asyncio.Task[Any]]) -> None:
    for task in running:
        if not task.done():
            task.cancel()


class ReaderConnectController(QObject):
    """The connection steps against a ``ReaderManager``; the panel only shows them."""

    step_changed = Signal()
    connected = Signal(object)
    """The ``ReaderLink`` of the connected reader."""

    def __init__(
        self,
        manager: ReaderManager,
        *,
        discover_timeout_s: float = DISCOVER_TIMEOUT_S,
        reconnect_timeout_s: float = RECONNECT_TIMEOUT_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.manager = manager
        self.discover_timeout_s = discover_timeout_s
        self.reconnect_timeout_s = reconnect_timeout_s
        self.step = ConnectStep.IDLE
        self.found: list[FoundReader] = []
        self.target = ""
        """The serial being (re)connected or just connected."""
        self.error: UserFacingError | None = None
        self.link: ReaderLink | None = None
        self._task: asyncio.Task[Any] | None = None
        running: list[asyncio.Task[Any]] = []
        self._running = running
        # Destroyed with its panel while a call runs: the call is cancelled all the same.
        self.destroyed.connect(lambda _obj=None: _cancel_all(running))

    # -- what the panel's buttons do --------------------------------------------------------------
    def start(self) -> None:
        """The current link if it is up, else the last reader, else a search."""
        link = getattr(self.manager, "link", None)
        if link is not None and getattr(link, "connected", False):
            self._connected(link)
            return
        last = self._last_known()
        if last:
            self.reconnect_last(last)
        else:
            self.search()

    def reconnect_last(self, serial: str) -> None:
        self.target = serial
        self._set_step(ConnectStep.RECONNECTING)

        def done(link: ReaderLink | None) -> None:
            if link is None:
                log.info("reader %s did not answer; searching", serial)
                self.search()
            else:
                self._connected(link)

        def failed(error: BaseException) -> None:
            if _is_bluetooth_unavailable(error):
                self._failed(error)
            else:  # not found, timed out: look for the readers around instead
                log.info("reconnecting reader %s failed (%s); searching", serial, error)
                self.search()

        self._run(self.manager.reconnect_last(self.reconnect_timeout_s), done, failed)

    def search(self) -> None:
        """«ПОВТОРИТЬ ПОИСК»: look for readers around."""
        self.found = []
        self._set_step(ConnectStep.SEARCHING)

        def done(found: list[FoundReader]) -> None:
            self.found = list(found)
            self._set_step(ConnectStep.FOUND if self.found else ConnectStep.NOT_FOUND)

        self._run(self.manager.discover(self.discover_timeout_s), done, self._failed)

    def connect_to(self, found: FoundReader) -> None:
        """«ПОДКЛЮЧИТЬСЯ»."""
        self.target = found.name
        self._set_step(ConnectStep.CONNECTING)
        self._run(self.manager.connect(found), self._connected, self._failed)

    def choose_other(self) -> None:
        """«ВЫБРАТЬ ДРУГОЙ»: stop connecting; the list again when several readers answered,
        else a new search."""
        self.stop()
        if len(self.found) > 1:
            self._set_step(ConnectStep.FOUND)
        else:
            self.search()

    def stop(self) -> None:
        """Cancel whatever is running (a discovery, a connection); nothing is left behind."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            log.info("reader panel: %s cancelled", self.step.value)
            task.cancel()
        if self.step in BUSY_STEPS:
            self._set_step(ConnectStep.IDLE)

    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    # -- internals --------------------------------------------------------------------------------
    def _last_known(self) -> str:
        known = getattr(self.manager, "known", None)
        if known is None:
            return ""
        try:  # the manager reconnects the default reader, else the last connected one
            preferred = getattr(known, "preferred", None)
            record = preferred() if callable(preferred) else known.last()
        except UserFacingError as exc:  # a broken file is reported by KnownReaders itself
            log.warning("known readers unreadable: %s", exc.text.en)
            return ""
        return _serial_of(record) if record is not None else ""

    def _run(
        self,
        coro: Coroutine[Any, Any, T],
        on_success: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        previous, self._task = self._task, None
        if previous is not None and not previous.done():
            previous.cancel()
        self.error = None
        holder: list[asyncio.Task[Any]] = []

        def current() -> bool:  # a superseded or cancelled call reports nothing
            return bool(holder) and holder[0] is self._task and shiboken6.isValid(self)

        def succeeded(value: T) -> None:
            if current():
                self._task = None
                on_success(value)

        def errored(error: BaseException) -> None:
            if current():
                self._task = None
                on_error(error)

        task = run_task(coro, on_success=succeeded, on_error=errored)
        holder.append(task)
        self._task = task
        self._running[:] = [task]

    def _connected(self, link: ReaderLink) -> None:
        self.link = link
        info = getattr(link, "info", None)
        serial = getattr(info, "serial", "") or self.target
        self.target = serial
        self._set_step(ConnectStep.CONNECTED)
        log.info("reader %s connected", serial)
        self.connected.emit(link)

    def _failed(self, error: BaseException) -> None:
        self.error = error if isinstance(error, UserFacingError) else None
        step = ConnectStep.UNAVAILABLE if _is_bluetooth_unavailable(error) else ConnectStep.FAILED
        self._set_step(step)

    def _set_step(self, step: ConnectStep) -> None:
        self.step = step
        self.step_changed.emit()


class ReaderConnectPanel(QWidget):
    """The connection panel; see the module docstring for the integration."""

    connected = Signal(object)
    """``connected(ReaderLink)``."""
    other_method_requested = Signal()
    cancelled = Signal()

    def __init__(
        self,
        manager: ReaderManager,
        parent: QWidget | None = None,
        *,
        language: Language = Language.RU,
        discover_timeout_s: float = DISCOVER_TIMEOUT_S,
        reconnect_timeout_s: float = RECONNECT_TIMEOUT_S,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerConnectPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._language = Language(language)
        self.controller = ReaderConnectController(
            manager,
            discover_timeout_s=discover_timeout_s,
            reconnect_timeout_s=reconnect_timeout_s,
            parent=self,
        )

        self._title = QLabel()
        self._title.setObjectName("readerPanelTitle")
        theme.set_role(self._title, theme.ROLE_SECTION)
        self._message = QLabel()
        self._message.setObjectName("readerMessage")
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._advice = QLabel()
        self._advice.setObjectName("readerAdvice")
        self._advice.setWordWrap(True)
        self._advice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._advice.setTextFormat(Qt.TextFormat.PlainText)
        self._busy = QProgressBar()
        self._busy.setObjectName("readerBusyBar")
        self._busy.setRange(0, 0)
        self._busy.setTextVisible(False)
        self._busy.setFixedWidth(360)
        self._list = QListWidget()
        self._list.setObjectName("foundReadersList")
        self._list.itemActivated.connect(lambda _item: self._connect_chosen())

        self._cancel_button = self._button("readerCancelButton", theme.ROLE_SECONDARY)
        self._other_method_button = self._button("readerOtherMethodButton", theme.ROLE_SECONDARY)
        self._search_button = self._button("readerSearchAgainButton", theme.ROLE_SECONDARY)
        self._choose_other_button = self._button("readerChooseOtherButton", theme.ROLE_SECONDARY)
        self._connect_button = self._button("readerConnectButton", theme.ROLE_PRIMARY)
        self._cancel_button.clicked.connect(self.cancel)
        self._other_method_button.clicked.connect(self._other_method)
        self._search_button.clicked.connect(self.controller.search)
        self._choose_other_button.clicked.connect(self.controller.choose_other)
        self._connect_button.clicked.connect(self._connect_chosen)

        buttons = QHBoxLayout()
        buttons.setSpacing(theme.SPACING)
        buttons.addWidget(self._other_method_button)
        buttons.addWidget(self._cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self._choose_other_button)
        buttons.addWidget(self._search_button)
        buttons.addWidget(self._connect_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self._title)
        layout.addStretch(1)
        layout.addWidget(self._message)
        layout.addWidget(self._advice)
        layout.addWidget(self._busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self._list, 3)
        layout.addStretch(1)
        layout.addLayout(buttons)
        # Tab order: the list first, then the buttons as they stand, left to right.
        order: Sequence[QWidget] = (
            self._list,
            self._other_method_button,
            self._cancel_button,
            self._choose_other_button,
            self._search_button,
            self._connect_button,
        )
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

        self.controller.step_changed.connect(self._show_step)
        self.controller.connected.connect(self.connected)
        self._show_step()

    def _button(self, name: str, role: str) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.setAutoDefault(True)  # Enter presses the focused button, as in a dialog
        button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
        theme.set_role(button, role)
        return button

    # -- public API -------------------------------------------------------------------------------
    def start(self) -> None:
        """Connect: the current link, else the last reader, else a search."""
        self.controller.start()

    def search(self) -> None:
        self.controller.search()

    def stop(self) -> None:
        """The window leaves the panel: cancel a search or connection in progress."""
        self.controller.stop()

    def cancel(self) -> None:
        """«Отмена» / Esc: stop and give the choice of method back to the cashier."""
        self.controller.stop()
        self.cancelled.emit()

    def step(self) -> ConnectStep:
        return self.controller.step

    def message_text(self) -> str:
        return self._message.text()

    def advice_text(self) -> str:
        return self._advice.text() if not self._advice.isHidden() else ""

    def found_names(self) -> list[str]:
        return [reader.name for reader in self.controller.found]

    def list_shown(self) -> bool:
        return not self._list.isHidden()

    def visible_buttons(self) -> list[str]:
        """The objectNames of the buttons on show, left to right."""
        buttons = (
            self._other_method_button,
            self._cancel_button,
            self._choose_other_button,
            self._search_button,
            self._connect_button,
        )
        return [button.objectName() for button in buttons if not button.isHidden()]

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        self.retranslate_ui()

    # -- showing a step ---------------------------------------------------------------------------
    def _connect_chosen(self) -> None:
        found = self.controller.found
        if not found:
            return
        row = self._list.currentRow() if len(found) > 1 else 0
        if 0 <= row < len(found):
            self.controller.connect_to(found[row])

    def _other_method(self) -> None:
        self.controller.stop()
        self.other_method_requested.emit()

    def _show_step(self) -> None:
        step = self.controller.step
        visible = {
            ConnectStep.IDLE: (),
            ConnectStep.RECONNECTING: (self._choose_other_button,),
            ConnectStep.SEARCHING: (self._cancel_button,),
            ConnectStep.FOUND: (self._search_button, self._connect_button),
            ConnectStep.NOT_FOUND: (self._other_method_button, self._search_button),
            ConnectStep.CONNECTING: (self._choose_other_button,),
            ConnectStep.CONNECTED: (),
            ConnectStep.UNAVAILABLE: (self._other_method_button, self._search_button),
            ConnectStep.FAILED: (self._other_method_button, self._search_button),
        }[step]
        for button in (
            self._cancel_button,
            self._other_method_button,
            self._search_button,
            self._choose_other_button,
            self._connect_button,
        ):
            button.setVisible(button in visible)
        self._busy.setVisible(step in BUSY_STEPS)
        several = step is ConnectStep.FOUND and len(self.controller.found) > 1
        self._fill_list(several)
        self.retranslate_ui()
        theme.set_tone(
            self._message,
            theme.TONE_FAILURE
            if step in (ConnectStep.UNAVAILABLE, ConnectStep.FAILED)
            else theme.TONE_SUCCESS
            if step is ConnectStep.CONNECTED
            else "",
        )
        focus = {
            ConnectStep.RECONNECTING: self._choose_other_button,
            ConnectStep.SEARCHING: self._cancel_button,
            ConnectStep.FOUND: self._list if several else self._connect_button,
            ConnectStep.NOT_FOUND: self._search_button,
            ConnectStep.CONNECTING: self._choose_other_button,
            ConnectStep.UNAVAILABLE: self._other_method_button,
            ConnectStep.FAILED: self._search_button,
        }.get(step)
        for button in (self._connect_button, self._search_button, self._other_method_button):
            button.setDefault(button is focus)
        if focus is not None and self.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill_list(self, several: bool) -> None:
        self._list.clear()
        self._list.setVisible(several)
        if not several:
            return
        for reader in self.controller.found:
            text = reader.name
            if reader.rssi is not None:
                text = self.tr("{name}    сигнал {rssi} дБм").format(
                    name=reader.name, rssi=reader.rssi
                )
            item = QListWidgetItem(text)
            item.setSizeHint(QSize(0, theme.BUTTON_MIN_HEIGHT))
            self._list.addItem(item)
        self._list.setCurrentRow(0)

    def retranslate_ui(self) -> None:
        controller = self.controller
        step, serial = controller.step, controller.target
        self._title.setText(self.tr("Картридер"))
        count = len(controller.found)
        found_one = controller.found[0].name if count == 1 else ""
        messages = {
            ConnectStep.IDLE: "",
            ConnectStep.RECONNECTING: self.tr(
                "Соединение с последним подключённым картридером {serial}..."
            ).format(serial=serial),
            ConnectStep.SEARCHING: self.tr("Поиск картридеров поблизости..."),
            ConnectStep.FOUND: (
                self.tr("Найден картридер {serial}. Хотите подключиться?").format(serial=found_one)
                if count == 1
                else self.tr(
                    "Найдено картридеров поблизости: {count}. Выберите, к какому подключиться:"
                ).format(count=count)
            ),
            ConnectStep.NOT_FOUND: self.tr("Картридеры поблизости не найдены."),
            ConnectStep.CONNECTING: self.tr("Подключение картридера {serial}...").format(
                serial=serial
            ),
            ConnectStep.CONNECTED: self.tr("Картридер {serial} подключён.").format(serial=serial),
            ConnectStep.UNAVAILABLE: self.tr("Bluetooth недоступен: картридер не подключить."),
            ConnectStep.FAILED: self.tr("Картридер не подключён."),
        }
        self._message.setText(messages[step])
        advice = ""
        if step is ConnectStep.NOT_FOUND:
            advice = self.tr(
                "Включите картридер и положите его рядом с компьютером, затем нажмите "
                "«Повторить поиск». Или выберите другой способ оплаты."
            )
        elif step in (ConnectStep.UNAVAILABLE, ConnectStep.FAILED):
            error = controller.error
            advice = error.text.get(self._language) if error is not None else ""
            if not advice and step is ConnectStep.UNAVAILABLE:
                advice = self.tr(
                    "Включите Bluetooth на компьютере или выберите другой способ оплаты."
                )
        self._advice.setText(advice)
        self._advice.setVisible(bool(advice))
        self._cancel_button.setText(self.tr("Отмена"))
        self._cancel_button.setToolTip(self.tr("Остановить поиск (Esc)"))
        self._other_method_button.setText(self.tr("Другой способ оплаты"))
        self._search_button.setText(self.tr("ПОВТОРИТЬ ПОИСК"))
        self._choose_other_button.setText(self.tr("ВЫБРАТЬ ДРУГОЙ"))
        self._connect_button.setText(self.tr("ПОДКЛЮЧИТЬСЯ"))

    # -- events -----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            event.accept()
            return
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.controller.step is ConnectStep.FOUND
        ):
            self._connect_chosen()
            event.accept()
            return
        super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        if not event.spontaneous():  # minimising the window does not stop a search
            self.controller.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(720, 420)
