"""Card reader failures the cashier reads, each with its Russian and English message.

Every class has a default message that says what to do, so ``raise ReaderNotFound()`` is
enough. A technical detail for the logs (``"chunk 3 of message 7: bad CRC"``) can be passed as a
plain string: the cashier still sees the default message, the detail goes to ``str()`` and
``detail``. ``retryable`` tells the UI whether a "Повторить" (retry) button makes sense.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from desktop_pos.hardware.reader.messages import FaultCode, ReaderFault
from desktop_pos.models.errors import UserFacingError
from desktop_pos.models.texts import LocalizedText

BluetoothProblem = Literal["no_adapter", "no_bluez", "adapter_off", "no_permission"]


class ReaderError(UserFacingError):
    """Base class of every card reader failure."""

    default_text: ClassVar[LocalizedText] = LocalizedText(
        "Ошибка картридера. Проверьте, что картридер включён и находится рядом, "
        "и повторите попытку.",
        "Card reader error. Check that the card reader is on and nearby, then try again.",
    )
    retryable: ClassVar[bool] = True

    def __init__(
        self,
        text: LocalizedText | str | None = None,
        *,
        detail: str = "",
        field: str | None = None,
    ) -> None:
        if isinstance(text, str):
            detail = detail or text
            text = None
        super().__init__(text if text is not None else type(self).default_text, field=field)
        self.detail = detail

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base} ({self.detail})" if self.detail else base


_BLUETOOTH_TEXTS: dict[str, LocalizedText] = {
    "no_adapter": LocalizedText(
        "На компьютере нет адаптера Bluetooth. Подключите адаптер Bluetooth "
        "или выберите другой способ оплаты.",
        "This computer has no Bluetooth adapter. Plug in a Bluetooth adapter "
        "or choose another payment method.",
    ),
    "no_bluez": LocalizedText(
        "Служба Bluetooth на компьютере не запущена. Попросите администратора запустить "
        "службу Bluetooth (bluetoothd) или выберите другой способ оплаты.",
        "The Bluetooth service is not running on this computer. Ask the administrator to "
        "start the Bluetooth service (bluetoothd) or choose another payment method.",
    ),
    "adapter_off": LocalizedText(
        "Bluetooth выключен. Включите Bluetooth в настройках компьютера "
        "или выберите другой способ оплаты.",
        "Bluetooth is off. Turn Bluetooth on in the computer's settings "
        "or choose another payment method.",
    ),
    "no_permission": LocalizedText(
        "Программе не разрешено использовать Bluetooth. Попросите администратора дать "
        "доступ к Bluetooth или выберите другой способ оплаты.",
        "The application is not allowed to use Bluetooth. Ask the administrator to grant "
        "Bluetooth access or choose another payment method.",
    ),
}


class BluetoothUnavailable(ReaderError):
    """Bluetooth cannot be used at all; ``reason`` says why (the UI offers other methods)."""

    default_text = _BLUETOOTH_TEXTS["adapter_off"]
    retryable = False

    def __init__(
        self,
        reason: BluetoothProblem = "adapter_off",
        *,
        detail: str = "",
        text: LocalizedText | None = None,
    ) -> None:
        if reason not in _BLUETOOTH_TEXTS:
            raise ValueError(f"unknown Bluetooth problem {reason!r}")
        super().__init__(text if text is not None else _BLUETOOTH_TEXTS[reason], detail=detail)
        self.reason: BluetoothProblem = reason


class ReaderNotFound(ReaderError):
    """No reader answered the scan (off, out of range, or paired with another device)."""

    default_text = LocalizedText(
        "Картридер не найден. Включите картридер, поднесите его ближе к компьютеру "
        "и повторите поиск.",
        "No card reader found. Turn the card reader on, bring it closer to the computer "
        "and search again.",
    )


class ReaderConnectionLost(ReaderError):
    """The Bluetooth link to the reader dropped."""

    default_text = LocalizedText(
        "Связь с картридером потеряна. Проверьте, что картридер включён и находится рядом, "
        "и повторите попытку.",
        "The connection to the card reader was lost. Check that the card reader is on and "
        "nearby, then try again.",
    )


class PairingFailed(ReaderError):
    """The reader refused pairing or bonding."""

    default_text = LocalizedText(
        "Не удалось выполнить сопряжение с картридером. Выключите и снова включите картридер "
        "и повторите подключение.",
        "Pairing with the card reader failed. Turn the card reader off and on again, "
        "then connect again.",
    )


class ReaderTimeout(ReaderError):
    """The reader did not answer in time."""

    default_text = LocalizedText(
        "Картридер не ответил вовремя. Проверьте, что картридер включён и находится рядом, "
        "и повторите попытку.",
        "The card reader did not answer in time. Check that the card reader is on and "
        "nearby, then try again.",
    )


class ReaderProtocolError(ReaderError):
    """Bytes on the link that do not follow docs/reader-protocol.md."""

    default_text = LocalizedText(
        "Картридер прислал непонятные данные. Выключите и снова включите картридер; если "
        "ошибка повторится, обновите прошивку картридера.",
        "The card reader sent data the application cannot read. Turn the card reader off "
        "and on again; if the error repeats, update the card reader's firmware.",
    )


class LinkTimeout(ReaderTimeout):
    """A message was not acknowledged after every retransmission."""

    default_text = LocalizedText(
        "Картридер перестал отвечать. Проверьте, что картридер включён и находится рядом, "
        "и повторите попытку.",
        "The card reader stopped answering. Check that the card reader is on and nearby, "
        "then try again.",
    )


class LinkClosed(ReaderConnectionLost):
    """The message channel was closed (disconnect, or closed by the application)."""


class ReaderBusy(ReaderError):
    """The reader is in another transaction or a firmware update."""

    default_text = LocalizedText(
        "Картридер занят другой операцией. Дождитесь её окончания или отмените её "
        "на картридере и повторите попытку.",
        "The card reader is busy with another operation. Wait for it to finish or cancel "
        "it on the card reader, then try again.",
    )


_FAULT_TEXTS: dict[FaultCode, LocalizedText] = {
    FaultCode.BUSY: ReaderBusy.default_text,
    FaultCode.LOW_BATTERY: LocalizedText(
        "Низкий заряд батареи картридера. Подключите картридер к зарядному устройству "
        "и повторите попытку.",
        "The card reader's battery is low. Connect the card reader to its charger and try again.",
    ),
    FaultCode.FIRMWARE_UPDATE_REQUIRED: LocalizedText(
        "Картридеру требуется обновление прошивки. Обновите прошивку и повторите оплату.",
        "The card reader needs a firmware update. Update the firmware and try the payment again.",
    ),
    FaultCode.FIRMWARE_IMAGE_INVALID: LocalizedText(
        "Картридер отклонил файл прошивки. Повторите обновление; если ошибка повторится, "
        "обратитесь в поддержку.",
        "The card reader rejected the firmware image. Repeat the update; if the error "
        "repeats, contact support.",
    ),
    FaultCode.UNSUPPORTED_VERSION: LocalizedText(
        "Версия протокола картридера не поддерживается. Обновите прошивку картридера "
        "или программу.",
        "The card reader's protocol version is not supported. Update the card reader's "
        "firmware or the application.",
    ),
}


class ReaderFaultError(ReaderError):
    """The reader answered with a ``ReaderFault``; the message follows the fault's code."""

    def __init__(self, fault: ReaderFault) -> None:
        text = _FAULT_TEXTS.get(fault.code, ReaderError.default_text)
        detail = f"{fault.code.name}: {fault.text}" if fault.text else fault.code.name
        super().__init__(text, detail=detail)
        self.fault = fault

    @property
    def code(self) -> FaultCode:
        return self.fault.code
