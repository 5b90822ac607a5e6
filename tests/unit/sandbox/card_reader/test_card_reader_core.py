"""The emulated reader's logic apart from the radio: info, battery, firmware, dispatch."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from desktop_pos.hardware.reader.gatt_profile import MAX_MESSAGE_SIZE, PROTOCOL_VERSION
from desktop_pos.hardware.reader.messages import (
    ApplicationSelected,
    AuthorizationOutcome,
    AuthorizationResponse,
    BatteryStatus,
    CancelTransaction,
    DisplayCode,
    DisplayText,
    FaultCode,
    FirmwareChunk,
    FirmwareProgress,
    FirmwareRebooting,
    FirmwareUpdateFinish,
    FirmwareUpdateStart,
    GetInfo,
    ReaderFault,
    ReaderInfo,
    ReaderMessage,
    TransactionResult,
    TxnOutcome,
)
from desktop_pos.sandbox.card_reader.emulator import IDENTITIES
from desktop_pos.sandbox.card_reader.firmware import (
    DEMO_IMAGE_SIZE,
    DEMO_UPDATES,
    demo_firmware_image,
    write_demo_firmware_images,
)
from desktop_pos.sandbox.card_reader.reader_core import ReaderCore, ReaderIdentity
from desktop_pos.sandbox.card_reader.test_cards import AID_MIR, get_test_card
from desktop_pos.services.firmware_images import FirmwareImages
from tests.emulated_reader_sansio import env, kinds, play_buyer, start

IDENTITY = ReaderIdentity(
    model="QPOS",
    serial="MPOS0000000001",
    manufacturer="Sandbox",
    app_selection_on_reader=False,
    nfc_default=True,
)
IMAGE = bytes(range(256)) * 20


def core(*, battery_level: int = 80, reboot_s: float = 3.0) -> ReaderCore:
    return ReaderCore(
        IDENTITY, env(), firmware_version="1.0.0", battery_level=battery_level, reboot_s=reboot_s
    )


def fault(messages: list[ReaderMessage]) -> ReaderFault:
    found = [m for m in messages if isinstance(m, ReaderFault)]
    assert len(found) == 1, kinds(messages)
    return found[0]


def test_get_info_describes_the_reader() -> None:
    reader = core(battery_level=64)
    [info] = reader.handle(GetInfo())
    assert info == ReaderInfo(
        model="QPOS",
        serial="MPOS0000000001",
        firmware_version="1.0.0",
        protocol_version=PROTOCOL_VERSION,
        battery_level=64,
        charging=False,
        app_selection_on_reader=False,
        nfc_default=True,
        max_message_size=MAX_MESSAGE_SIZE,
        firmware_update=None,
    )


def test_a_whole_transaction_through_host_messages() -> None:
    reader = core()
    out = reader.handle(start())
    assert kinds(out) == ["Display.PRESENT_CARD"]
    txn = reader.transaction
    assert txn is not None
    out = txn.present(get_test_card("cobadge_mir_maestro")) + play_buyer(txn)
    assert kinds(out)[-1] == "ApplicationSelectionRequest"
    out = reader.handle(ApplicationSelected(7, AID_MIR)) + play_buyer(txn)
    assert kinds(out)[-1] == "AuthorizationRequest"
    out = reader.handle(AuthorizationResponse(7, AuthorizationOutcome.APPROVED))
    assert isinstance(out[-1], TransactionResult) and out[-1].outcome == TxnOutcome.APPROVED
    assert reader.active_transaction is None
    assert kinds(reader.handle(start(txn_id=8)))[-1] == "Display.PRESENT_CARD"


def test_a_second_start_while_busy_and_unknown_transactions() -> None:
    reader = core()
    reader.handle(start())
    assert fault(reader.handle(start(txn_id=8))).code == FaultCode.BUSY
    assert fault(reader.handle(CancelTransaction(99))).code == FaultCode.UNKNOWN_TRANSACTION
    out = reader.handle(CancelTransaction(7))
    assert isinstance(out[-1], TransactionResult)
    assert out[-1].outcome == TxnOutcome.CANCELLED_BY_HOST
    assert reader.handle(CancelTransaction(7)) == []  # a cancel racing the end: already over


def test_bad_start_parameters_are_refused() -> None:
    reader = core()
    assert fault(reader.handle(start(0))).code == FaultCode.BAD_MESSAGE
    assert reader.transaction is None


def test_critical_battery_refuses_a_transaction() -> None:
    reader = core(battery_level=5)
    out = reader.handle(start())
    assert out[0] == BatteryStatus(5, False, True)
    assert DisplayText(7, DisplayCode.LOW_BATTERY, "LOW BATTERY") in out
    refused = fault(out)
    assert (refused.code, refused.txn_id, refused.details) == (
        FaultCode.LOW_BATTERY,
        7,
        {"level": "5"},
    )
    assert reader.transaction is None
    reader.set_battery(5, charging=True)  # on the charger it works again
    assert kinds(reader.handle(start()))[-1] == "Display.PRESENT_CARD"


def test_low_battery_warns_and_still_works() -> None:
    reader = core(battery_level=15)
    out = reader.handle(start())
    assert out == [
        BatteryStatus(15, False, True),
        DisplayText(7, DisplayCode.PRESENT_CARD, "PRESENT CARD"),
    ]
    assert core(battery_level=16).handle(start())[0] == DisplayText(
        7, DisplayCode.PRESENT_CARD, "PRESENT CARD"
    )


def test_battery_running_out_ends_the_transaction() -> None:
    reader = core()
    reader.handle(start())
    assert reader.set_battery(40) == [BatteryStatus(40, False, False)]
    out = reader.set_battery(4)
    assert out[0] == BatteryStatus(4, False, True)
    assert isinstance(out[-1], TransactionResult) and out[-1].outcome == TxnOutcome.LOW_BATTERY
    with pytest.raises(ValueError):
        reader.set_battery(101)


def test_required_firmware_update_refuses_transactions_until_installed() -> None:
    reader = core(battery_level=90, reboot_s=0.01)
    reader.set_firmware_update("1.1.0", required=True, size=len(IMAGE))
    [info] = reader.handle(GetInfo())
    assert isinstance(info, ReaderInfo)
    assert info.firmware_update is not None
    assert (info.firmware_update.version, info.firmware_update.required) == ("1.1.0", True)
    assert info.firmware_update.size == len(IMAGE) and info.firmware_update.estimated_s >= 1
    refused = fault(reader.handle(start()))
    assert (refused.code, refused.details) == (
        FaultCode.FIRMWARE_UPDATE_REQUIRED,
        {"version": "1.1.0"},
    )

    out = install(reader, "1.1.0", IMAGE)
    assert out[-1] == FirmwareRebooting("1.1.0", 1)
    assert reader.rebooting is not None
    assert fault(reader.handle(start())).code == FaultCode.BUSY
    assert reader.finish_reboot() == "1.1.0"
    assert reader.firmware_update is None
    assert kinds(reader.handle(start()))[-1] == "Display.PRESENT_CARD"


def install(
    reader: ReaderCore, version: str, image: bytes, chunk: int = 1000
) -> list[ReaderMessage]:
    out = reader.handle(FirmwareUpdateStart(version, len(image), hashlib.sha256(image).digest()))
    for offset in range(0, len(image), chunk):
        out += reader.handle(FirmwareChunk(offset, image[offset : offset + chunk]))
    return out + reader.handle(FirmwareUpdateFinish(version))


def test_firmware_transfer_reports_progress() -> None:
    reader = core(battery_level=50)
    out = install(reader, "1.2.0", IMAGE)
    progress = [(m.received, m.total) for m in out if isinstance(m, FirmwareProgress)]
    assert progress[0] == (0, len(IMAGE)) and progress[-1] == (len(IMAGE), len(IMAGE))
    assert [received for received, _total in progress] == sorted(
        received for received, _ in progress
    )
    assert out[0] == DisplayText(0, DisplayCode.UPDATING_FIRMWARE, "UPDATING FIRMWARE")


def test_optional_update_does_not_block_payments() -> None:
    reader = core()
    reader.set_firmware_update("1.1.0", required=False, size=100)
    assert kinds(reader.handle(start()))[-1] == "Display.PRESENT_CARD"


def test_firmware_update_is_refused_under_half_battery() -> None:
    reader = core(battery_level=49)
    refused = fault(
        reader.handle(FirmwareUpdateStart("1.1.0", len(IMAGE), hashlib.sha256(IMAGE).digest()))
    )
    assert refused.code == FaultCode.LOW_BATTERY
    assert refused.details == {"level": "49", "required": "50"}
    assert not reader.updating


def test_firmware_with_a_bad_checksum_or_size_is_rejected() -> None:
    reader = core(battery_level=90)
    reader.handle(FirmwareUpdateStart("1.1.0", len(IMAGE), hashlib.sha256(b"other").digest()))
    reader.handle(FirmwareChunk(0, IMAGE))
    assert (
        fault(reader.handle(FirmwareUpdateFinish("1.1.0"))).code == FaultCode.FIRMWARE_IMAGE_INVALID
    )
    assert reader.rebooting is None and reader.firmware_version == "1.0.0"

    reader.handle(FirmwareUpdateStart("1.1.0", len(IMAGE), hashlib.sha256(IMAGE).digest()))
    reader.handle(FirmwareChunk(0, IMAGE[:100]))
    assert (
        fault(reader.handle(FirmwareUpdateFinish("1.1.0"))).code == FaultCode.FIRMWARE_IMAGE_INVALID
    )

    reader.handle(FirmwareUpdateStart("1.1.0", len(IMAGE), hashlib.sha256(IMAGE).digest()))
    assert fault(reader.handle(FirmwareChunk(10, IMAGE[10:20]))).code == (
        FaultCode.FIRMWARE_IMAGE_INVALID
    )
    assert fault(reader.handle(FirmwareUpdateFinish("1.1.0"))).code == FaultCode.BAD_MESSAGE
    assert fault(reader.handle(FirmwareUpdateStart("1.1.0", 0, bytes(32)))).code == (
        FaultCode.FIRMWARE_IMAGE_INVALID
    )


def test_a_repeated_chunk_is_harmless() -> None:
    reader = core(battery_level=90)
    reader.handle(FirmwareUpdateStart("1.1.0", len(IMAGE), hashlib.sha256(IMAGE).digest()))
    reader.handle(FirmwareChunk(0, IMAGE[:1000]))
    assert reader.handle(FirmwareChunk(0, IMAGE[:1000])) == [FirmwareProgress(1000, len(IMAGE))]
    reader.handle(FirmwareChunk(1000, IMAGE[1000:]))
    assert isinstance(reader.handle(FirmwareUpdateFinish("1.1.0"))[0], FirmwareRebooting)


def test_no_firmware_update_during_a_transaction_and_link_loss_drops_both() -> None:
    reader = core(battery_level=90)
    reader.handle(start())
    assert fault(reader.handle(FirmwareUpdateStart("1.1.0", 10, bytes(32)))).code == FaultCode.BUSY
    reader.link_lost()
    assert reader.transaction is None
    reader.handle(FirmwareUpdateStart("1.1.0", 10, bytes(32)))
    assert reader.updating
    reader.link_lost()
    assert not reader.updating


def test_demo_firmware_images_are_found_and_verified_by_the_app(tmp_path: Path) -> None:
    written = write_demo_firmware_images(tmp_path / "firmware")
    assert {path.name for path in written} == {"bluepad-2.5.0.bin", "qpos-1.9.0.bin"}
    images = FirmwareImages(tmp_path / "firmware")
    for model, version in DEMO_UPDATES.items():
        image = images.find(IDENTITIES[model].model, version)
        assert image is not None
        assert images.read(image) == demo_firmware_image(model, version)
    assert demo_firmware_image("qpos", "1.9.0") != demo_firmware_image("qpos", "1.9.1")
    assert len(demo_firmware_image("qpos", "1.9.0")) == DEMO_IMAGE_SIZE
