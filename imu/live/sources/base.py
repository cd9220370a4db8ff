"""What a live session needs from a source, and how to write one.

A **source** brings one device's payloads to a :class:`imu.live.session.LiveSession`: our IMU
or a Polar sensor over BLE (:mod:`imu.live.sources.ble`), a virtual sensor or a recording
replayed through one (:mod:`imu.live.sources.virtual`), a phone app over the network. The
session owns everything after the source: the crash-safe journal (every payload as it
arrives), the recorder that places payloads on the sample grid, the analyzer and the views.

Writing a source
----------------
A source is any object with the attributes and methods of :class:`Source`:

1. **Before it runs**, it tells the stream header: ``label`` (the recording's ``source``,
   e.g. ``"ble"``, ``"phyphox"``), ``odr_hz`` (the grid's rate, Hz: the rate the device was
   asked for and confirmed, never guessed from timestamps), ``acc_range_g``,
   ``gyr_range_dps`` and ``header_notes()`` (free-form strings; ``notes["protocol"]`` tells
   journal recovery which recorder to use). A source that learns these only from the device
   must find them out before the session is built.
2. ``make_recorder(header)`` returns the :class:`imu.io.recorders.FrameRecorder` that decodes
   its payloads (a subclass of :class:`imu.io.recorders.GridRecorder`, in :mod:`imu.io`:
   files know no network). Each payload is one opaque ``bytes`` value, exactly as the journal
   keeps it: a BLE notification, or one JSON batch of a phone app's HTTP API.
3. ``async run(link, stop)`` connects, streams and returns the reason the session ends
   (``"stopped"`` once ``stop`` is set, ``"device gone"``, :data:`~imu.live.events.DEVICE_STOPPED`).
   While it runs it talks to the session only through ``link`` (:class:`SourceLink`):

   - ``link.frame(link.now(), payload)`` for every payload, as soon as it arrives. It only
     enqueues, so it is safe in a notification callback or an HTTP handler; decoding happens
     in the session's consumer. Use the session's clock (``link.now()``), never your own.
   - ``link.connected(SourceInfo(...))`` each time the device is (re)connected and streaming;
     ``link.disconnected()`` when it went away unexpectedly (the recorder marks the gap
     ``disconnected``); ``link.reconnecting(attempt, delay_s, error)`` before each retry;
     ``link.stream_event(kind, fields)`` for stream events the recorder knows
     (``stopped_by_device``, ``stream_restarted``, ``stream_restart_failed``). Link and stream
     events go through the same queue as payloads, so the journal, the recorder and the
     analysis see one order of things.
   - ``stop`` is an :class:`asyncio.Event`: when it is set, stop the device's stream cleanly,
     let the last payloads arrive, close the connection and return ``"stopped"``.

   An error before the first connection should raise (an :class:`imu.errors.ImuError` naming
   the device and the fix); the session still closes its journal. Keep references to the
   tasks you create and cancel them before returning.

A polling HTTP client (phyphox) loops ``while not stop.is_set()``, fetches, and pushes each
response body; an HTTP server (Sensor Logger) pushes each request body from its handler and
waits for ``stop``. Neither needs bleak, GATT or BLE frames.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any, Protocol

from imu.io.recorders import FrameRecorder, StreamHeader
from imu.live.events import SourceInfo

__all__ = ["Source", "SourceInfo", "SourceLink"]


class SourceLink(Protocol):
    """What a running source may tell the session (given to :meth:`Source.run`)."""

    def now(self) -> float:
        """The session's host clock, s (Unix time, or a scaled clock in simulations)."""

    def frame(self, host_time_s: float, payload: bytes) -> None:
        """One payload received at ``host_time_s`` (session clock, s); only enqueues."""

    def connected(self, info: SourceInfo) -> None:
        """The device is (re)connected and streaming."""

    def disconnected(self) -> None:
        """The device went away unexpectedly (the gap that follows is ``disconnected``)."""

    def reconnecting(self, attempt: int, delay_s: float, error: str) -> None:
        """About to try again (``attempt`` from 1) in ``delay_s`` seconds, after ``error``."""

    def stream_event(self, kind: str, fields: Mapping[str, Any]) -> None:
        """A stream event (``stopped_by_device``, ...); goes to the journal, recorder and views."""


class Source(Protocol):
    """A device a live session streams from (see the module docstring for how to write one).

    Attributes:
        label: the recording's ``source`` (``"ble"``, ``"ble-sim"``, ``"replay"``, ...).
        odr_hz: the stream's sampling rate, Hz (the grid's rate).
        acc_range_g: accelerometer full scale, +-g.
        gyr_range_dps: gyroscope full scale, +-deg/s.

    """

    label: str
    odr_hz: int
    acc_range_g: int
    gyr_range_dps: int

    def header_notes(self) -> dict[str, str]:
        """Notes for the stream header (``protocol`` selects the recorder at recovery)."""

    def make_recorder(self, header: StreamHeader) -> FrameRecorder:
        """The recorder that decodes this source's payloads."""

    async def run(self, link: SourceLink, stop: asyncio.Event) -> str:
        """Stream until ``stop`` is set or the device is gone for good; returns why it ended."""
