"""The card reader in the main window: what ``MainWindow.set_card_reader`` adds.

Once the app has built the reader's parts (``desktop_pos/reader_link.py``, after the first
frame), ``CardReaderWiring.set_setup`` adds:

* «Картридер» (F6) on the order screen, enabled → ``ui/card_payment_flow.py``;
* the status-bar indicator (``ReaderStatusWidget``): reader, battery, low-battery warning;
* «Настройки → Картридер…» (``ReaderSettingsDialog``): the known readers, the default one and
  the no-CVM limit, saved into the ``[reader]`` table of the settings file and applied at once;
* the firmware updates (``FirmwareUpdateController``): offered when a reader asks, required ones
  block card payments; the window refuses to close while an image is sent (its dialog is
  window-modal, so nothing else can be used meanwhile);
* demo mode: «Демо → Картридер: тестовые карты…» (``open_demo_reader_panel``, Ctrl+Shift+4).

Until then F6 says that the card reader is still starting. The card payment's modules are then
loaded on a worker thread and its screens built once the loop is idle (``prepare_flow``), so the
first F6 of the day does not stall the window for them (about 0.1 s).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QStackedWidget, QWidget

from desktop_pos.hardware.reader.settings import ReaderSettings
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.order import Order
from desktop_pos.models.texts import Language, LocalizedText
from desktop_pos.services.checkout import CheckoutService
from desktop_pos.services.events import EventBus

if TYPE_CHECKING:
    from desktop_pos.reader_link import ReaderLinkSetup
    from desktop_pos.services.receipt_printing import ReceiptPrinting
    from desktop_pos.ui.card_payment_flow import CardPaymentFlow
    from desktop_pos.ui.firmware_dialog import FirmwareUpdateController
    from desktop_pos.ui.reader_status import ReaderStatusWidget

log = logging.getLogger(__name__)

NOT_READY = LocalizedText(
    "Картридер ещё подключается к программе: подождите несколько секунд.",
    "The card reader is still starting: wait a few seconds.",
)


def _import_flow_modules() -> None:
    import desktop_pos.services.card_payment
    import desktop_pos.ui.card_payment_flow  # noqa: F401


class CardReaderWiring(QObject):
    """The window's card reader parts (see the module docstring)."""

    _flow_modules_loaded = Signal()

    def __init__(
        self,
        window: QMainWindow,
        stack: QStackedWidget,
        checkout: CheckoutService,
        events: EventBus,
        *,
        language: Language,
        settings_menu: QMenu,
        printing: Callable[[], ReceiptPrinting | None],
        demo_menu: Callable[[], QMenu],
        config_file: Path | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._stack = stack
        self._checkout = checkout
        self._events = events
        self._language = Language(language)
        self._printing = printing
        self._demo_menu = demo_menu
        self.config_file = config_file
        self.setup: ReaderLinkSetup | None = None
        self.status: ReaderStatusWidget | None = None
        self.firmware: FirmwareUpdateController | None = None
        self._flow: CardPaymentFlow | None = None
        self._settings_dialog: QDialog | None = None
        self._demo_dialog: QDialog | None = None
        self.settings_action = QAction(window)
        self.settings_action.setObjectName("actionReaderSettings")
        self.settings_action.triggered.connect(self.open_settings)
        settings_menu.addAction(self.settings_action)
        self.demo_action: QAction | None = None
        self.on_paid: Callable[[Any], None] | None = None
        self.on_new_order: Callable[[], None] | None = None
        self.on_left: Callable[[], None] | None = None
        self._flow_modules_loaded.connect(
            self._build_flow_ahead, Qt.ConnectionType.QueuedConnection
        )
        self.retranslate_ui()

    # -- set-up -------------------------------------------------------------------------------
    def set_setup(self, setup: ReaderLinkSetup) -> None:
        from desktop_pos.ui.firmware_dialog import FirmwareUpdateController
        from desktop_pos.ui.reader_status import ReaderStatusWidget

        if self.setup is not None:
            return
        self.setup = setup
        self.status = ReaderStatusWidget(setup.manager, language=self._language)
        self._window.statusBar().addPermanentWidget(self.status)
        self.firmware = FirmwareUpdateController(
            setup.manager, self._window, images=setup.images, language=self._language
        )
        if setup.demo_readers:
            action = QAction(self._window)
            action.setObjectName("actionDemoReaderPanel")
            action.setShortcut(QKeySequence("Ctrl+Shift+4"))
            action.triggered.connect(self.open_demo_panel)
            self._demo_menu().addAction(action)
            self.demo_action = action
        self.retranslate_ui()
        if setup.settings.auto_reconnect:
            self.reconnect_at_start()
        self.prepare_flow()

    def prepare_flow(self) -> None:
        """Import the card payment's modules on a worker thread, then build the flow and its
        screens on the GUI thread's next turn (unless F6 has built them meanwhile)."""
        import threading

        def load() -> None:
            try:
                _import_flow_modules()
            except Exception as exc:  # reported again, and shown, by the first F6
                log.warning("card payment modules not loaded ahead: %r", exc)
                return
            with contextlib.suppress(RuntimeError):  # the window has closed meanwhile
                self._flow_modules_loaded.emit()  # queued to the GUI thread

        threading.Thread(target=load, name="card-flow-preload", daemon=True).start()

    def _build_flow_ahead(self) -> None:
        if self._flow is None and self.setup is not None and shiboken6.isValid(self._stack):
            self.flow  # noqa: B018 - builds the flow and its screens

    def reconnect_at_start(self) -> None:
        """Connect the remembered reader in the background (nothing when none is known).
        Bluetooth unavailable: the status bar says so and what to do; cash, SBP and SoftPOS go
        on working."""
        assert self.setup is not None
        manager = self.setup.manager
        try:
            preferred = manager.known.preferred()
        except UserFacingError as exc:  # a broken file is set aside and reported by KnownReaders
            log.warning("known card readers unreadable: %s", exc.text.en)
            return
        if preferred is None:
            return
        from desktop_pos.hardware.reader.errors import BluetoothUnavailable
        from desktop_pos.ui.tasks import run_task

        def failed(error: BaseException) -> None:
            log.info("card reader %s not reconnected at start: %s", preferred.serial, error)
            if isinstance(error, BluetoothUnavailable) and shiboken6.isValid(self._window):
                self._window.statusBar().showMessage(error.text.get(self._language), 30_000)

        log.info("reconnecting card reader %s at start", preferred.serial)
        run_task(manager.reconnect_last(), on_success=lambda _link: None, on_error=failed)

    @property
    def ready(self) -> bool:
        return self.setup is not None

    @property
    def flow(self) -> CardPaymentFlow:
        """The card payment flow and its screens (built at the first card payment)."""
        if self._flow is None:
            assert self.setup is not None, "set_setup first"
            from desktop_pos.services.card_payment import CardPaymentService
            from desktop_pos.ui.card_payment_flow import CardPaymentFlow

            service = CardPaymentService(
                self._checkout,
                self._events,
                self.setup.settings,
                clock=self._checkout.clock,
                source=self._checkout.source,
            )
            flow = CardPaymentFlow(
                self._stack,
                self.setup.manager,
                service,
                language=self._language,
                firmware=self.firmware,
                printing=self._printing,
            )
            flow.paid.connect(lambda outcome: self.on_paid and self.on_paid(outcome))
            flow.new_order_requested.connect(lambda: self.on_new_order and self.on_new_order())
            flow.left.connect(lambda: self.on_left and self.on_left())
            self._flow = flow
        return self._flow

    def current_flow(self) -> CardPaymentFlow | None:
        return self._flow

    # -- what the window asks -----------------------------------------------------------------
    def start(self, order: Order) -> None:
        """«Картридер» (F6) with a valid order."""
        if self.setup is None:
            self._window.statusBar().showMessage(NOT_READY.get(self._language), 5000)
            return
        if self.firmware is not None and self.firmware.updating:
            return
        self.flow.start(order)

    def title_for(self, page: QWidget | None) -> str | None:
        if self._flow is None:
            return None
        title = self._flow.title_for(page)
        return None if title is None else title.get(self._language)

    def busy_text(self) -> str | None:
        """Why the window must not close now (None: it may)."""
        if self.firmware is not None and self.firmware.updating:
            return self.tr("Дождитесь окончания обновления прошивки картридера.")
        if self._flow is not None and self._flow.paying:
            return self.tr("Идёт оплата картой: дождитесь её окончания или отмените её (Esc).")
        return None

    def set_language(self, language: Language) -> None:
        self._language = Language(language)
        if self.status is not None:
            self.status.set_language(self._language)
        if self.firmware is not None:
            self.firmware.set_language(self._language)
        if self._flow is not None:
            self._flow.set_language(self._language)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.settings_action.setText(self.tr("&Картридер…"))
        if self.demo_action is not None:
            self.demo_action.setText(self.tr("Картридер: тестовые карты и условия…"))

    def close(self) -> None:
        if self._flow is not None:
            self._flow.stop()
        for dialog in (self._settings_dialog, self._demo_dialog):
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close()

    # -- dialogs ------------------------------------------------------------------------------
    def open_settings(self) -> QDialog | None:
        """«Настройки → Картридер…»."""
        if self.setup is None:
            self._window.statusBar().showMessage(NOT_READY.get(self._language), 5000)
            return None
        if self._settings_dialog is not None and shiboken6.isValid(self._settings_dialog):
            self._settings_dialog.raise_()
            return self._settings_dialog
        from desktop_pos.ui.reader_settings import open_reader_settings

        dialog = open_reader_settings(
            self._window,
            self.setup.manager,
            self.setup.settings,
            on_saved=self.apply_settings,
            language=self._language,
        )
        self._settings_dialog = dialog
        return dialog

    def apply_settings(self, settings: ReaderSettings) -> None:
        """Use the saved settings now and write them into the settings file."""
        setup = self.setup
        if setup is None:
            return
        setup.settings = settings
        setup.manager.settings = settings
        if self._flow is not None:
            self._flow.service.settings = settings
        if self.config_file is None:
            return
        from desktop_pos.config import save_reader_settings

        try:
            save_reader_settings(self.config_file, settings)
        except UserFacingError as exc:
            from desktop_pos.ui.crash import show_user_error

            show_user_error(self._window, exc, self._language)

    def open_demo_panel(self) -> QDialog | None:
        """Demo: the panel that plays the buyer's card and the reader's conditions."""
        setup = self.setup
        if setup is None or not setup.demo_readers:
            return None
        from desktop_pos.ui.demo_reader_panel import DemoReaderPanel, open_demo_reader_panel

        dialog = self._demo_dialog
        if dialog is None or not shiboken6.isValid(dialog):
            dialog = open_demo_reader_panel(self._window, setup.demo_readers)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
            # At the right edge: the reader's screen and the card on the left stay in sight.
            frame = self._window.frameGeometry()
            dialog.move(max(frame.left(), frame.right() - dialog.width()), frame.top() + 140)
            self._demo_dialog = dialog
        panel = dialog.findChild(DemoReaderPanel)
        info = setup.manager.info
        if panel is not None and info is not None:  # act on the reader the till uses now
            panel.choose_reader(info.serial)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()  # the keys go to the panel (also without a window manager)
        return dialog
