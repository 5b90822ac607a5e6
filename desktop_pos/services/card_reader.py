"""The card reader as the rest of the app sees it: one manager, a state and events.

``ReaderManager`` finds readers, connects one, remembers it by serial (``KnownReaders``),
reconnects it after a lost link (with backoff), at start (``reconnect_last``) and before a
payment (``ensure_connected``), and installs firmware updates. It is Qt-free and runs on the
asyncio loop; the UI listens through ``add_listener`` (one bridge turns the events into Qt
signals) and reads ``state``, ``info`` and ``battery``.

When Bluetooth cannot be used at all (no adapter, no BlueZ / D-Bus, adapter off, no permission)
the manager goes to ``UNAVAILABLE`` and raises ``BluetoothUnavailable`` with advice; the app
offers the other payment methods and nothing crashes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum

from desktop_pos.hardware.reader import messages as m
from desktop_pos.hardware.reader.ble_errors import retry_hint_s
from desktop_pos.hardware.reader.ble_link import (
    BleakBackendChoice,
    FoundReader,
    ReaderLink,
    discover_readers,
)
from desktop_pos.hardware.reader.errors import (
    BluetoothUnavailable,
    ReaderBusy,
    ReaderError,
    ReaderFaultError,
    ReaderNotFound,
)
from desktop_pos.hardware.reader.gatt_profile import (
    FIRMWARE_MIN_BATTERY_PERCENT,
    LOW_BATTERY_PERCENT,
)
from desktop_pos.hardware.reader.known_readers import KnownReaders
from desktop_pos.hardware.reader.reconnect import RECONNECT_AFTER_LOSS, BackoffPolicy
from desktop_pos.hardware.reader.settings import ReaderSettings

log = logging.getLogger(__name__)

REBOOT_GRACE_S = 60.0
"""How long after the promised return time a rebooting reader is still waited for."""


class ReaderState(StrEnum):
    DISCONNECTED = "disconnected"
    SCANNING = "scanning"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    UPDATING = "updating"
    UNAVAILABLE = "unavailable"
    """Bluetooth cannot be used (``unavailable_reason`` says why)."""


# -- events ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: ReaderState
    previous: ReaderState
    error: ReaderError | None = None
    """What sent the manager to this state, when an error did (e.g. ``BluetoothUnavailable``)."""


@dataclass(frozen=True, slots=True)
class BatteryChanged:
    level: int
    low: bool
    charging: bool = False


@dataclass(frozen=True, slots=True)
class Disconnected:
    serial: str
    reason: ReaderError | None
    """None when the app disconnected on purpose; else why the link was lost."""
    will_reconnect: bool = False


@dataclass(frozen=True, slots=True)
class Reconnecting:
    """A reconnection attempt is about to start (the UI shows «Соединение с последним …»)."""

    serial: str
    attempt: int
    delay_s: float


@dataclass(frozen=True, slots=True)
class FirmwareUpdateNeeded:
    info: m.FirmwareUpdateInfo
    reader: m.ReaderInfo


@dataclass(frozen=True, slots=True)
class FirmwareProgress:
    received: int
    total: int


@dataclass(frozen=True, slots=True)
class ReaderMessageEvent:
    """Every message the reader sends (display texts, transaction steps, battery)."""

    msg: m.ReaderMessage


ReaderEvent = (
    StateChanged
    | BatteryChanged
    | Disconnected
    | Reconnecting
    | FirmwareUpdateNeeded
    | FirmwareProgress
    | ReaderMessageEvent
)
ReaderListener = Callable[[ReaderEvent], None]


class ReaderManager:
    """Owns the one reader link of the till (see the module docstring)."""

    def __init__(
        self,
        backend: BleakBackendChoice,
        known: KnownReaders,
        *,
        settings: ReaderSettings | None = None,
        backoff: BackoffPolicy = RECONNECT_AFTER_LOSS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.backend = backend
        self.known = known
        self.settings = settings or ReaderSettings()
        self.backoff = backoff
        self._clock = clock
        self._sleep = sleep
        self._rng = rng
        self.state = ReaderState.DISCONNECTED
        self.link: ReaderLink | None = None
        self.unavailable_reason: BluetoothUnavailable | None = None
        self.connected_since: float | None = None
        self._listeners: list[ReaderListener] = []
        self._lock = asyncio.Lock()
        self._reconnect_task: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[None]] = set()
        self._rebooting: m.FirmwareRebooting | None = None
        self._closed = False

    # -- what the UI reads ---------------------------------------------------------------------

    @property
    def info(self) -> m.ReaderInfo | None:
        return self.link.info if self.link is not None else None

    @property
    def battery(self) -> int | None:
        return self.link.battery_level if self.link is not None else None

    @property
    def connected(self) -> bool:
        return self.link is not None and self.link.connected

    @property
    def reconnecting(self) -> bool:
        return self._reconnect_task is not None and not self._reconnect_task.done()

    def add_listener(self, listener: ReaderListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: ReaderListener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    # -- discovery and connection -----------------------------------------------------------

    async def discover(
        self,
        timeout_s: float | None = None,
        *,
        on_found: Callable[[FoundReader], None] | None = None,
    ) -> list[FoundReader]:
        """Scan for readers (cancel the task to stop early: the scan never keeps running)."""
        timeout = self.settings.scan_timeout_s if timeout_s is None else timeout_s
        self._cancel_reconnect()  # the cashier searches now: one scan at a time
        async with self._lock:
            before = self._settled_state()
            self._set_state(ReaderState.SCANNING)
            try:
                readers = await discover_readers(self.backend, timeout_s=timeout, on_found=on_found)
            except BluetoothUnavailable as exc:
                self._unavailable(exc)
                raise
            except BaseException:
                self._set_state(self._settled_state(before))
                raise
            self.unavailable_reason = None
            self._set_state(self._settled_state(before))
            return readers

    async def connect(self, found: FoundReader) -> ReaderLink:
        """Connect ``found`` (ending any other link) and remember it as the last reader."""
        self._cancel_reconnect()
        async with self._lock:
            return await self._connect_locked(found)

    async def _connect_locked(self, found: FoundReader) -> ReaderLink:
        current = self.link
        if current is not None and current.connected and current.serial == found.name:
            return current
        if current is not None:
            await self._drop_link(current)
        self._set_state(ReaderState.CONNECTING)
        try:
            link = await ReaderLink.connect(
                found,
                self.backend,
                timeout_s=self.settings.connect_timeout_s,
                on_disconnect=self._on_link_disconnected,
                on_message=self._on_link_message,
            )
        except BluetoothUnavailable as exc:
            self._unavailable(exc)
            raise
        except BaseException as exc:
            error = exc if isinstance(exc, ReaderError) else None
            self._set_state(ReaderState.DISCONNECTED, error)
            raise
        self.link = link
        self.unavailable_reason = None
        self.connected_since = self._clock()
        info = link.info
        assert info is not None
        self._set_state(ReaderState.CONNECTED)
        self._emit(
            BatteryChanged(
                link.battery_level, link.battery_level <= LOW_BATTERY_PERCENT, link.charging
            )
        )
        remember = functools.partial(
            self.known.remember,
            info.serial,
            name=found.name,
            model=info.model,
            address=found.address,
        )
        try:
            # A thread of its own, ended here: not the loop's default executor, whose threads
            # (QThreads under qasync) would live as long as the loop.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="known-readers") as pool:
                await asyncio.get_running_loop().run_in_executor(pool, remember)
        except OSError as exc:  # the reader works; only the memory of it failed
            log.warning("Card reader %s: cannot remember it: %s", info.serial, exc)
        if info.firmware_update is not None:
            self._emit(FirmwareUpdateNeeded(info.firmware_update, info))
        return link

    async def reconnect_last(self, timeout_s: float | None = None) -> ReaderLink | None:
        """Connect the preferred known reader (the default one, else the last connected).

        Returns None when no reader is known; raises ``ReaderNotFound`` when it does not
        answer within ``timeout_s`` (off or out of range), ``BluetoothUnavailable`` …
        """
        target = self.known.preferred()
        if target is None:
            return None
        current = self.link
        if current is not None and current.connected and current.serial == target.serial:
            return current
        timeout = self.settings.scan_timeout_s if timeout_s is None else timeout_s
        async with self._lock:
            before = self._settled_state()
            self._set_state(ReaderState.SCANNING)
            try:
                found = await discover_readers(
                    self.backend, timeout_s=timeout, stop_on_first=True, serial=target.serial
                )
            except BluetoothUnavailable as exc:
                self._unavailable(exc)
                raise
            except BaseException:
                self._set_state(self._settled_state(before))
                raise
            if not found:
                error = ReaderNotFound(detail=f"{target.serial}: not advertising")
                self._set_state(self._settled_state(before), error)
                raise error
            return await self._connect_locked(found[0])

    async def ensure_connected(self) -> ReaderLink:
        """The link to use for a payment: the current one, else the preferred known reader.

        Raises ``ReaderNotFound`` (no reader known, or not around), ``BluetoothUnavailable``,
        ``ReaderBusy`` during a firmware update, or ``ReaderFaultError``
        ``FIRMWARE_UPDATE_REQUIRED`` while a required update is not installed.
        """
        if self.state is ReaderState.UPDATING:
            raise ReaderBusy(detail="firmware update in progress")
        link = self.link
        if link is None or not link.connected:
            self._cancel_reconnect()
            link = await self.reconnect_last()
            if link is None:
                raise ReaderNotFound(detail="no card reader connected before")
        info = link.info
        if info is not None and info.firmware_update is not None and info.firmware_update.required:
            raise ReaderFaultError(
                m.ReaderFault(
                    m.FaultCode.FIRMWARE_UPDATE_REQUIRED,
                    f"firmware {info.firmware_update.version} required",
                )
            )
        return link

    async def disconnect(self) -> None:
        """End the link on purpose (no automatic reconnection follows)."""
        self._cancel_reconnect()
        async with self._lock:
            link = self.link
            if link is not None:
                await self._drop_link(link)
            if self.state is not ReaderState.UNAVAILABLE:
                self._set_state(ReaderState.DISCONNECTED)

    def forget(self, serial: str) -> None:
        """Forget a reader; a link to it is ended."""
        self.known.forget(serial)
        if self.link is not None and self.link.serial == serial:
            self._spawn(self.disconnect())

    def set_default(self, serial: str) -> None:
        self.known.set_default(serial)

    async def close(self) -> None:
        """Stop reconnecting and end the link (the app is closing)."""
        self._closed = True
        self._cancel_reconnect()
        for task in list(self._background):
            task.cancel()
        await self.disconnect()
        for task in list(self._background):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    # -- firmware ----------------------------------------------------------------------------

    async def update_firmware(self, image: bytes, version: str) -> None:
        """Install ``image`` and wait for the reader to come back with ``version``.

        Refused (``ReaderFaultError`` LOW_BATTERY, nothing sent) under 50 % battery unless the
        reader is charging. ``FirmwareProgress`` events follow the transfer; the state is
        ``UPDATING`` until the rebooted reader is connected again.
        """
        link = await self._link_for_update()
        if link.battery_level < FIRMWARE_MIN_BATTERY_PERCENT and not link.charging:
            raise ReaderFaultError(
                m.ReaderFault(
                    m.FaultCode.LOW_BATTERY,
                    f"battery {link.battery_level}% < {FIRMWARE_MIN_BATTERY_PERCENT}%",
                )
            )
        self._cancel_reconnect()
        serial = link.serial
        self._set_state(ReaderState.UPDATING)
        try:
            rebooting = await link.update_firmware(
                image, version, lambda sent, total: self._emit(FirmwareProgress(sent, total))
            )
            self._rebooting = rebooting
            back = await self._wait_for_reboot(serial, rebooting)
        except BaseException as exc:
            self._rebooting = None
            error = exc if isinstance(exc, ReaderError) else None
            state = ReaderState.CONNECTED if self.connected else ReaderState.DISCONNECTED
            self._set_state(state, error)
            raise
        self._rebooting = None
        info = back.info
        if info is None or info.firmware_version != version:
            log.warning(
                "Card reader %s: came back with firmware %s, expected %s",
                serial,
                info.firmware_version if info else "?",
                version,
            )

    async def _link_for_update(self) -> ReaderLink:
        link = self.link
        if link is not None and link.connected:
            return link
        link = await self.reconnect_last()
        if link is None:
            raise ReaderNotFound(detail="no card reader connected before")
        return link

    async def _wait_for_reboot(self, serial: str, rebooting: m.FirmwareRebooting) -> ReaderLink:
        """Reconnect a rebooting reader: first try after the promised time, then backoff."""
        old = self.link
        # The reader drops the link itself; end it here too if it is slow to.
        if old is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(1.0, float(rebooting.expected_back_s))):
                    while old.connected:
                        await asyncio.sleep(0.01)
            if old.connected:
                await old.disconnect()
        deadline = self._clock() + rebooting.expected_back_s + REBOOT_GRACE_S
        await self._sleep(float(rebooting.expected_back_s))
        last_error: ReaderError | None = None
        for attempt, delay in enumerate(self.backoff.delays(self._rng)):
            async with self._lock:
                try:
                    found = await discover_readers(
                        self.backend,
                        timeout_s=self.settings.scan_timeout_s,
                        stop_on_first=True,
                        serial=serial,
                    )
                    if found:
                        link = await self._connect_locked(found[0])
                        return link
                    last_error = ReaderNotFound(detail=f"{serial}: not back after the update")
                except BluetoothUnavailable:
                    raise
                except ReaderError as exc:
                    last_error = exc
            if self._clock() + delay > deadline:
                break
            self._emit(Reconnecting(serial, attempt + 1, delay))
            await self._sleep(delay)
        raise last_error or ReaderNotFound(detail=f"{serial}: not back after the update")

    # -- link callbacks ----------------------------------------------------------------------

    def _on_link_message(self, msg: m.ReaderMessage) -> None:
        if isinstance(msg, m.BatteryStatus):
            self._emit(
                BatteryChanged(msg.level, msg.low or msg.level <= LOW_BATTERY_PERCENT, msg.charging)
            )
        elif (
            isinstance(msg, m.ReaderInfo)
            and msg.firmware_update is not None
            and self.state is ReaderState.CONNECTED  # the handshake's own is reported on connect
        ):
            self._emit(FirmwareUpdateNeeded(msg.firmware_update, msg))
        self._emit(ReaderMessageEvent(msg))

    def _on_link_disconnected(self, link: ReaderLink) -> None:
        if link is not self.link:
            return
        expected = (
            link.closed_by_host or self.state is ReaderState.UPDATING or self._rebooting is not None
        )
        will_reconnect = not expected and self.settings.auto_reconnect and not self._closed
        self.link = None
        self.connected_since = None
        reason = None if expected else link.disconnect_reason
        self._emit(Disconnected(link.serial, reason, will_reconnect))
        if self.state not in (ReaderState.UPDATING, ReaderState.UNAVAILABLE):
            self._set_state(ReaderState.DISCONNECTED, reason)
        if will_reconnect:
            self._start_reconnect(link.serial)

    # -- automatic reconnection ----------------------------------------------------------------

    def _start_reconnect(self, serial: str) -> None:
        self._cancel_reconnect()
        task = asyncio.get_running_loop().create_task(
            self._reconnect_loop(serial), name=f"reader-reconnect-{serial}"
        )
        self._reconnect_task = task

    def _cancel_reconnect(self) -> None:
        task = self._reconnect_task
        self._reconnect_task = None
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()

    async def _reconnect_loop(self, serial: str) -> None:
        """Reconnect a lost reader with backoff until it is back, or Bluetooth goes away."""
        for attempt, delay in enumerate(self.backoff.delays(self._rng)):
            self._emit(Reconnecting(serial, attempt + 1, delay))
            await self._sleep(delay)
            if self.connected:
                return
            try:
                async with self._lock:
                    before = self._settled_state()
                    self._set_state(ReaderState.SCANNING)
                    try:
                        found = await discover_readers(
                            self.backend,
                            timeout_s=self.settings.scan_timeout_s,
                            stop_on_first=True,
                            serial=serial,
                        )
                    finally:
                        if self.state is ReaderState.SCANNING:
                            self._set_state(self._settled_state(before))
                    if found:
                        await self._connect_locked(found[0])
                        log.info("Card reader %s: reconnected (attempt %d)", serial, attempt + 1)
                        return
            except BluetoothUnavailable as exc:
                self._unavailable(exc)
                return
            except ReaderError as exc:
                if retry_hint_s(exc) is None:
                    log.warning("Card reader %s: reconnection given up: %s", serial, exc)
                    return
                log.info(
                    "Card reader %s: reconnection attempt %d failed: %s", serial, attempt + 1, exc
                )

    # -- helpers ---------------------------------------------------------------------------

    async def _drop_link(self, link: ReaderLink) -> None:
        self.link = None
        self.connected_since = None
        await link.disconnect()
        self._emit(Disconnected(link.serial, None, False))

    def _settled_state(self, before: ReaderState | None = None) -> ReaderState:
        if self.connected:
            return ReaderState.CONNECTED
        if before in (ReaderState.UPDATING,):
            return before
        return ReaderState.DISCONNECTED

    def _unavailable(self, error: BluetoothUnavailable) -> None:
        log.warning("Bluetooth unavailable (%s): %s", error.reason, error.detail)
        self.unavailable_reason = error
        self._set_state(ReaderState.UNAVAILABLE, error)

    def _set_state(self, state: ReaderState, error: ReaderError | None = None) -> None:
        previous = self.state
        if state is previous and error is None:
            return
        self.state = state
        self._emit(StateChanged(state, previous, error))

    def _emit(self, event: ReaderEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("Card reader listener failed on %s", type(event).__name__)

    def _spawn(self, coro: Awaitable[None]) -> None:
        async def run() -> None:
            await coro

        task = asyncio.get_running_loop().create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
