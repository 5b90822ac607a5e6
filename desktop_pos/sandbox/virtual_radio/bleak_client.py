"""A bleak client backend that connects over the virtual radio.

``BleakClient(device_or_address, backend=BumbleClient, radio=radio, mtu=247)``. On
``connect()``: a connection within ``timeout`` (bleak's argument), the ATT MTU exchange
(``mtu=`` 23…517, default 247; 23 skips the exchange), then discovery of every service,
characteristic and descriptor into ``self.services``.

Pairing: the emulated readers need no bonding (the card data is encrypted end to end for the
gateway), so ``pair()`` and ``unpair()`` succeed without doing anything, like a platform that
pairs on its own.

Errors: bleak's types — ``TimeoutError`` when a connect or a GATT request takes too long,
``BleakError("Not connected")`` after the link is gone, ``BleakGATTProtocolError`` for an ATT
error from the peer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bleak.args import SizedBuffer
from bleak.assigned_numbers import CHARACTERISTIC_PROPERTIES, CharacteristicPropertyName
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakError, BleakGATTProtocolError
from bumble import att, core, hci
from bumble.device import Connection, ConnectionParametersPreferences, Device, Peer
from bumble.gatt_client import CharacteristicProxy, DescriptorProxy

from desktop_pos.sandbox.virtual_radio.advertising import bleak_uuid
from desktop_pos.sandbox.virtual_radio.bleak_scanner import resolve_radio
from desktop_pos.sandbox.virtual_radio.radio import VirtualRadio

logger = logging.getLogger(__name__)

SUPPORTED_MTUS = range(23, 518)
DEFAULT_MTU = 247
DEFAULT_GATT_TIMEOUT_S = 10.0
MAX_ATTRIBUTE_VALUE_SIZE = 512
"""ATT caps an attribute value at 512 bytes: at ATT MTU 517 a write or notification carries
512 bytes, not MTU − 3 = 514 (a GATT server drops a longer write command silently)."""
_DISCONNECT_TIMEOUT_S = 2.0

T = TypeVar("T")


class BumbleClient(BaseBleakClient):
    """One connection from the radio's shared central to a peripheral."""

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        *,
        disconnected_callback: Callable[[], None] | None,
        timeout: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            address_or_ble_device, disconnected_callback=disconnected_callback, timeout=timeout
        )
        self._radio: VirtualRadio = resolve_radio(kwargs)
        mtu = int(kwargs.get("mtu", DEFAULT_MTU))
        if mtu not in SUPPORTED_MTUS:
            raise ValueError(f"mtu must be within 23…517, not {mtu}")
        self._requested_mtu = mtu
        self._gatt_timeout = float(kwargs.get("gatt_timeout", DEFAULT_GATT_TIMEOUT_S))
        self._services_filter: set[str] | None = kwargs.get("services")
        if isinstance(address_or_ble_device, BLEDevice):
            self._device_name = address_or_ble_device.name
            details = address_or_ble_device.details
            self._peer_address = (
                details
                if isinstance(details, hci.Address)
                else _parse_address(address_or_ble_device.address)
            )
        else:
            self._device_name = None
            self._peer_address = _parse_address(address_or_ble_device)
        self._connection: Connection | None = None
        self._peer: Peer | None = None
        self._notify: dict[int, Callable[[bytes], None]] = {}
        self._closing = False

    # -- identity / state ----------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._device_name or self.address

    @property
    def mtu_size(self) -> int:
        connection = self._connection
        return connection.att_mtu if connection is not None else att.ATT_DEFAULT_MTU

    @property
    def is_connected(self) -> bool:
        return self._connection is not None

    # -- connect / disconnect ------------------------------------------------------------

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        if self._connection is not None:
            return
        timeout = float(kwargs.get("timeout", self._timeout))
        central = await self._radio.central()
        try:
            async with asyncio.timeout(timeout):
                connection = await self._open_connection(central)
                try:
                    await self._set_up(connection)
                except BaseException:
                    self._connection = None
                    self._peer = None
                    await self._quiet_disconnect(connection)
                    raise
        except TimeoutError:
            raise TimeoutError(f"no connection to {self.address} within {timeout:g} s") from None
        if pair:
            await self.pair()

    async def _open_connection(self, central: Device) -> Connection:
        interval = self._radio.connection_interval_ms
        preferences = ConnectionParametersPreferences(
            connection_interval_min=interval,
            connection_interval_max=interval,
            supervision_timeout=720,
        )
        async with self._radio.connect_lock:
            try:
                return await central.connect(
                    self._peer_address,
                    transport=core.PhysicalTransport.LE,
                    connection_parameters_preferences={hci.Phy.LE_1M: preferences},
                    timeout=None,
                )
            except asyncio.CancelledError:
                self._radio.abandon_pending_connection(central)
                raise
            except core.ConnectionError as error:
                raise BleakError(f"connection to {self.address} failed: {error}") from error

    async def _set_up(self, connection: Connection) -> None:
        self._connection = connection
        connection.on(Connection.EVENT_DISCONNECTION, self._on_disconnection)
        peer = Peer(connection)
        self._peer = peer
        if self._requested_mtu > att.ATT_DEFAULT_MTU:
            await self._gatt(peer.request_mtu(self._requested_mtu))
        await self._gatt(self._discover(peer))

    async def _discover(self, peer: Peer) -> None:
        await peer.discover_services()
        collection = BleakGATTServiceCollection()
        for service in peer.services:
            await peer.discover_characteristics(service=service)
            bleak_service = BleakGATTService(service, service.handle, bleak_uuid(service.uuid))
            collection.add_service(bleak_service)
            for characteristic in service.characteristics:
                await peer.discover_descriptors(characteristic=characteristic)
                bleak_characteristic = BleakGATTCharacteristic(
                    characteristic,
                    characteristic.handle,
                    bleak_uuid(characteristic.uuid),
                    _property_names(int(characteristic.properties)),
                    self._max_write_without_response_size,
                    bleak_service,
                )
                collection.add_characteristic(bleak_characteristic)
                for descriptor in characteristic.descriptors:
                    collection.add_descriptor(
                        BleakGATTDescriptor(
                            descriptor,
                            descriptor.handle,
                            bleak_uuid(descriptor.type),
                            bleak_characteristic,
                        )
                    )
        self.services = collection

    def _max_write_without_response_size(self) -> int:
        return min(self.mtu_size - 3, MAX_ATTRIBUTE_VALUE_SIZE)

    async def disconnect(self) -> None:
        connection = self._connection
        if connection is None:
            return
        self._closing = True
        try:
            await self._quiet_disconnect(connection)
        finally:
            self._forget_connection()
            self._closing = False

    async def _quiet_disconnect(self, connection: Connection) -> None:
        """Ask for the disconnection and wait (briefly) until the host confirms it."""
        if connection.handle not in connection.device.connections:
            return
        done = asyncio.get_running_loop().create_future()

        def on_disconnection(_reason: int) -> None:
            if not done.done():
                done.set_result(None)

        connection.once(Connection.EVENT_DISCONNECTION, on_disconnection)
        try:
            await connection.disconnect()
            async with asyncio.timeout(_DISCONNECT_TIMEOUT_S):
                await done
        except (core.BaseBumbleError, hci.HCI_Error, TimeoutError) as error:
            logger.debug("disconnecting from %s: %s", self.address, error)
        finally:
            _remove_listener(connection, on_disconnection)

    def _on_disconnection(self, reason: int) -> None:
        if self._connection is None:
            return
        logger.debug("%s disconnected (reason 0x%02X)", self.address, reason)
        self._forget_connection()
        if not self._closing and self._disconnected_callback is not None:
            self._disconnected_callback()

    def _forget_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            _remove_listener(connection, self._on_disconnection)
        self._peer = None
        self._notify.clear()

    # -- pairing -------------------------------------------------------------------------

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        """Succeeds: the emulated readers need no bonding (see the module docstring)."""
        if self._connection is None:
            raise BleakError("Not connected")
        logger.debug("pairing with %s: nothing to do on the virtual radio", self.address)

    async def unpair(self) -> None:
        """Succeeds: nothing is stored, so there is nothing to forget."""
        logger.debug("unpairing %s: nothing to do on the virtual radio", self.address)

    # -- GATT I/O ------------------------------------------------------------------------

    async def read_gatt_char(
        self,
        characteristic: BleakGATTCharacteristic,
        *,
        use_cached: bool = False,
        **kwargs: Any,
    ) -> bytearray:
        peer = self._require_peer()
        if use_cached:
            cached = peer.gatt_client.cached_values.get(characteristic.handle)
            if cached is not None:
                return bytearray(cached[1])
        proxy: CharacteristicProxy[bytes] = characteristic.obj
        return bytearray(await self._gatt(peer.read_value(proxy)))

    async def read_gatt_descriptor(
        self,
        descriptor: BleakGATTDescriptor,
        *,
        use_cached: bool = False,
        **kwargs: Any,
    ) -> bytearray:
        peer = self._require_peer()
        if use_cached:
            cached = peer.gatt_client.cached_values.get(descriptor.handle)
            if cached is not None:
                return bytearray(cached[1])
        proxy: DescriptorProxy = descriptor.obj
        return bytearray(await self._gatt(peer.read_value(proxy)))

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        peer = self._require_peer()
        value = bytes(data)
        limit = self._max_write_without_response_size()
        if not response and len(value) > limit:
            raise BleakError(
                f"{len(value)} bytes do not fit in a write without response "
                f"(at most {limit} at ATT MTU {self.mtu_size})"
            )
        proxy: CharacteristicProxy[bytes] = characteristic.obj
        await self._gatt(peer.write_value(proxy, value, with_response=response))

    async def write_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, data: SizedBuffer
    ) -> None:
        peer = self._require_peer()
        proxy: DescriptorProxy = descriptor.obj
        await self._gatt(peer.write_value(proxy, bytes(data), with_response=True))

    async def start_notify(
        self,
        characteristic: BleakGATTCharacteristic,
        callback: NotifyCallback,
        **kwargs: Any,
    ) -> None:
        """Subscribe (CCCD write); notifications are preferred over indications."""
        peer = self._require_peer()
        proxy: CharacteristicProxy[bytes] = characteristic.obj
        if characteristic.handle in self._notify:
            await self.stop_notify(characteristic)

        def subscriber(value: bytes) -> None:
            callback(bytearray(value))

        self._notify[characteristic.handle] = subscriber
        try:
            await self._gatt(peer.subscribe(proxy, subscriber, prefer_notify=True))
        except BaseException:
            self._notify.pop(characteristic.handle, None)
            raise

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        peer = self._require_peer()
        subscriber = self._notify.pop(characteristic.handle, None)
        if subscriber is None:
            return
        proxy: CharacteristicProxy[bytes] = characteristic.obj
        await self._gatt(peer.unsubscribe(proxy, subscriber))

    # -- helpers -------------------------------------------------------------------------

    def _require_peer(self) -> Peer:
        if self._peer is None:
            raise BleakError("Not connected")
        return self._peer

    async def _gatt(self, operation: Awaitable[T]) -> T:
        """Run one GATT procedure with a timeout, in bleak's error types."""
        task = asyncio.current_task()
        try:
            async with asyncio.timeout(self._gatt_timeout):
                return await operation
        except asyncio.CancelledError:
            if task is not None and task.cancelling():
                raise
            # bumble cancels the pending request when the link drops.
            raise BleakError("Not connected") from None
        except att.ATT_Error as error:
            raise BleakGATTProtocolError(int(error.error_code)) from error
        except core.TimeoutError as error:
            raise TimeoutError(str(error)) from error
        except core.InvalidStateError as error:
            raise BleakError(str(error)) from error


def _remove_listener(connection: Connection, listener: Callable[[int], None]) -> None:
    # A ``once`` listener is gone after it ran; removing it again raises KeyError.
    with contextlib.suppress(KeyError):
        connection.remove_listener(Connection.EVENT_DISCONNECTION, listener)


def _parse_address(text: str) -> hci.Address:
    try:
        return hci.Address(text.upper(), hci.Address.RANDOM_DEVICE_ADDRESS)
    except (ValueError, core.InvalidArgumentError) as error:
        raise BleakError(f"not a Bluetooth address: {text!r}") from error


def _property_names(properties: int) -> list[CharacteristicPropertyName]:
    return [name for bit, name in CHARACTERISTIC_PROPERTIES.items() if properties & bit]


__all__ = ["DEFAULT_MTU", "MAX_ATTRIBUTE_VALUE_SIZE", "SUPPORTED_MTUS", "BumbleClient"]
