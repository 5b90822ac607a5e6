"""An in-process Bluetooth LE radio: bumble controllers on one ``LocalLink``.

Peripherals (the emulated card readers) and the central that the bleak backend uses share the
running asyncio loop. Every node is a full bumble stack (controller + host + device), so the
host side talks real HCI/L2CAP/ATT to the peripherals.

Timing is fast on purpose: advertising every 10 ms (the emulated controller's floor for
advertising sets) and a 7.5 ms connection interval, so a scan + connect + service discovery
takes tens of milliseconds instead of seconds.

Quirks of bumble's emulated controller that this module works around (see the notes next to
the code):

* it sends every advertising PDU twice, once as a scan response with the same data; the
  scanner ignores the scan-response copy;
* it reports a fixed RSSI of -50 dBm; :meth:`VirtualRadio.set_rssi` overrides it per address;
* ``LE Create Connection Cancel`` does not clear the pending connection; a timed-out connect
  clears it (:meth:`VirtualRadio.abandon_pending_connection`);
* a peripheral that leaves the link does not drop its connections by itself (there is no
  supervision timeout); :meth:`VirtualRadio.remove` drops them with reason "connection
  timeout" as a real link would;
* its timers and the link look the loop up with ``asyncio.get_running_loop()``, which fails in
  the callbacks qasync runs after ``run_until_complete`` returned; they fall back to the radio's
  loop (``loop_fallback``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bleak.exc import BleakBluetoothNotAvailableError, BleakBluetoothNotAvailableReason
from bumble import hci
from bumble.controller import Controller
from bumble.device import (
    AdvertisingEventProperties,
    AdvertisingParameters,
    AdvertisingSet,
    Connection,
    Device,
)
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport.common import AsyncPipeSink

from desktop_pos.sandbox.virtual_radio import loop_fallback
from desktop_pos.sandbox.virtual_radio.advertising import (
    LEGACY_ADVERTISING_DATA_MAX,
    VirtualRadioError,
    address_text,
    advertising_payload,
)

logger = logging.getLogger(__name__)

ADVERTISING_INTERVAL_MS = 10.0
"""Advertising interval of the peripherals (bumble's emulated controller never goes below 10)."""
SCAN_INTERVAL_MS = 10.0
"""Scan interval and window of the central (continuous scanning)."""
CONNECTION_INTERVAL_MS = 7.5
"""Connection interval the central asks for (the smallest the specification allows)."""
DEFAULT_RSSI = -50
"""What bumble's emulated controller reports for every advertisement."""

_default_radio: VirtualRadio | None = None


def set_default_radio(radio: VirtualRadio | None) -> None:
    """Make ``radio`` the one bleak backend objects use when no ``radio=`` is given."""
    global _default_radio
    _default_radio = radio


@dataclass
class _Node:
    device: Device
    controller: Controller
    role: str
    advertising: AdvertisingSet | None = None
    advertising_data: bytes = b""
    """What the device should advertise."""
    advertised_data: bytes = b""
    """What ``advertising`` carries."""
    wants_advertising: bool = False
    advertising_driver: asyncio.Task[None] | None = None
    connections: set[Connection] = field(default_factory=set)


class _CommandSafeHost(Host):
    """bumble's host, with HCI commands that a cancelled caller cannot abandon half-way.

    bumble pairs a command with the next Command Complete / Status event through one pending
    future. A caller cancelled while its command is in flight cancels that future, and the
    controller's answer, already on its way, then fails in ``Host.on_packet``
    (``InvalidStateError``) or answers the command sent after it. Here each command runs in a
    task of its own until its answer; a cancelled caller stops waiting, the command does not.
    """

    command_tasks: set[asyncio.Task[Any]] | None = None
    """Where the command tasks are kept (the radio's tasks, so ``aclose`` waits for them)."""

    async def _send_command(
        self,
        command: hci.HCI_SyncCommand[Any] | hci.HCI_AsyncCommand,
        response_timeout: float | None = None,
    ) -> hci.HCI_Command_Complete_Event[Any] | hci.HCI_Command_Status_Event:
        task = asyncio.ensure_future(super()._send_command(command, response_timeout))
        tasks = self.command_tasks
        if tasks is not None:
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        # Seen by whoever awaits it; a cancelled caller no longer does.
        task.add_done_callback(_consume_outcome)
        return await asyncio.shield(task)


def _consume_outcome(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.debug("virtual radio: HCI command failed: %s", task.exception())


class VirtualRadio:
    """The virtual link and the devices on it; everything runs on the loop that uses it.

    Build it anywhere, then use it from one running loop (the app's qasync loop, or a test
    loop). ``close()`` / ``aclose()`` leave nothing scheduled on the loop.
    """

    def __init__(
        self,
        *,
        advertising_interval_ms: float = ADVERTISING_INTERVAL_MS,
        scan_interval_ms: float = SCAN_INTERVAL_MS,
        connection_interval_ms: float = CONNECTION_INTERVAL_MS,
    ) -> None:
        self.link = LocalLink()  # type: ignore[no-untyped-call]
        self.advertising_interval_ms = advertising_interval_ms
        self.scan_interval_ms = scan_interval_ms
        self.connection_interval_ms = connection_interval_ms
        self._nodes: dict[Device, _Node] = {}
        self._central: Device | None = None
        self._central_maker: asyncio.Task[None] | None = None
        self.connect_lock = asyncio.Lock()
        """Held by a client while it connects: the controller connects to one peer at a time."""
        self._scan_users = 0
        self._scan_driver: asyncio.Task[None] | None = None
        self._rssi: dict[str, int] = {}
        self._next_address = 1
        self._tasks: set[asyncio.Task[None]] = set()
        self._command_tasks: set[asyncio.Task[Any]] = set()
        """HCI commands in flight: never cancelled (see ``_CommandSafeHost``)."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        self.powered = True
        """The computer's adapter: off, the bleak backend answers as bleak does for a radio
        that is switched off (``BleakBluetoothNotAvailableError``, reason POWERED_OFF)."""

    # -- the "current radio" registry ----------------------------------------------------

    @staticmethod
    def default() -> VirtualRadio:
        """The radio set with :func:`set_default_radio`; raises if there is none."""
        if _default_radio is None:
            raise VirtualRadioError("no virtual radio: pass radio= or call set_default_radio()")
        return _default_radio

    # -- devices -------------------------------------------------------------------------

    async def add_peripheral(
        self, name: str, address: str | None = None, *, max_mtu: int = 517
    ) -> Device:
        """A powered-on device on the link (controller + host + device), not advertising yet.

        ``max_mtu`` is the largest ATT MTU its GATT server agrees to (23…517).
        """
        device = await self._add_node(name, address, role="peripheral")
        if not 23 <= max_mtu <= 517:
            raise VirtualRadioError(f"max_mtu {max_mtu} is outside 23…517")
        device.gatt_server.max_mtu = max_mtu
        return device

    async def add_central(self, name: str = "central", address: str | None = None) -> Device:
        """Another powered-on device on the link, for tests that drive bumble directly."""
        return await self._add_node(name, address, role="central")

    async def central(self) -> Device:
        """The central the bleak backend shares (one adapter, as on a real computer).

        Raises ``BleakBluetoothNotAvailableError`` when the radio is closed or switched off.
        """
        self.check_available()
        while self._central is None:
            # Made by a task of the radio: a caller cancelled meanwhile leaves no half-powered
            # central behind (the next caller finds it ready).
            task = self._central_maker
            if task is None or task.done():
                task = self._central_maker = self._spawn(self._make_central())
            await asyncio.shield(task)
            self.check_available()
        return self._central

    async def _make_central(self) -> None:
        device = await self._add_node("bleak-central", None, role="central")
        if self.closed:
            return
        self._central = device

    def devices(self) -> list[Device]:
        return [node.device for node in self._nodes.values()]

    async def _add_node(self, name: str, address: str | None, *, role: str) -> Device:
        self._check_open()
        self._bind_loop()
        text = address or self._allocate_address()
        hci_address = hci.Address(text, hci.Address.RANDOM_DEVICE_ADDRESS)
        if any(node.device.random_address == hci_address for node in self._nodes.values()):
            raise VirtualRadioError(f"address {text} is already on the radio")
        controller = Controller(name, link=self.link, public_address=text)
        host = _CommandSafeHost(controller, AsyncPipeSink(controller))
        host.command_tasks = self._command_tasks
        device = Device(name=name, address=hci_address, host=host)
        node = _Node(device=device, controller=controller, role=role)
        self._nodes[device] = node
        device.on(Device.EVENT_CONNECTION, lambda connection: self._on_connection(node, connection))
        await device.power_on()
        return device

    def _allocate_address(self) -> str:
        while True:
            # Static random addresses have the two top bits set (C0…FF).
            number = self._next_address
            self._next_address += 1
            text = ":".join(f"{b:02X}" for b in (0xC0_00_00_00_00_00 | number).to_bytes(6, "big"))
            taken = {address_text(n.device.random_address) for n in self._nodes.values()}
            if text not in taken:
                return text

    def _node(self, device: Device) -> _Node:
        try:
            return self._nodes[device]
        except KeyError:
            raise VirtualRadioError(f"{device.name} is not on this radio") from None

    # -- advertising ---------------------------------------------------------------------

    async def start_advertising(
        self,
        device: Device,
        *,
        name: str | None = None,
        service_uuids: Sequence[str] = (),
        manufacturer_data: Mapping[int, bytes] | None = None,
        service_data: Mapping[str, bytes] | None = None,
        tx_power: int | None = None,
    ) -> None:
        """Advertise connectably until :meth:`stop_advertising`; resumes after each disconnect.

        Data up to 31 bytes goes out in legacy PDUs; longer data (a 128-bit service UUID and a
        12-character name do not fit in 31) in extended advertising PDUs.
        """
        node = self._node(device)
        payload = advertising_payload(
            name=name if name is not None else device.name,
            service_uuids=service_uuids,
            manufacturer_data=manufacturer_data,
            service_data=service_data,
            tx_power=tx_power,
        )
        node.advertising_data = payload
        node.wants_advertising = True
        await asyncio.shield(self._advertising_driver(node))

    async def stop_advertising(self, device: Device) -> None:
        """Stop advertising (the device is then "out of range" for scanners).

        Once this returns nothing brings the advertising back but :meth:`start_advertising`:
        not a disconnection, not a start or a resume that was still in flight.
        """
        node = self._node(device)
        node.wants_advertising = False
        await asyncio.shield(self._advertising_driver(node))

    def is_advertising(self, device: Device) -> bool:
        """Whether ``device``'s controller sends advertisements now (what scanners see)."""
        return bool(self._node(device).controller.is_advertising)

    def is_scanning(self) -> bool:
        """Whether the shared central's controller scans now."""
        central = self._central
        return central is not None and bool(self._node(central).controller.le_scan_enable)

    async def idle(self) -> None:
        """Wait until no change of advertising or scanning and no HCI command is in flight."""
        while True:
            busy = [t for t in (*self._tasks, *self._command_tasks) if not t.done()]
            if not busy:
                return
            await asyncio.wait(busy)

    def _advertising_driver(self, node: _Node) -> asyncio.Task[None]:
        """The one task that changes ``node``'s advertising (see :meth:`_drive_advertising`)."""
        task = node.advertising_driver
        if task is None or task.done():
            task = node.advertising_driver = self._spawn(self._drive_advertising(node))
        return task

    async def _drive_advertising(self, node: _Node) -> None:
        # Each change is several HCI commands. One task per device makes them one after the
        # other and looks at the wish again after each: a stop that comes while a start (or a
        # resume after a disconnection) is in flight is never overtaken by it.
        while True:
            current = node.advertising
            wanted = (
                node.wants_advertising
                and not node.connections
                and not self.closed
                and node.device in self._nodes
            )
            if current is None:
                if not wanted:
                    return
                payload = node.advertising_data
                node.advertising = await self._create_advertising_set(node, payload)
                node.advertised_data = payload
                continue
            if wanted and current.enabled and node.advertised_data == node.advertising_data:
                return
            # Not wanted, stopped by a connection (the controller ends it), or stale data.
            if current.enabled:
                await current.stop()
            await current.remove()
            node.advertising = None

    async def _create_advertising_set(self, node: _Node, payload: bytes) -> AdvertisingSet:
        legacy = len(payload) <= LEGACY_ADVERTISING_DATA_MAX
        return await node.device.create_advertising_set(
            advertising_parameters=AdvertisingParameters(
                advertising_event_properties=AdvertisingEventProperties(
                    is_connectable=True, is_scannable=legacy, is_legacy=legacy
                ),
                primary_advertising_interval_min=self.advertising_interval_ms,
                primary_advertising_interval_max=self.advertising_interval_ms,
            ),
            advertising_data=payload,
            auto_start=True,
            auto_restart=False,
        )

    # -- connections ---------------------------------------------------------------------

    def _on_connection(self, node: _Node, connection: Connection) -> None:
        node.connections.add(connection)

        def on_disconnection(_reason: int) -> None:
            node.connections.discard(connection)
            if node.role == "peripheral" and node.wants_advertising and not self.closed:
                # The controller stopped the advertising set when the connection was made.
                self._advertising_driver(node)

        connection.once(Connection.EVENT_DISCONNECTION, on_disconnection)

    def connections(self, device: Device) -> list[Connection]:
        return list(self._node(device).connections)

    async def disconnect_all(
        self,
        device: Device,
        reason: int = hci.HCI_ErrorCode.REMOTE_USER_TERMINATED_CONNECTION_ERROR,
    ) -> None:
        """Drop every connection of ``device`` (the peer sees ``reason``)."""
        for connection in list(self._node(device).connections):
            with contextlib.suppress(Exception):
                await connection.disconnect(reason)

    async def remove(self, device: Device) -> None:
        """Take ``device`` off the link: no more advertising, its links drop as on a timeout."""
        node = self._node(device)
        node.wants_advertising = False
        await asyncio.shield(self._advertising_driver(node))
        self._drop_links(node, hci.HCI_ErrorCode.CONNECTION_TIMEOUT_ERROR)
        await _settle()
        self._forget(node)

    def abandon_pending_connection(self, central: Device) -> None:
        """Forget a connect that timed out.

        bumble's emulated controller acknowledges ``LE Create Connection Cancel`` but keeps the
        request pending (it would refuse the next connect and could still connect later).
        """
        controller = self._node(central).controller
        controller.pending_le_connection = None

    def _drop_links(self, node: _Node, reason: int) -> None:
        """Both ends learn at once that the link is gone (no more PDUs cross it)."""
        controller = node.controller
        for connection in list(controller.le_connections.values()):
            peer = self.link.find_le_controller(connection.peer_address)
            if peer is not None and peer is not controller:
                peer_connection = peer.le_connections.get(connection.self_address)
                if peer_connection is not None:
                    peer.on_le_disconnected(peer_connection, reason)
            controller.on_le_disconnected(connection, reason)

    def _forget(self, node: _Node) -> None:
        controller = node.controller
        controller.le_legacy_advertiser.stop()
        for advertising_set in controller.advertising_sets.values():
            advertising_set.stop()
        controller.le_scan_enable = False
        with contextlib.suppress(KeyError):
            self.link.remove_controller(controller)
        self._nodes.pop(node.device, None)
        if node.device is self._central:
            self._central = None

    # -- scanning (shared by the bleak scanners) ------------------------------------------

    async def acquire_scanning(self) -> Device:
        """Start scanning on the shared central (counted: nested users are fine).

        Cancellation-safe: the central is switched by a task of the radio that always runs to
        the end (:meth:`_drive_scanning`); a cancelled caller gives its place back at once and
        that task brings the central to what the remaining users need.
        """
        central = await self.central()
        self._scan_users += 1
        try:
            await asyncio.shield(self._scanning_driver())
        except BaseException:
            self._scan_users -= 1
            self._scanning_driver()
            raise
        return central

    async def release_scanning(self) -> None:
        """One user less; the last one stops the scan (also when the caller is cancelled)."""
        if self._scan_users == 0:
            return
        self._scan_users -= 1
        await asyncio.shield(self._scanning_driver())

    @property
    def scan_users(self) -> int:
        """How many scanners use the central now."""
        return self._scan_users

    def _scanning_driver(self) -> asyncio.Task[None]:
        """The task that makes the central scan exactly while someone needs it."""
        task = self._scan_driver
        if task is None or task.done():
            task = self._scan_driver = self._spawn(self._drive_scanning())
        return task

    async def _drive_scanning(self) -> None:
        # Loops until the central matches the wish of the moment: users may come and go while
        # a start or stop is in flight (each is a few HCI commands that must not be cut).
        while True:
            central = self._central
            if central is None or self.closed:
                return
            wanted = self._scan_users > 0 and self.powered
            if bool(central.is_scanning) == wanted:
                return
            if wanted:
                await central.start_scanning(
                    active=True,
                    scan_interval=self.scan_interval_ms,
                    scan_window=self.scan_interval_ms,
                    filter_duplicates=False,
                )
            else:
                await central.stop_scanning()

    # -- the computer's adapter ------------------------------------------------------------

    def check_available(self) -> None:
        """Raise bleak's "Bluetooth not available" error when the adapter is off or gone."""
        if self.closed:
            raise BleakBluetoothNotAvailableError(
                "the virtual radio is closed", BleakBluetoothNotAvailableReason.NO_BLUETOOTH
            )
        if not self.powered:
            raise BleakBluetoothNotAvailableError(
                "Bluetooth is turned off", BleakBluetoothNotAvailableReason.POWERED_OFF
            )

    async def set_powered(self, powered: bool) -> None:
        """Switch the central's adapter off (its links drop, scanning stops) or back on."""
        if powered == self.powered:
            return
        self.powered = powered
        central = self._central
        if powered or central is None:
            return
        self._drop_links(self._node(central), hci.HCI_ErrorCode.CONNECTION_TIMEOUT_ERROR)
        self._scan_users = 0
        await asyncio.shield(self._scanning_driver())
        await _settle()

    # -- signal strength -----------------------------------------------------------------

    def set_rssi(self, address: str, rssi: int | None) -> None:
        """What scanners report for ``address`` (``None``: back to the controller's value)."""
        if rssi is None:
            self._rssi.pop(address.upper(), None)
        else:
            self._rssi[address.upper()] = rssi

    def rssi_for(self, address: str, reported: int) -> int:
        return self._rssi.get(address.upper(), reported)

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Stop everything now: advertising timers off, every link dropped, link emptied.

        Hosts learn about dropped links on the next loop iterations; use :meth:`aclose` from a
        coroutine to wait for that.
        """
        if self.closed:
            return
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        for node in list(self._nodes.values()):
            node.wants_advertising = False
            self._drop_links(node, hci.HCI_ErrorCode.CONNECTION_TIMEOUT_ERROR)
        for node in list(self._nodes.values()):
            self._forget(node)
        if _default_radio is self:
            set_default_radio(None)

    async def aclose(self) -> None:
        """:meth:`close`, then let the hosts process the disconnections."""
        tasks = list(self._tasks)
        self.close()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        # The controllers answer every command within a few loop iterations.
        while self._command_tasks:
            await asyncio.gather(*list(self._command_tasks), return_exceptions=True)
        await _settle()

    async def __aenter__(self) -> VirtualRadio:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    # -- helpers -------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self.closed:
            raise VirtualRadioError("the virtual radio is closed")

    def _bind_loop(self) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            loop_fallback.use(loop)
        elif self._loop is not loop:
            raise VirtualRadioError("the virtual radio belongs to another event loop")

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("virtual radio: %r failed: %s", task, task.exception())


async def _settle(rounds: int = 5) -> None:
    """Let callbacks scheduled with ``call_soon`` along the link run (a few hops)."""
    for _ in range(rounds):
        await asyncio.sleep(0)
