"""The emulated readers over the virtual radio, reached with plain bleak and a MessageChannel."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace

from desktop_pos.hardware.reader.codec import encode_message
from desktop_pos.hardware.reader.gatt_profile import (
    BATTERY_LEVEL_UUID,
    FIRMWARE_REVISION_UUID,
    MANUFACTURER_NAME_UUID,
    MODEL_NUMBER_UUID,
    READER_SERVICE_UUID,
    SERIAL_NUMBER_UUID,
)
from desktop_pos.hardware.reader.messages import (
    ApplicationChoice,
    ApplicationSelected,
    ApplicationSelectionRequest,
    AuthorizationOutcome,
    AuthorizationRequest,
    AuthorizationResponse,
    BatteryStatus,
    CancelTransaction,
    CardRead,
    Cvm,
    CvmResult,
    DisplayCode,
    DisplayText,
    EntryMode,
    FaultCode,
    FirmwareChunk,
    FirmwareProgress,
    FirmwareRebooting,
    FirmwareUpdateFinish,
    FirmwareUpdateStart,
    GetInfo,
    ReaderFault,
    ReaderInfo,
    TxnOutcome,
)
from desktop_pos.sandbox.card_data_crypto import (
    SANDBOX_KEY,
    SANDBOX_KEY_ID,
    card_data_aad,
    open_card_data,
)
from desktop_pos.sandbox.card_reader.emulator import (
    FAST_TIMINGS,
    EmulatedReader,
    start_demo_readers,
)
from desktop_pos.sandbox.card_reader.firmware import demo_firmware_image
from desktop_pos.sandbox.card_reader.gatt_server import payload_size_for
from desktop_pos.sandbox.card_reader.test_cards import AID_MAESTRO, AID_MIR
from desktop_pos.sandbox.card_reader.transaction import ReaderTimings
from desktop_pos.sandbox.virtual_radio import VirtualRadio
from tests.emulated_reader_host import Host, connect, discover, on_radio
from tests.emulated_reader_sansio import ORDER, start

APPROVED = AuthorizationResponse(
    7, AuthorizationOutcome.APPROVED, "AS000", "00", "123456", bytes.fromhex("910A") + bytes(10)
)


async def reader_on(radio: VirtualRadio, model: str = "qpos", **kwargs: object) -> EmulatedReader:
    reader = EmulatedReader(model, timings=FAST_TIMINGS, **kwargs)  # type: ignore[arg-type]
    await reader.start(radio)
    return reader


async def pay(host: Host, amount_minor: int = 15000, txn_id: int = 7) -> list[object]:
    """Start, answer the authorization with APPROVED, return everything up to the result."""
    first = len(host.received)
    await host.send(start(amount_minor, txn_id=txn_id))
    await host.until(AuthorizationRequest)
    await host.send(replace(APPROVED, txn_id=txn_id))
    await host.result()
    return list(host.received[first:])


def test_demo_readers_advertise_their_serials_and_describe_themselves() -> None:
    async def test(radio: VirtualRadio) -> None:
        bluepad, qpos = await start_demo_readers(radio, timings=FAST_TIMINGS)
        found = await discover(radio)
        names = {adv.local_name: adv for _device, adv in found.values()}
        assert set(names) == {"PP0918900518", "MPOS0000000001"}
        assert all(READER_SERVICE_UUID in adv.service_uuids for adv in names.values())

        host = await connect(radio, qpos)
        client = host.client
        assert await client.read_gatt_char(MODEL_NUMBER_UUID) == b"QPOS"
        assert await client.read_gatt_char(SERIAL_NUMBER_UUID) == b"MPOS0000000001"
        assert await client.read_gatt_char(FIRMWARE_REVISION_UUID) == b"1.8.2"
        assert (await client.read_gatt_char(MANUFACTURER_NAME_UUID)).startswith(b"Sandbox")
        assert await client.read_gatt_char(BATTERY_LEVEL_UUID) == bytes([80])
        await host.send(GetInfo())
        info = await host.next()
        assert isinstance(info, ReaderInfo)
        assert (info.serial, info.model, info.app_selection_on_reader, info.nfc_default) == (
            "MPOS0000000001",
            "QPOS",
            False,
            True,
        )
        await host.close()

        host = await connect(radio, bluepad)
        await host.send(GetInfo())
        info = await host.next()
        assert isinstance(info, ReaderInfo)
        assert (info.serial, info.app_selection_on_reader) == ("PP0918900518", True)
        await host.close()
        await bluepad.stop()
        await qpos.stop()

    on_radio(test)


def test_contactless_payment_at_mtu_23() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio, max_mtu=23)
        host = await connect(radio, reader)
        assert host.client.mtu_size == 23
        reader.next_card("visa_contactless")
        messages = await pay(host)
        codes = [m.code for m in messages if isinstance(m, DisplayText)]
        assert codes == [
            DisplayCode.PRESENT_CARD,
            DisplayCode.CARD_TAPPED,
            DisplayCode.PROCESSING,
            DisplayCode.REMOVE_CARD,
            DisplayCode.APPROVED,
        ]
        assert CvmResult(7, Cvm.NONE) in messages
        request = next(m for m in messages if isinstance(m, AuthorizationRequest))
        secrets = open_card_data(
            request.card_data, {SANDBOX_KEY_ID: SANDBOX_KEY}, card_data_aad(ORDER, 15000)
        )
        assert secrets.pan == "4220000000000006"
        assert messages[-1].outcome == TxnOutcome.APPROVED  # type: ignore[attr-defined]
        live = reader.stats
        assert live.connections == 1 and live.frames_sent > len(messages)  # chunked at 20 bytes
        assert live.last_payload_size == 20
        await host.close()
        await asyncio.sleep(0.02)
        assert reader.stats.transactions == 1
        assert reader.stats.messages_sent["AuthorizationRequest"] == 1
        assert reader.stats.last_payload_size == 20
        assert reader.stats.frames_sent > len(messages)  # chunked at 20 bytes
        await reader.stop()

    on_radio(test)


def test_frames_follow_the_mtu_up_to_atts_512_byte_value_limit() -> None:
    assert [payload_size_for(mtu) for mtu in (0, 23, 185, 247, 515, 516, 517)] == [
        20,
        20,
        182,
        244,
        512,
        512,
        512,
    ]


def test_payment_and_firmware_update_at_mtu_517_use_512_byte_frames() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio, max_mtu=517)
        host = await connect(radio, reader, mtu=517)
        assert host.client.mtu_size == 517
        assert reader.stats.last_payload_size == 512
        assert host.channel.payload_size == 512
        reader.next_card("visa_contactless")
        messages = await pay(host)
        assert messages[-1].outcome == TxnOutcome.APPROVED  # type: ignore[attr-defined]
        assert 0 < host.largest_notification <= 512

        image = demo_firmware_image("qpos", "9.0.0")
        await host.send(FirmwareUpdateStart("9.0.0", len(image), hashlib.sha256(image).digest()))
        assert isinstance(await host.until(FirmwareProgress), FirmwareProgress)
        for offset in range(0, len(image), 4096):
            await host.send(FirmwareChunk(offset, image[offset : offset + 4096]))
        await host.send(FirmwareUpdateFinish("9.0.0"))
        assert isinstance(await host.until(FirmwareRebooting), FirmwareRebooting)
        assert host.largest_notification <= 512
        await host.close()
        await reader.stop()

    on_radio(test)


def test_co_badged_chip_on_qpos_asks_the_host_then_pays_with_maestro() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio, "qpos")
        host = await connect(radio, reader)
        reader.next_card("cobadge_mir_maestro", EntryMode.CHIP)
        await host.send(start())
        request = await host.until(ApplicationSelectionRequest)
        assert [app.label for app in request.applications] == ["MIR", "Maestro"]
        await host.send(ApplicationSelected(7, AID_MAESTRO))
        read = await host.until(CardRead)
        assert (read.aid, read.brand, read.application_choice) == (
            AID_MAESTRO,
            "MAESTRO",
            ApplicationChoice.HOST,
        )
        await host.until(AuthorizationRequest)  # the buyer typed the PIN on the reader
        await host.send(APPROVED)
        assert (await host.result()).outcome == TxnOutcome.APPROVED
        await host.close()
        await reader.stop()

    on_radio(test)


def test_co_badged_chip_on_bluepad_is_chosen_on_the_reader() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio, "bluepad")
        host = await connect(radio, reader)
        reader.next_card("cobadge_mir_maestro", EntryMode.CHIP)
        messages = await pay(host)
        assert not any(isinstance(m, ApplicationSelectionRequest) for m in messages)
        assert DisplayText(7, DisplayCode.SELECT_APPLICATION, "SELECT APPLICATION") in messages
        read = next(m for m in messages if isinstance(m, CardRead))
        assert (read.aid, read.application_choice) == (AID_MIR, ApplicationChoice.READER)
        await host.close()
        await reader.stop()

    on_radio(test)


def test_wrong_pin_then_right_and_a_manual_present() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio)
        host = await connect(radio, reader)
        await host.send(start())
        await host.until(DisplayText)
        reader.present_card("mir_wrong_pin_then_right")
        await host.until(AuthorizationRequest)
        codes = [m.code for m in host.received if isinstance(m, DisplayText)]
        assert codes[-5:] == [
            DisplayCode.ENTER_PIN,
            DisplayCode.WRONG_PIN,
            DisplayCode.ENTER_PIN,
            DisplayCode.PIN_OK,
            DisplayCode.PROCESSING,
        ]
        await host.send(APPROVED)
        assert (await host.result()).outcome == TxnOutcome.APPROVED
        await host.close()
        await reader.stop()

    on_radio(test)


def test_cancel_on_reader_and_host_cancel_and_no_answer() -> None:
    async def test(radio: VirtualRadio) -> None:
        timings = replace(FAST_TIMINGS, reader=ReaderTimings(authorization_s=0.2))
        reader = EmulatedReader("qpos", timings=timings)
        await reader.start(radio)
        host = await connect(radio, reader)

        reader.next_card("cancel_on_reader")
        await host.send(start(txn_id=1))
        assert (await host.result()).outcome == TxnOutcome.CANCELLED_ON_READER

        await host.send(start(txn_id=2))
        await host.until(DisplayText)
        await host.send(CancelTransaction(2))
        assert (await host.result()).outcome == TxnOutcome.CANCELLED_BY_HOST

        reader.next_card("mir_chip_pin")
        await host.send(start(txn_id=3))
        await host.until(AuthorizationRequest)
        result = await host.result()  # nobody answers
        assert (result.outcome, result.reason) == (TxnOutcome.TIMEOUT, "no host answer")

        reader.next_card("card_removed_early")
        await host.send(start(txn_id=4))
        assert (await host.result()).outcome == TxnOutcome.CARD_REMOVED
        await host.close()
        await reader.stop()

    on_radio(test)


def test_battery_level_notified_and_low_battery_refuses_payments() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio)
        host = await connect(radio, reader)
        levels: list[int] = []
        notified = asyncio.Event()

        def on_level(_char: object, data: bytearray) -> None:
            levels.append(data[0])
            notified.set()

        await host.client.start_notify(BATTERY_LEVEL_UUID, on_level)
        reader.set_battery(12)
        assert await host.next() == BatteryStatus(12, False, True)
        await asyncio.wait_for(notified.wait(), 2)
        assert levels == [12]

        reader.set_battery(4)
        assert await host.next() == BatteryStatus(4, False, True)
        await host.send(start())
        fault = await host.until(ReaderFault)
        assert (fault.code, fault.txn_id) == (FaultCode.LOW_BATTERY, 7)
        await host.close()
        await reader.stop()

    on_radio(test)


def test_required_firmware_update_over_the_air_reboots_with_the_new_version() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio, "bluepad", battery_level=60)
        reader.set_firmware_update("2.5.0", required=True)
        host = await connect(radio, reader)
        await host.send(GetInfo())
        info = await host.next()
        assert isinstance(info, ReaderInfo) and info.firmware_update is not None
        image = demo_firmware_image("bluepad", "2.5.0")
        assert info.firmware_update.size == len(image) and info.firmware_update.required
        await host.send(start())
        assert (await host.until(ReaderFault)).code == FaultCode.FIRMWARE_UPDATE_REQUIRED

        await host.send(FirmwareUpdateStart("2.5.0", len(image), hashlib.sha256(image).digest()))
        for offset in range(0, len(image), 2048):
            await host.send(FirmwareChunk(offset, image[offset : offset + 2048]))
        await host.send(FirmwareUpdateFinish("2.5.0"))
        rebooting = await host.until(FirmwareRebooting)
        progress = [m for m in host.received if isinstance(m, FirmwareProgress)]
        assert progress[-1] == FirmwareProgress(len(image), len(image))
        assert rebooting.version == "2.5.0"
        await asyncio.wait_for(host.lost.wait(), 2)
        host.channel.close()
        await asyncio.wait_for(reader.rebooted.wait(), 2)

        host = await connect(radio, reader)
        assert await host.client.read_gatt_char(FIRMWARE_REVISION_UUID) == b"2.5.0"
        await host.send(GetInfo())
        info = await host.next()
        assert isinstance(info, ReaderInfo)
        assert (info.firmware_version, info.firmware_update) == ("2.5.0", None)
        reader.next_card("mir_chip_pin")
        assert (await pay(host, txn_id=8))[-1].outcome == TxnOutcome.APPROVED  # type: ignore[attr-defined]
        await host.close()
        await reader.stop()

    on_radio(test)


def test_firmware_update_refused_under_half_battery() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio, battery_level=30)
        host = await connect(radio, reader)
        image = demo_firmware_image("qpos", "1.9.0")
        await host.send(FirmwareUpdateStart("1.9.0", len(image), hashlib.sha256(image).digest()))
        fault = await host.until(ReaderFault)
        assert (fault.code, fault.details["level"]) == (FaultCode.LOW_BATTERY, "30")
        await host.close()
        await reader.stop()

    on_radio(test)


def test_drop_mid_transaction_then_reconnect() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio)
        host = await connect(radio, reader)
        reader.drop_after(AuthorizationRequest)
        reader.next_card("visa_contactless")
        await host.send(start())
        await host.until(AuthorizationRequest)
        await asyncio.wait_for(host.lost.wait(), 2)
        host.channel.close()
        await asyncio.sleep(0.02)
        assert reader.transaction is None and not reader.connected

        host = await connect(radio, reader)  # advertising again after the drop
        reader.next_card("visa_contactless")
        assert (await pay(host, txn_id=9))[-1].outcome == TxnOutcome.APPROVED  # type: ignore[attr-defined]
        await host.close()
        await reader.stop()

    on_radio(test)


def test_out_of_range_is_not_found_and_back_in_range_is() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio)
        host = await connect(radio, reader)
        await reader.set_in_range(False)
        await asyncio.wait_for(host.lost.wait(), 2)
        host.channel.close()
        assert reader.address not in await discover(radio)
        await reader.set_in_range(True)
        assert reader.address in await discover(radio)
        await reader.disconnect()  # nothing connected: harmless
        await reader.stop()

    on_radio(test)


def test_bad_bytes_and_reader_messages_from_the_host_are_answered_with_a_fault() -> None:
    async def test(radio: VirtualRadio) -> None:
        reader = await reader_on(radio)
        host = await connect(radio, reader)
        await host.channel.send(b"\xff\xfe\xfd")
        assert (await host.until(ReaderFault)).code == FaultCode.BAD_MESSAGE
        await host.channel.send(encode_message(DisplayText(0, DisplayCode.IDLE, "HELLO")))
        assert (await host.until(ReaderFault)).code == FaultCode.BAD_MESSAGE
        await host.send(GetInfo())  # the link still works
        assert isinstance(await host.next(), ReaderInfo)
        await host.close()
        await reader.stop()

    on_radio(test)
