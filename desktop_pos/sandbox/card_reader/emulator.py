"""``EmulatedReader``: a Bluepad-like or QPOS-like card reader on the virtual radio.

It advertises its serial with our service UUID, serves the GATT profile (``gatt_server``), runs
the reader's logic (``reader_core``, ``transaction``) over a ``MessageChannel`` per connection,
and plays the buyer: a card queued with ``next_card`` is presented when the next transaction
starts, PINs are typed and applications chosen after ``buyer_delay_s`` following the card's
script. Tests and the demo panel set conditions: battery, firmware update, disconnect, out of
range, a drop right after a given message.

Everything runs on the loop the radio runs on. The card and condition controls are plain
methods (they queue messages); the ones that touch the radio (``start``, ``stop``,
``disconnect``, ``set_in_range``) are coroutines.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from bumble import hci
from bumble.device import Connection, Device

from desktop_pos.hardware.reader.errors import LinkClosed, ReaderProtocolError
from desktop_pos.hardware.reader.gatt_profile import READER_SERVICE_UUID
from desktop_pos.hardware.reader.messages import (
    ApplicationSelected,
    AuthorizationResponse,
    CancelTransaction,
    EntryMode,
    FaultCode,
    FirmwareChunk,
    FirmwareRebooting,
    FirmwareUpdateFinish,
    FirmwareUpdateStart,
    GetInfo,
    ReaderFault,
    ReaderMessage,
    StartTransaction,
)
from desktop_pos.sandbox.card_reader.buyer import apply_buyer_step, next_buyer_step
from desktop_pos.sandbox.card_reader.firmware import demo_firmware_image
from desktop_pos.sandbox.card_reader.gatt_server import ReaderGattServer, ReaderLinkSession
from desktop_pos.sandbox.card_reader.reader_core import ReaderCore, ReaderIdentity
from desktop_pos.sandbox.card_reader.test_cards import TestCard, get_test_card
from desktop_pos.sandbox.card_reader.transaction import (
    CardActionError,
    ReaderTimings,
    ReaderTransaction,
    TransactionEnvironment,
)
from desktop_pos.sandbox.virtual_radio import VirtualRadio

log = logging.getLogger(__name__)

ReaderModel = Literal["bluepad", "qpos"]

BLUEPAD_SERIAL = "PP0918900518"
QPOS_SERIAL = "MPOS0000000001"

IDENTITIES: dict[str, ReaderIdentity] = {
    "bluepad": ReaderIdentity(
        model="Bluepad",
        serial=BLUEPAD_SERIAL,
        manufacturer="Sandbox (Bluepad-like)",
        app_selection_on_reader=True,
        nfc_default=False,
    ),
    "qpos": ReaderIdentity(
        model="QPOS",
        serial=QPOS_SERIAL,
        manufacturer="Sandbox (QPOS-like)",
        app_selection_on_reader=False,
        nfc_default=True,
    ),
}
FIRMWARE_VERSIONS: dict[str, str] = {"bluepad": "2.4.1", "qpos": "1.8.2"}

_HOST_MESSAGES = (
    GetInfo,
    StartTransaction,
    CancelTransaction,
    ApplicationSelected,
    AuthorizationResponse,
    FirmwareUpdateStart,
    FirmwareChunk,
    FirmwareUpdateFinish,
)


@dataclass(frozen=True, slots=True)
class EmulatorTimings:
    buyer_delay_s: float = 1.0
    """How long the emulated buyer takes to type a PIN or pick an application."""
    reboot_s: float = 3.0
    """How long the reboot after a firmware update takes (then the reader advertises again)."""
    ack_timeout_s: float = 0.5
    max_retries: int = 4
    reader: ReaderTimings = field(default_factory=ReaderTimings)


FAST_TIMINGS = EmulatorTimings(
    buyer_delay_s=0.01,
    reboot_s=0.05,
    ack_timeout_s=0.2,
    reader=ReaderTimings(card_s=5.0, application_s=5.0, pin_s=5.0, authorization_s=5.0),
)
"""Timings for tests: the buyer acts at once, a reboot takes 50 ms."""


@dataclass(slots=True)
class EmulatorStats:
    connections: int = 0
    disconnections: int = 0
    transactions: int = 0
    messages_received: Counter[str] = field(default_factory=Counter)
    """Host messages by class name."""
    messages_sent: Counter[str] = field(default_factory=Counter)
    """Reader messages (acknowledged by the host) by class name."""
    bytes_received: int = 0
    bytes_sent: int = 0
    frames_received: int = 0
    frames_sent: int = 0
    retransmissions: int = 0
    last_payload_size: int = 0
    """ATT payload size (MTU − 3) of the latest connection."""


class EmulatedReader:
    """One emulated reader. ``start(radio)`` puts it on the air."""

    def __init__(
        self,
        model: ReaderModel,
        *,
        serial: str | None = None,
        address: str | None = None,
        firmware_version: str | None = None,
        battery_level: int = 80,
        charging: bool = False,
        timings: EmulatorTimings | None = None,
        max_mtu: int = 517,
        random_bytes: Callable[[int], bytes] | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        if model not in IDENTITIES:
            raise ValueError(f"unknown reader model {model!r}: bluepad or qpos")
        base = IDENTITIES[model]
        self.model: ReaderModel = model
        self.identity = ReaderIdentity(
            model=base.model,
            serial=serial or base.serial,
            manufacturer=base.manufacturer,
            app_selection_on_reader=base.app_selection_on_reader,
            nfc_default=base.nfc_default,
        )
        self.timings = timings or EmulatorTimings()
        env = TransactionEnvironment(
            app_selection_on_reader=base.app_selection_on_reader, timings=self.timings.reader
        )
        if random_bytes is not None:
            env.random_bytes = random_bytes
        if today is not None:
            env.today = today
        self.core = ReaderCore(
            self.identity,
            env,
            firmware_version=firmware_version or FIRMWARE_VERSIONS[model],
            battery_level=battery_level,
            charging=charging,
            reboot_s=self.timings.reboot_s,
        )
        self.requested_address = address
        self.max_mtu = max_mtu
        self._stats = EmulatorStats()
        self.radio: VirtualRadio | None = None
        self.device: Device | None = None
        self.gatt: ReaderGattServer | None = None
        self.in_range = True
        self._sessions: dict[Connection, ReaderLinkSession] = {}
        self._session: ReaderLinkSession | None = None
        self._queued_card: tuple[TestCard, EntryMode | None, float] | None = None
        self._drop_after: type[ReaderMessage] | None = None
        self._handles: list[asyncio.TimerHandle] = []
        self._present_handle: asyncio.TimerHandle | None = None
        self._seen_txn: ReaderTransaction | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._stopping = False
        self.rebooted = asyncio.Event()
        """Set each time a reboot after a firmware update is over."""

    # -- identity and state ----------------------------------------------------------------

    @property
    def serial(self) -> str:
        return self.identity.serial

    @property
    def name(self) -> str:
        """The advertised name: the serial, as on the real readers."""
        return self.identity.serial

    @property
    def address(self) -> str:
        if self.device is None:
            raise RuntimeError(f"{self.name} is not started")
        return str(self.device.random_address.to_string(with_type_qualifier=False))

    @property
    def firmware_version(self) -> str:
        return self.core.firmware_version

    @property
    def battery_level(self) -> int:
        return self.core.battery_level

    @property
    def connected(self) -> bool:
        return bool(self._sessions)

    @property
    def transaction(self) -> ReaderTransaction | None:
        return self.core.transaction

    # -- on and off the air ----------------------------------------------------------------

    async def start(self, radio: VirtualRadio) -> None:
        if self.device is not None:
            raise RuntimeError(f"{self.name} is already started")
        self.radio = radio
        self._stopping = False
        device = await radio.add_peripheral(self.name, self.requested_address, max_mtu=self.max_mtu)
        self.device = device
        self.gatt = ReaderGattServer(
            device,
            model=self.identity.model,
            serial=self.serial,
            manufacturer=self.identity.manufacturer,
            firmware_revision=lambda: self.core.firmware_version,
            battery_level=lambda: self.core.battery_level,
            on_frame=self._on_frame,
            on_subscription=self._on_subscription,
        )
        device.on(Device.EVENT_CONNECTION, self._on_connection)
        if self.in_range:
            await self._advertise()

    async def stop(self) -> None:
        """Off the air for good: connections dropped, the device taken off the radio.

        Nothing of the reader runs afterwards: a host that connects meanwhile (a reboot's
        advertising, an automatic reconnection) gets no session, and every task of the reader,
        also one started while stopping, is cancelled and waited for.
        """
        self._stopping = True
        self._cancel_timers()
        if self._present_handle is not None:
            self._present_handle.cancel()
        radio, device = self.radio, self.device
        if radio is not None and device is not None and not radio.closed:
            await radio.stop_advertising(device)
        for session in list(self._sessions.values()):
            session.close()
        while self._tasks:
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)
        self._sessions.clear()
        self._session = None
        self.core.link_lost()
        self.device = None
        if radio is not None and device is not None and not radio.closed:
            await radio.remove(device)

    async def _advertise(self) -> None:
        assert self.radio is not None and self.device is not None
        await self.radio.start_advertising(
            self.device, name=self.name, service_uuids=[READER_SERVICE_UUID]
        )

    # -- controls for tests and the demo panel -----------------------------------------------

    def next_card(
        self, card_id: str, entry_mode: EntryMode | None = None, *, delay_s: float = 0.05
    ) -> None:
        """Present ``card_id`` automatically ``delay_s`` after the next transaction starts
        (at once if one is waiting for a card now)."""
        self._queued_card = (get_test_card(card_id), entry_mode, delay_s)
        self._present_queued_card()

    def present_card(self, card_id: str, entry_mode: EntryMode | None = None) -> None:
        """Tap, insert or swipe a card now (``CardActionError`` if no card is asked for)."""
        txn = self._active("no transaction is waiting for a card")
        self._emit(txn.present(get_test_card(card_id), entry_mode))

    def remove_card(self) -> None:
        txn = self.core.transaction
        if txn is not None:
            self._emit(txn.remove_card())

    def press_cancel(self) -> None:
        txn = self.core.active_transaction
        if txn is not None:
            self._emit(txn.press_cancel())

    def enter_pin(self, pin: str) -> None:
        """Type a PIN on the keypad now (the scripted buyer does it by itself)."""
        self._emit(self._active("no transaction").enter_pin(pin))

    def choose_application(self, aid: bytes) -> None:
        """Pick an application on the reader's screen now (Bluepad-like)."""
        self._emit(self._active("no transaction").choose_on_reader(aid))

    def set_battery(self, level: int, charging: bool = False) -> None:
        messages = self.core.set_battery(level, charging)
        self._emit(messages if self._subscribed() else messages[1:])
        if self.gatt is not None:
            self._spawn(self.gatt.notify_battery(level))

    def set_firmware_update(
        self, version: str | None, required: bool = False, *, size: int | None = None
    ) -> None:
        """Offer an update (shown in ``ReaderInfo``); None: up to date. The size is the demo
        image's (``firmware.demo_firmware_image``) unless given."""
        if version is not None and size is None:
            size = len(demo_firmware_image(self.model, version))
        self.core.set_firmware_update(version, required, size=size or 0)

    def drop_after(self, message_type: type[ReaderMessage] | None) -> None:
        """Drop the link right after the host acknowledges the next message of this type."""
        self._drop_after = message_type

    async def disconnect(self) -> None:
        """The reader drops the link (it keeps advertising)."""
        assert self.radio is not None and self.device is not None
        await self.radio.disconnect_all(self.device)

    async def set_in_range(self, in_range: bool) -> None:
        """Out of range: the link drops (supervision timeout) and nothing is advertised."""
        self.in_range = in_range
        assert self.radio is not None and self.device is not None
        if in_range:
            await self._advertise()
            return
        await self.radio.stop_advertising(self.device)
        await self.radio.disconnect_all(self.device, hci.HCI_ErrorCode.CONNECTION_TIMEOUT_ERROR)

    # -- connections -----------------------------------------------------------------------

    def _on_connection(self, connection: Connection) -> None:
        if self._stopping:
            return  # going off the air: the link drops with the device
        session = ReaderLinkSession(
            self._gatt(),
            connection,
            ack_timeout_s=self.timings.ack_timeout_s,
            max_retries=self.timings.max_retries,
            on_sent=self._on_sent,
            on_send_failed=self._on_send_failed,
            spawn=self._spawn,
        )
        self._sessions[connection] = session
        self._session = session
        self._stats.connections += 1
        connection.on(
            Connection.EVENT_DISCONNECTION, lambda _reason: self._on_disconnection(connection)
        )
        self._spawn(self._serve(session))
        log.info("%s: host %s connected", self.name, connection.peer_address)

    def _on_disconnection(self, connection: Connection) -> None:
        session = self._sessions.pop(connection, None)
        if session is None:
            return
        self._collect_stats(session)
        session.close()
        self._stats.disconnections += 1
        if session is self._session:
            self._session = None
            self._cancel_timers()
            if self._present_handle is not None:
                self._present_handle.cancel()
            self.core.link_lost()
            self._seen_txn = None
        log.info("%s: host disconnected", self.name)

    def _on_frame(self, connection: Connection, frame: bytes) -> None:
        session = self._sessions.get(connection)
        if session is not None:
            session.channel.feed(frame)

    def _on_subscription(self, connection: Connection, notify: bool) -> None:
        session = self._sessions.get(connection)
        if session is not None:
            session.subscribed = notify

    def _subscribed(self) -> bool:
        return self._session is not None and self._session.subscribed

    async def _serve(self, session: ReaderLinkSession) -> None:
        while True:
            try:
                msg = await session.receive()
            except LinkClosed:
                return
            except ReaderProtocolError as exc:
                session.post([ReaderFault(FaultCode.BAD_MESSAGE, str(exc.detail)[:120])])
                continue
            self._stats.messages_received[type(msg).__name__] += 1
            if not isinstance(msg, _HOST_MESSAGES):
                session.post([ReaderFault(FaultCode.BAD_MESSAGE, "not a host message")])
                continue
            log.debug("%s ← %s", self.name, type(msg).__name__)
            self._session = session
            self._emit(self.core.handle(msg))

    def _on_sent(self, session: ReaderLinkSession, msg: ReaderMessage) -> None:
        self._stats.messages_sent[type(msg).__name__] += 1
        if self._drop_after is not None and isinstance(msg, self._drop_after):
            self._drop_after = None
            self._spawn(session.disconnect())
        if isinstance(msg, FirmwareRebooting):
            self._spawn(self._reboot())

    def _on_send_failed(self, session: ReaderLinkSession, error: BaseException) -> None:
        log.warning("%s: host does not acknowledge (%s); dropping the link", self.name, error)
        self._spawn(session.disconnect())

    async def _reboot(self) -> None:
        assert self.radio is not None and self.device is not None
        await self.radio.stop_advertising(self.device)
        await self.radio.disconnect_all(self.device)
        await asyncio.sleep(self.timings.reboot_s)
        version = self.core.finish_reboot()
        log.info("%s: rebooted with firmware %s", self.name, version)
        if self.in_range and not self._stopping:
            await self._advertise()
        self.rebooted.set()

    # -- the transaction's clock and the buyer ---------------------------------------------------

    def _emit(self, messages: list[ReaderMessage]) -> None:
        """Send ``messages`` to the host and re-arm the timers for the new state."""
        if self._session is not None:
            self._session.post(messages)
        self._cancel_timers()
        txn = self.core.active_transaction
        if txn is None:
            return
        if txn is not self._seen_txn:
            self._seen_txn = txn
            self._stats.transactions += 1
            self._present_queued_card()
        loop = asyncio.get_running_loop()
        timeout = txn.timeout_s
        if timeout is not None:
            self._handles.append(loop.call_later(timeout, self._step, txn, txn.on_timeout))
        step = next_buyer_step(txn)
        if step is not None:
            self._handles.append(
                loop.call_later(
                    self.timings.buyer_delay_s,
                    self._step,
                    txn,
                    lambda: apply_buyer_step(txn, step),
                )
            )

    def _present_queued_card(self) -> None:
        queued, txn = self._queued_card, self.core.active_transaction
        if queued is None or txn is None or txn.card is not None:
            return
        self._queued_card = None
        card, mode, delay_s = queued
        self._present_handle = asyncio.get_running_loop().call_later(
            delay_s, self._step, txn, lambda: txn.present(card, mode)
        )

    def _step(self, txn: ReaderTransaction, action: Callable[[], list[ReaderMessage]]) -> None:
        if txn is not self.core.transaction or txn.done:
            return
        try:
            messages = action()
        except CardActionError as exc:
            log.warning("%s: %s", self.name, exc)
            return
        self._emit(messages)

    def _active(self, reason: str) -> ReaderTransaction:
        txn = self.core.active_transaction
        if txn is None:
            raise CardActionError(reason)
        return txn

    def _cancel_timers(self) -> None:
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()

    # -- helpers ---------------------------------------------------------------------------

    def _gatt(self) -> ReaderGattServer:
        assert self.gatt is not None
        return self.gatt

    @property
    def stats(self) -> EmulatorStats:
        """Counts since ``start``: closed connections and the open ones."""
        total = replace(
            self._stats,
            messages_received=Counter(self._stats.messages_received),
            messages_sent=Counter(self._stats.messages_sent),
        )
        for session in self._sessions.values():
            _add_channel_stats(total, session)
        return total

    def _collect_stats(self, session: ReaderLinkSession) -> None:
        _add_channel_stats(self._stats, session)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(coro)
        if self._stopping:
            task.cancel()  # stop() waits for it; it does not run
        self._tasks.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            self._tasks.discard(finished)
            if not finished.cancelled() and finished.exception() is not None:
                log.warning("%s: %s", self.name, finished.exception())

        task.add_done_callback(done)
        return task

    def __repr__(self) -> str:
        return f"EmulatedReader({self.model!r}, serial={self.serial!r})"


def _add_channel_stats(stats: EmulatorStats, session: ReaderLinkSession) -> None:
    channel = session.channel.stats
    stats.bytes_received += channel.bytes_received
    stats.bytes_sent += channel.bytes_sent
    stats.frames_received += channel.frames_received
    stats.frames_sent += channel.frames_sent
    stats.retransmissions += channel.retransmissions
    stats.last_payload_size = session.payload_size


async def start_demo_readers(
    radio: VirtualRadio, *, timings: EmulatorTimings | None = None
) -> tuple[EmulatedReader, EmulatedReader]:
    """Both emulated readers on ``radio``: the Bluepad-like "PP0918900518" and the QPOS-like
    "MPOS0000000001"."""
    bluepad = EmulatedReader("bluepad", timings=timings)
    qpos = EmulatedReader("qpos", timings=timings)
    await bluepad.start(radio)
    try:
        await qpos.start(radio)
    except BaseException:
        with contextlib.suppress(Exception):
            await bluepad.stop()
        raise
    return bluepad, qpos
