"""The card reader's firmware update: the offer, the refusal under 50 % battery, the progress.

Integration::

    images = FirmwareImages(reader_settings.firmware_dir)
    updates = FirmwareUpdateController(manager, window, images=images)
    # it opens the dialog by itself when the manager reports FirmwareUpdateNeeded;
    updates.offer()                # or on demand: the connected reader's update, if any
    updates.updating               # True while an image is sent: the window refuses to close
    updates.finished.connect(...)  # finished(bool): installed or not (a required one blocks cards)

The dialog (``FirmwareUpdateDialog``) says whether the update is required («Без обновления оплата
картой невозможна.») or optional, the new version, the size and how long it takes. Under
``FIRMWARE_MIN_BATTERY_PERCENT`` (50 %) it refuses with the reason and what to do; it enables
«Обновить» by itself once the battery has been charged. While the image is sent the dialog is
window-modal and cannot be closed (Esc, the close button and «Позже» do nothing), so the window
behind it cannot be used until the reader has rebooted with the new firmware.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_pos.hardware.reader.gatt_profile import FIRMWARE_MIN_BATTERY_PERCENT
from desktop_pos.hardware.reader.messages import FirmwareUpdateInfo, ReaderInfo
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import Language
from desktop_pos.ui import theme
from desktop_pos.ui.tasks import run_task

if TYPE_CHECKING:
    import asyncio

    from desktop_pos.services.card_reader import ReaderManager
    from desktop_pos.services.firmware_images import FirmwareImages

log = logging.getLogger(__name__)


REBOOT_TIMEOUT_S = 60.0
"""How long the dialog waits for the reader to come back with the new firmware."""


class UpdateStep(StrEnum):
    OFFER = "offer"
    SENDING = "sending"
    REBOOTING = "rebooting"
    DONE = "done"
    FAILED = "failed"


def duration_text(seconds: int) -> str:
    """«около 40 с» / «около 2 мин»."""
    if seconds < 60:
        return QCoreApplication.translate("FirmwareUpdateDialog", "около {seconds} с").format(
            seconds=max(1, seconds)
        )
    return QCoreApplication.translate("FirmwareUpdateDialog", "около {minutes} мин").format(
        minutes=round(seconds / 60)
    )


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return QCoreApplication.translate("FirmwareUpdateDialog", "{kb} КБ").format(
            kb=max(1, round(size / 1024))
        )
    return QCoreApplication.translate("FirmwareUpdateDialog", "{mb:.1f} МБ").format(
        mb=size / (1024 * 1024)
    )


class FirmwareUpdateDialog(QDialog):
    """Shows one update; ``update_requested`` when the cashier presses «Обновить»."""

    update_requested = Signal()

    def __init__(
        self,
        update: FirmwareUpdateInfo,
        reader: ReaderInfo | None,
        battery: int | None,
        parent: QWidget | None = None,
        *,
        language: Language = Language.RU,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firmwareUpdateDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self._update = update
        self._reader = reader
        self._battery = battery
        self._charging = False
        self._language = Language(language)
        self._step = UpdateStep.OFFER
        self._error: UserFacingError | None = None
        self._received = 0
        self._total = update.size

        self._title = QLabel()
        self._title.setObjectName("firmwareTitle")
        theme.set_role(self._title, theme.ROLE_HEADER)
        self._message = QLabel()
        self._message.setObjectName("firmwareMessage")
        self._message.setWordWrap(True)
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._details = QLabel()
        self._details.setObjectName("firmwareDetails")
        self._details.setWordWrap(True)
        self._details.setTextFormat(Qt.TextFormat.PlainText)
        self._refusal = QLabel()
        self._refusal.setObjectName("firmwareRefusal")
        self._refusal.setWordWrap(True)
        self._refusal.setTextFormat(Qt.TextFormat.PlainText)
        theme.set_role(self._refusal, theme.ROLE_ERROR)
        self._progress = QProgressBar()
        self._progress.setObjectName("firmwareProgress")
        self._progress.setRange(0, 100)
        self._progress_text = QLabel()
        self._progress_text.setObjectName("firmwareProgressText")

        self._later_button = QPushButton()
        self._later_button.setObjectName("firmwareLaterButton")
        theme.set_role(self._later_button, theme.ROLE_SECONDARY)
        self._update_button = QPushButton()
        self._update_button.setObjectName("firmwareUpdateButton")
        theme.set_role(self._update_button, theme.ROLE_PRIMARY)
        self._close_button = QPushButton()
        self._close_button.setObjectName("firmwareCloseButton")
        theme.set_role(self._close_button, theme.ROLE_PRIMARY)
        for button in (self._later_button, self._update_button, self._close_button):
            button.setMinimumHeight(theme.BUTTON_MIN_HEIGHT)
        self._later_button.clicked.connect(self.reject)
        self._update_button.clicked.connect(self._start)
        self._close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self._later_button)
        buttons.addStretch(1)
        buttons.addWidget(self._update_button)
        buttons.addWidget(self._close_button)

        body = QVBoxLayout()
        body.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        body.setSpacing(theme.SPACING)
        body.addWidget(self._message)
        body.addWidget(self._details)
        body.addWidget(self._refusal)
        body.addWidget(self._progress)
        body.addWidget(self._progress_text)
        body.addStretch(1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._title)
        layout.addLayout(body, 1)
        self.retranslate_ui()
        self.resize(640, 420)  # fits 1280×800

    # -- public API -------------------------------------------------------------------------------
    def update_info(self) -> FirmwareUpdateInfo:
        return self._update

    def step(self) -> UpdateStep:
        return self._step

    def battery_allows(self) -> bool:
        """As the reader: at least 50 %, or any level while it charges."""
        return (
            self._battery is None or self._battery >= FIRMWARE_MIN_BATTERY_PERCENT or self._charging
        )

    def set_battery(self, level: int | None, charging: bool = False) -> None:
        self._battery = level
        self._charging = charging
        self.retranslate_ui()

    def set_progress(self, received: int, total: int) -> None:
        self._received, self._total = received, max(total, 1)
        if self._step is UpdateStep.OFFER:
            self._step = UpdateStep.SENDING
        if self._step is UpdateStep.SENDING and received >= total > 0:
            self._step = UpdateStep.REBOOTING  # all sent: the reader installs and restarts
        self.retranslate_ui()

    def set_sending(self) -> None:
        self._step = UpdateStep.SENDING
        self._error = None
        self.retranslate_ui()

    def set_rebooting(self) -> None:
        self._step = UpdateStep.REBOOTING
        self._received = self._total
        self.retranslate_ui()

    def set_done(self, version: str) -> None:
        self._step = UpdateStep.DONE
        self._update = FirmwareUpdateInfo(
            version, self._update.required, self._update.size, self._update.estimated_s
        )
        self.retranslate_ui()
        self._close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_failed(self, error: UserFacingError) -> None:
        self._step = UpdateStep.FAILED
        self._error = error
        self.retranslate_ui()

    def is_locked(self) -> bool:
        """The image is being sent or the reader is rebooting: the dialog cannot be closed."""
        return self._step in (UpdateStep.SENDING, UpdateStep.REBOOTING)

    def message_text(self) -> str:
        return self._message.text()

    def details_text(self) -> str:
        return self._details.text()

    def refusal_text(self) -> str:
        return self._refusal.text() if not self._refusal.isHidden() else ""

    def progress_value(self) -> int:
        return self._progress.value()

    def update_enabled(self) -> bool:
        return self._update_button.isEnabled() and not self._update_button.isHidden()

    # -- internals --------------------------------------------------------------------------------
    def _start(self) -> None:
        if self._step in (UpdateStep.OFFER, UpdateStep.FAILED) and self.battery_allows():
            self.set_sending()
            self.update_requested.emit()

    def retranslate_ui(self) -> None:
        update, step = self._update, self._step
        self.setWindowTitle(self.tr("Обновление прошивки картридера"))
        self._title.setText(self.tr("ОБНОВЛЕНИЕ ПРОШИВКИ"))
        serial = self._reader.serial if self._reader is not None else ""
        current = self._reader.firmware_version if self._reader is not None else ""
        if step is UpdateStep.DONE:
            message = self.tr("Прошивка картридера {serial} обновлена до версии {version}.")
        elif step is UpdateStep.REBOOTING:
            message = self.tr(
                "Прошивка передана. Картридер {serial} перезагружается, не выключайте его..."
            )
        elif step is UpdateStep.SENDING:
            message = self.tr(
                "Обновление прошивки картридера {serial}... Не выключайте картридер и не "
                "уносите его от компьютера."
            )
        elif update.required:
            message = self.tr(
                "Картридеру {serial} требуется обновление прошивки до версии {version}. "
                "Без обновления оплата картой невозможна."
            )
        else:
            message = self.tr(
                "Для картридера {serial} есть новая прошивка {version}. Обновить сейчас?"
            )
        self._message.setText(message.format(serial=serial, version=update.version))
        details = self.tr(
            "Текущая версия: {current}. Размер: {size}. Обновление займёт {duration}."
        ).format(
            current=current or "—",
            size=size_text(update.size),
            duration=duration_text(update.estimated_s),
        )
        self._details.setText(details)
        self._details.setVisible(step is not UpdateStep.DONE)

        refusal = ""
        if step in (UpdateStep.OFFER, UpdateStep.FAILED) and not self.battery_allows():
            refusal = self.tr(
                "Обновление невозможно: заряд батареи картридера {level} %, а нужно не меньше "
                "{minimum} %. Подключите картридер к зарядному устройству; кнопка «Обновить» "
                "станет доступна, когда заряд будет достаточным."
            ).format(level=self._battery, minimum=FIRMWARE_MIN_BATTERY_PERCENT)
        elif step is UpdateStep.FAILED and self._error is not None:
            refusal = self._error.text.get(self._language)
        self._refusal.setText(refusal)
        self._refusal.setVisible(bool(refusal))

        shows_progress = step in (UpdateStep.SENDING, UpdateStep.REBOOTING)
        percent = min(100, self._received * 100 // max(self._total, 1))
        self._progress.setValue(percent)
        self._progress.setVisible(shows_progress)
        self._progress_text.setText(
            self.tr("Передано {received} из {total}").format(
                received=size_text(self._received),
                total=size_text(self._total),
            )
        )
        self._progress_text.setVisible(shows_progress)

        offering = step in (UpdateStep.OFFER, UpdateStep.FAILED)
        self._update_button.setText(
            self.tr("Повторить") if step is UpdateStep.FAILED else self.tr("Обновить")
        )
        self._update_button.setVisible(offering)
        self._update_button.setEnabled(offering and self.battery_allows())
        self._later_button.setText(self.tr("Позже"))
        self._later_button.setVisible(offering)
        self._close_button.setText(self.tr("Готово"))
        self._close_button.setVisible(step is UpdateStep.DONE)
        default = self._update_button if self.update_enabled() else None
        if step is UpdateStep.DONE:
            default = self._close_button
        for button in (self._update_button, self._close_button, self._later_button):
            button.setDefault(button is default)
        self._later_button.setDefault(default is None and offering)

    # -- nothing closes it while the reader is being written --------------------------------------
    def reject(self) -> None:
        if not self.is_locked():
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.is_locked() and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_locked():
            event.ignore()
            return
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)


def _update_of(event: object) -> FirmwareUpdateInfo | None:
    """The ``FirmwareUpdateInfo`` a ``FirmwareUpdateNeeded`` event (or a ``ReaderInfo``) carries."""
    for candidate in (event, getattr(event, "info", None), getattr(event, "update", None)):
        if isinstance(candidate, FirmwareUpdateInfo):
            return candidate
        if isinstance(candidate, ReaderInfo):
            return candidate.firmware_update
    return None


class FirmwareUpdateController(QObject):
    """Offers reader updates over ``window`` and installs them through the manager."""

    finished = Signal(bool)
    """After a dialog closes: True when the new firmware is installed."""
    _event_arrived = Signal(object)

    def __init__(
        self,
        manager: ReaderManager,
        window: QWidget,
        *,
        images: FirmwareImages | None = None,
        language: Language = Language.RU,
        reboot_timeout_s: float = REBOOT_TIMEOUT_S,
    ) -> None:
        super().__init__(window)
        self._reboot_timer = QTimer(self)
        self._reboot_timer.setSingleShot(True)
        self._reboot_timer.setInterval(int(reboot_timeout_s * 1000))
        self._reboot_timer.timeout.connect(self._not_back)
        self._manager = manager
        self._window = window
        self._images = images
        self._language = Language(language)
        self._dialog: FirmwareUpdateDialog | None = None
        self._task: asyncio.Task[Any] | None = None
        self._installed = False
        self._target = ""
        self._event_arrived.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        manager.add_listener(self._listen)

    # -- public API -------------------------------------------------------------------------------
    @property
    def updating(self) -> bool:
        return self._dialog is not None and self._dialog.is_locked()

    def dialog(self) -> FirmwareUpdateDialog | None:
        return self._dialog

    def set_language(self, language: Language) -> None:
        self._language = Language(language)

    def offer(self, update: FirmwareUpdateInfo | None = None) -> FirmwareUpdateDialog | None:
        """Show the update of the connected reader (or ``update``); None when there is none."""
        info = getattr(self._manager, "info", None)
        if update is None and isinstance(info, ReaderInfo):
            update = info.firmware_update
        if update is None:
            return None
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            self._dialog.raise_()
            return self._dialog
        dialog = FirmwareUpdateDialog(
            update,
            info if isinstance(info, ReaderInfo) else None,
            self._battery(),
            self._window,
            language=self._language,
        )
        dialog.set_battery(self._battery(), self._charging())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.update_requested.connect(self._install)
        dialog.finished.connect(self._closed)
        self._dialog = dialog
        self._installed = False
        log.info(
            "firmware %s offered (%s)",
            update.version,
            "required" if update.required else "optional",
        )
        dialog.open()
        return dialog

    # -- events from the manager ------------------------------------------------------------------
    def _listen(self, event: object) -> None:
        if shiboken6.isValid(self):
            self._event_arrived.emit(event)

    def _on_event(self, event: object) -> None:
        kind = type(event).__name__
        dialog = (
            self._dialog if self._dialog is not None and shiboken6.isValid(self._dialog) else None
        )
        if kind == "FirmwareUpdateNeeded":
            if dialog is None:
                self.offer(_update_of(event))
        elif kind == "FirmwareProgress" and dialog is not None:
            received = getattr(event, "received", 0)
            total = getattr(event, "total", 0)
            dialog.set_progress(int(received), int(total))
        elif kind == "BatteryChanged" and dialog is not None:
            dialog.set_battery(self._battery(), self._charging())
        elif kind == "StateChanged" and dialog is not None:
            self._check_back(dialog)

    def _check_back(self, dialog: FirmwareUpdateDialog) -> None:
        """After the reboot: the reader is back with the new version."""
        if dialog.step() is not UpdateStep.REBOOTING:
            return
        info = getattr(self._manager, "info", None)
        state = str(getattr(getattr(self._manager, "state", None), "value", "")).lower()
        if (
            state == "connected"
            and isinstance(info, ReaderInfo)
            and info.firmware_version == self._target
        ):
            self._installed = True
            self._reboot_timer.stop()
            dialog.set_done(info.firmware_version)
            log.info("reader %s runs firmware %s", info.serial, info.firmware_version)

    def _charging(self) -> bool:
        link = getattr(self._manager, "link", None)
        return bool(getattr(link, "charging", False))

    def _battery(self) -> int | None:
        level = getattr(self._manager, "battery", None)
        if isinstance(level, int):
            return level
        info = getattr(self._manager, "info", None)
        return info.battery_level if isinstance(info, ReaderInfo) else None

    # -- installing -------------------------------------------------------------------------------
    def _install(self) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        update = dialog.update_info()
        info = getattr(self._manager, "info", None)
        model = info.model if isinstance(info, ReaderInfo) else ""
        self._target = update.version

        async def install() -> None:
            if self._images is None:
                from desktop_pos.models.texts import LocalizedText
                from desktop_pos.services.firmware_images import FirmwareImageError

                raise FirmwareImageError(
                    LocalizedText(
                        "Папка с прошивками картридера не настроена ([reader] firmware_dir).",
                        "The card reader firmware folder is not set ([reader] firmware_dir).",
                    )
                )
            image = await self._images.load(model, update.version)
            await self._manager.update_firmware(image, update.version)

        def sent(_result: None) -> None:
            # The manager returns once the rebooted reader is connected again.
            if self._dialog is not dialog or not shiboken6.isValid(dialog):
                return
            dialog.set_rebooting()
            self._check_back(dialog)
            if dialog.step() is UpdateStep.REBOOTING:
                self._reboot_timer.start()

        def failed(error: BaseException) -> None:
            if self._dialog is dialog and shiboken6.isValid(dialog):
                assert isinstance(error, UserFacingError)
                dialog.set_battery(self._battery(), self._charging())
                dialog.set_failed(error)

        self._task = run_task(install(), on_success=sent, on_error=failed)

    def _not_back(self) -> None:
        dialog = self._dialog
        if (
            dialog is None
            or not shiboken6.isValid(dialog)
            or dialog.step() is not UpdateStep.REBOOTING
        ):
            return
        from desktop_pos.hardware.reader.errors import ReaderTimeout
        from desktop_pos.models.texts import LocalizedText

        log.warning(
            "reader did not come back %s s after the firmware update",
            self._reboot_timer.interval() / 1000,
        )
        dialog.set_failed(
            ReaderTimeout(
                LocalizedText(
                    "Картридер не подключился после перезагрузки. Проверьте, что он включён и "
                    "находится рядом; прошивку можно проверить в «Настройки → Картридер…».",
                    "The card reader did not reconnect after rebooting. Check that it is on and "
                    "nearby; the firmware can be checked in «Settings → Card reader…».",
                )
            )
        )

    def _closed(self, _result: int) -> None:
        self._reboot_timer.stop()
        installed = self._installed
        self._dialog = None
        self.finished.emit(installed)
