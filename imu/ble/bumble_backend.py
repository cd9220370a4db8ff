"""A bleak backend over Bumble: the real bleak API on a Bumble host stack.

bleak lets the caller choose the backend (``BleakScanner(backend=...)``,
``BleakClient(..., backend=...)``). The classes here drive a Bumble
:class:`~bumble.device.Device` instead of the operating system's Bluetooth stack:

- in tests and ``imu live --sim``, the device sits on a Bumble controller attached to an
  in-process :class:`~bumble.link.LocalLink`, next to the virtual sensor's controller: a real
  link layer, ATT/GATT, MTU exchange and notifications, no radio;
- on a machine without an OS Bluetooth stack, the device talks HCI to a USB dongle through a
  Bumble transport (``"usb:0"``).

Which Bumble host a scanner or client uses is given by one keyword argument, passed through
bleak's ``**kwargs``: ``bumble=BumbleHost`` (an opened host), or ``transport="usb:0"`` (a host
opened on first use and shared by every scanner and client of that transport name). Example::

    host = BumbleHost.on_local_link(link)
    async with BleakScanner(backend=BleakScannerBumble, bumble=host) as scanner: ...
    async with BleakClient(device, backend=BleakClientBumble, bumble=host) as client:
        await client.start_notify(uuid, callback)

What is implemented: scanning with advertisement data (name, service UUIDs, service and
manufacturer data, TX power, RSSI) and service-UUID filtering; connect (by ``BLEDevice`` or by
address, scanning for it first); MTU exchange on connect (``mtu=`` keyword, default 247);
service, characteristic and descriptor discovery; read (long reads too), write with and
without response, descriptor read/write; notifications and indications; unsolicited-disconnect
callback. Not implemented: pairing (logged and ignored, as bleak allows), unpairing, classic
Bluetooth, extended advertising reports beyond what Bumble merges.
"""

from __future__ import annotations

import asyncio
import logging
import uuid as uuid_module
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData, AdvertisementDataCallback, BaseBleakScanner
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.exc import BleakDeviceNotFoundError, BleakError, BleakGATTProtocolError
from bumble import att, core
from bumble.controller import Controller
from bumble.core import UUID, AdvertisingData
from bumble.device import Advertisement, Connection, Device
from bumble.gatt_client import CharacteristicProxy, DescriptorProxy, ServiceProxy
from bumble.hci import Address
from bumble.host import Host
from bumble.link import LocalLink
from bumble.transport import open_transport
from bumble.transport.common import AsyncPipeSink, Transport

logger = logging.getLogger(__name__)

DEFAULT_MTU = 247
"""ATT MTU the client asks for on connect, bytes."""

_PROPERTY_NAMES: tuple[tuple[int, str], ...] = (
    (0x01, "broadcast"),
    (0x02, "read"),
    (0x04, "write-without-response"),
    (0x08, "write"),
    (0x10, "notify"),
    (0x20, "indicate"),
    (0x40, "authenticated-signed-writes"),
    (0x80, "extended-properties"),
)


def bleak_uuid(value: UUID) -> str:
    """A Bumble UUID as bleak writes UUIDs: lower-case 128-bit string."""
    return str(uuid_module.UUID(bytes=value.to_bytes(force_128=True)[::-1]))


def address_text(address: Address) -> str:
    """A Bumble address as ``XX:XX:XX:XX:XX:XX`` (without Bumble's ``/P`` type suffix)."""
    return str(address).split("/")[0]


try:  # libusb errors (usb:N transports); usb1 comes with Bumble but is optional there
    from usb1 import USBError as _USBError

    _USB_ERRORS: tuple[type[Exception], ...] = (_USBError,)
except ImportError:  # pragma: no cover - depends on the installation
    _USB_ERRORS = ()


_TRANSPORT_ERRORS: tuple[type[Exception], ...] = (
    OSError, ValueError, core.BaseBumbleError, *_USB_ERRORS
)
"""What opening a Bumble transport raises when the controller is missing or unusable."""


class BumbleTransportError(BleakError):
    """A Bumble transport (``usb:0``, ``serial:...``) cannot be opened.

    Attributes:
        transport: the transport name.
        reason: what the transport layer said (one line).

    """

    def __init__(self, transport: str, cause: BaseException) -> None:
        self.transport = transport
        self.reason = " ".join(f"{type(cause).__name__}: {cause}".split())
        super().__init__(
            f"cannot open Bumble transport {transport!r} ({self.reason}); check the dongle is "
            "plugged in and not claimed by the OS Bluetooth stack (see docs/live.md)"
        )


class BumbleHost:
    """A powered-on Bumble device used as the host side by the bleak backend classes.

    Create with :meth:`on_local_link` (in-process controller) or :meth:`open` (a Bumble
    transport such as ``"usb:0"``), or wrap your own :class:`~bumble.device.Device`.

    Args:
        device: the Bumble device (powered on by :meth:`power_on`).
        transport: the transport to close with :meth:`close`, if this host owns one.

    """

    _shared: ClassVar[dict[str, BumbleHost]] = {}
    _shared_lock: ClassVar[asyncio.Lock | None] = None

    def __init__(self, device: Device, transport: Transport | None = None) -> None:
        self.device = device
        self._transport = transport
        self._powered = False
        self._scan_users = 0
        self._power_lock = asyncio.Lock()

    @classmethod
    def on_local_link(
        cls, link: LocalLink, address: str = "F0:F0:F0:F0:F0:01", name: str = "imu-host"
    ) -> BumbleHost:
        """A host on its own in-process controller attached to ``link``."""
        controller = Controller(f"host-{address}", link=link, public_address=address)
        device = Device(
            name=name, address=Address(address), host=Host(controller, AsyncPipeSink(controller))
        )
        return cls(device)

    @classmethod
    async def open(cls, transport: str, name: str = "imu-host") -> BumbleHost:
        """Open a Bumble transport (e.g. ``"usb:0"``) and power the controller on.

        Raises:
            BleakError: the transport cannot be opened (the message says which and why).

        """
        try:
            opened = await open_transport(transport)
        except _TRANSPORT_ERRORS as exc:
            raise BumbleTransportError(transport, exc) from exc
        device = Device.with_hci(name, Address("F0:F0:F0:F0:F0:F0"), opened.source, opened.sink)
        host = cls(device, opened)
        await host.power_on()
        return host

    @classmethod
    async def shared(cls, transport: str) -> BumbleHost:
        """The process-wide host of ``transport``, opened on first use."""
        if cls._shared_lock is None:
            cls._shared_lock = asyncio.Lock()
        async with cls._shared_lock:
            host = cls._shared.get(transport)
            if host is None:
                host = await cls.open(transport)
                cls._shared[transport] = host
            return host

    async def power_on(self) -> None:
        """Power the device on (once)."""
        async with self._power_lock:
            if not self._powered:
                await self.device.power_on()
                self._powered = True

    async def close(self) -> None:
        """Power off and close the transport this host owns."""
        if self._powered:
            try:
                await self.device.power_off()
            except (TimeoutError, core.BaseBumbleError) as exc:
                logger.debug("power off: %s", exc)
            self._powered = False
        if self._transport is not None:
            await self._transport.close()
            self._transport = None
        for key, host in list(BumbleHost._shared.items()):
            if host is self:
                del BumbleHost._shared[key]

    async def start_scanning(self, active: bool) -> None:
        """Start scanning (reference-counted: several scanners may share the host)."""
        await self.power_on()
        self._scan_users += 1
        if self._scan_users == 1:
            await self.device.start_scanning(active=active, filter_duplicates=False)

    async def stop_scanning(self) -> None:
        """Stop scanning when the last scanner stops."""
        self._scan_users = max(0, self._scan_users - 1)
        if self._scan_users == 0 and self.device.is_scanning:
            await self.device.stop_scanning()


async def resolve_host(kwargs: dict[str, Any]) -> BumbleHost:
    """The host named by a backend's ``bumble=`` or ``transport=`` keyword argument."""
    host = kwargs.get("bumble")
    if isinstance(host, BumbleHost):
        await host.power_on()
        return host
    transport = kwargs.get("transport")
    if isinstance(transport, str) and transport:
        return await BumbleHost.shared(transport)
    raise BleakError(
        "the Bumble backend needs bumble=BumbleHost(...) or transport='usb:0' (a Bumble "
        "transport name) as keyword argument of BleakScanner/BleakClient"
    )


def advertisement_data(adv: Advertisement) -> AdvertisementData:
    """Bleak's view of a (merged) Bumble advertisement."""
    name: str | None = None
    uuids: list[str] = []
    service_data: dict[str, bytes] = {}
    manufacturer: dict[int, bytes] = {}
    tx_power: int | None = None
    for ad_type, raw in adv.data.ad_structures:
        obj = AdvertisingData.ad_data_to_object(ad_type, raw)
        if ad_type in (AdvertisingData.COMPLETE_LOCAL_NAME, AdvertisingData.SHORTENED_LOCAL_NAME):
            if name is None or ad_type == AdvertisingData.COMPLETE_LOCAL_NAME:
                name = str(obj)
        elif isinstance(obj, list):
            uuids += [bleak_uuid(u) for u in obj if isinstance(u, UUID)]
        elif ad_type in (
            AdvertisingData.SERVICE_DATA_16_BIT_UUID,
            AdvertisingData.SERVICE_DATA_32_BIT_UUID,
            AdvertisingData.SERVICE_DATA_128_BIT_UUID,
        ) and isinstance(obj, tuple):
            key, value = obj
            if isinstance(key, UUID):
                service_data[bleak_uuid(key)] = bytes(value)
        elif ad_type == AdvertisingData.MANUFACTURER_SPECIFIC_DATA and isinstance(obj, tuple):
            company, value = obj
            if isinstance(company, int):
                manufacturer[company] = bytes(value)
        elif ad_type == AdvertisingData.TX_POWER_LEVEL and isinstance(obj, int):
            tx_power = obj if obj < 128 else obj - 256
    return AdvertisementData(
        local_name=name,
        manufacturer_data=manufacturer,
        service_data=service_data,
        service_uuids=list(dict.fromkeys(uuids)),
        tx_power=tx_power,
        rssi=int(adv.rssi),
        platform_data=(adv,),
    )


class BleakScannerBumble(BaseBleakScanner):
    """bleak scanner backend on a Bumble host (``bumble=`` or ``transport=`` keyword)."""

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: Literal["active", "passive"],
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        self._active = scanning_mode == "active"
        self._kwargs = kwargs
        self._host: BumbleHost | None = None
        self._listening = False

    async def start(self) -> None:
        """Start scanning; clears :attr:`seen_devices`."""
        self.seen_devices = {}
        self._host = await resolve_host(self._kwargs)
        self._host.device.on(self._host.device.EVENT_ADVERTISEMENT, self._on_advertisement)
        self._listening = True
        await self._host.start_scanning(self._active)

    async def stop(self) -> None:
        """Stop scanning."""
        if self._host is None:
            return
        if self._listening:
            self._host.device.remove_listener(
                self._host.device.EVENT_ADVERTISEMENT, self._on_advertisement
            )
            self._listening = False
        await self._host.stop_scanning()

    def _on_advertisement(self, adv: Advertisement) -> None:
        data = advertisement_data(adv)
        if not self.is_allowed_uuid(data.service_uuids):
            return
        address = address_text(adv.address)
        device = self.create_or_update_device(
            str(adv.address), address, data.local_name, adv.address, data
        )
        self.call_detection_callbacks(device, data)


class BleakClientBumble(BaseBleakClient):
    """bleak client backend on a Bumble host.

    Keyword Args:
        bumble: a :class:`BumbleHost`; or
        transport: a Bumble transport name such as ``"usb:0"`` (shared host).
        mtu: ATT MTU to ask for on connect, bytes (default 247).

    """

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        *,
        disconnected_callback: Callable[[], None] | None = None,
        timeout: float = 10.0,
        services: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            address_or_ble_device, disconnected_callback=disconnected_callback, timeout=timeout
        )
        self._device_arg = address_or_ble_device
        self._wanted_services = services
        self._kwargs = kwargs
        self._requested_mtu = int(kwargs.get("mtu", DEFAULT_MTU))
        self._host: BumbleHost | None = None
        self._connection: Connection | None = None
        self._disconnecting = False
        self._disconnected = asyncio.Event()
        self._subscribers: dict[int, Callable[[bytes], None]] = {}

    # ------------------------------------------------------------------ properties
    @property
    def name(self) -> str:
        """The advertised name if known, else the address with dashes."""
        if isinstance(self._device_arg, BLEDevice) and self._device_arg.name:
            return self._device_arg.name
        return self.address.replace(":", "-")

    @property
    def mtu_size(self) -> int:
        """The negotiated ATT MTU, bytes (23 before the exchange)."""
        return self._connection.att_mtu if self._connection is not None else att.ATT_DEFAULT_MTU

    @property
    def is_connected(self) -> bool:
        """True while the link is up."""
        return self._connection is not None

    # ------------------------------------------------------------------ connection
    async def _find_address(self, host: BumbleHost) -> Address:
        if isinstance(self._device_arg, BLEDevice) and isinstance(
            self._device_arg.details, Address
        ):
            return self._device_arg.details
        wanted = self.address.upper()
        found: asyncio.Future[Address] = asyncio.get_running_loop().create_future()

        def on_adv(adv: Advertisement) -> None:
            if address_text(adv.address).upper() == wanted and not found.done():
                found.set_result(adv.address)

        host.device.on(host.device.EVENT_ADVERTISEMENT, on_adv)
        await host.start_scanning(active=False)
        try:
            return await asyncio.wait_for(found, self._timeout)
        except TimeoutError:
            raise BleakDeviceNotFoundError(
                self.address, f"device {self.address} not found within {self._timeout:g} s"
            ) from None
        finally:
            host.device.remove_listener(host.device.EVENT_ADVERTISEMENT, on_adv)
            await host.stop_scanning()

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        """Connect, exchange the MTU and discover the services."""
        if pair:
            logger.info("the Bumble backend does not pair; connecting without pairing")
        host = await resolve_host(self._kwargs)
        self._host = host
        address = await self._find_address(host)
        try:
            connection = await host.device.connect(address, timeout=self._timeout)
        except (TimeoutError, core.BaseBumbleError) as exc:
            raise BleakError(f"cannot connect to {self.address}: {exc}") from exc
        self._connection = connection
        self._disconnecting = False
        self._disconnected.clear()
        connection.on(connection.EVENT_DISCONNECTION, self._on_disconnection)
        try:
            if self._requested_mtu > att.ATT_DEFAULT_MTU:
                await connection.gatt_client.request_mtu(self._requested_mtu)
            self.services = await self._discover(connection)
        except BaseException:
            await self.disconnect()
            raise
        logger.debug("connected to %s, ATT MTU %d", self.address, connection.att_mtu)

    def _on_disconnection(self, reason: int) -> None:
        solicited = self._disconnecting
        self._connection = None
        self._subscribers.clear()
        self._disconnected.set()
        logger.debug("disconnected from %s (reason 0x%02x)", self.address, reason)
        if not solicited and self._disconnected_callback is not None:
            self._disconnected_callback()

    async def disconnect(self) -> None:
        """Disconnect (no-op when not connected); the disconnect callback is not called."""
        connection = self._connection
        if connection is None:
            return
        self._disconnecting = True
        try:
            await connection.disconnect()
            await asyncio.wait_for(self._disconnected.wait(), self._timeout)
        except (TimeoutError, core.BaseBumbleError) as exc:
            logger.debug("disconnect from %s: %s", self.address, exc)
        finally:
            self._connection = None

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        """Not supported: logged and ignored."""
        logger.info("the Bumble backend does not pair; ignoring pair()")

    async def unpair(self) -> None:
        """Not supported."""
        raise BleakError("the Bumble backend does not support unpairing")

    async def _discover(self, connection: Connection) -> BleakGATTServiceCollection:
        client = connection.gatt_client
        collection = BleakGATTServiceCollection()
        proxies: list[ServiceProxy] = await client.discover_services()
        for proxy in proxies:
            service_uuid = bleak_uuid(proxy.uuid)
            if self._wanted_services and service_uuid not in self._wanted_services:
                continue
            service = BleakGATTService(proxy, proxy.handle, service_uuid)
            collection.add_service(service)
            chars: list[CharacteristicProxy[bytes]] = await client.discover_characteristics(
                [], proxy
            )
            for char in chars:
                props = [n for bit, n in _PROPERTY_NAMES if int(char.properties) & bit]
                characteristic = BleakGATTCharacteristic(
                    char,
                    char.handle,
                    bleak_uuid(char.uuid),
                    props,  # type: ignore[arg-type]
                    lambda: self.mtu_size - 3,
                    service,
                )
                collection.add_characteristic(characteristic)
                descriptors: list[DescriptorProxy] = await client.discover_descriptors(char)
                for desc in descriptors:
                    collection.add_descriptor(
                        BleakGATTDescriptor(
                            desc, desc.handle, bleak_uuid(desc.type), characteristic
                        )
                    )
        return collection

    # ------------------------------------------------------------------ I/O
    def _client(self) -> Any:
        if self._connection is None:
            raise BleakError(f"not connected to {self.address}")
        return self._connection.gatt_client

    async def _call(self, what: str, coro: Any) -> Any:
        """Await a Bumble GATT call, mapping its errors to bleak's."""
        try:
            return await coro
        except att.ATT_Error as exc:
            raise BleakGATTProtocolError(int(exc.error_code)) from exc
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            # Bumble cancels pending requests when the link drops.
            raise BleakError(f"{what}: disconnected from {self.address}") from None
        except (TimeoutError, core.BaseBumbleError) as exc:
            raise BleakError(f"{what} on {self.address} failed: {exc}") from exc

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """Read a characteristic value (long values too)."""
        client = self._client()
        if use_cached and characteristic.handle in client.cached_values:
            return bytearray(client.cached_values[characteristic.handle][1])
        value = await self._call("read", client.read_value(characteristic.handle))
        return bytearray(value)

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        """Read a descriptor value."""
        value = await self._call("read descriptor", self._client().read_value(descriptor.handle))
        return bytearray(value)

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: Any, response: bool
    ) -> None:
        """Write a characteristic value, with or without response."""
        await self._call(
            "write",
            self._client().write_value(characteristic.handle, bytes(data), with_response=response),
        )

    async def write_gatt_descriptor(self, descriptor: BleakGATTDescriptor, data: Any) -> None:
        """Write a descriptor value (with response)."""
        await self._call(
            "write descriptor",
            self._client().write_value(descriptor.handle, bytes(data), with_response=True),
        )

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        """Enable notifications (or indications when the characteristic has no notify).

        Calling it again for the same characteristic replaces the callback: never two.
        """
        client = self._client()
        proxy = characteristic.obj
        old = self._subscribers.pop(characteristic.handle, None)
        if old is not None:
            await self._call("unsubscribe", client.unsubscribe(proxy, old))

        def subscriber(value: bytes) -> None:
            callback(bytearray(value))

        self._subscribers[characteristic.handle] = subscriber
        await self._call("subscribe", client.subscribe(proxy, subscriber, prefer_notify=True))

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        """Disable notifications/indications."""
        subscriber = self._subscribers.pop(characteristic.handle, None)
        if subscriber is None:
            return
        await self._call("unsubscribe", self._client().unsubscribe(characteristic.obj, subscriber))
