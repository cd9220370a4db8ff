"""phyphox over its remote-access REST API: journaled HTTP responses -> grid rows.

phyphox (https://phyphox.org) serves the running experiment's data buffers over HTTP when
"Allow remote access" is on. The documented API (https://phyphox.org/wiki/index.php/
Remote-interface_communication; the Android server: phyphox/phyphox-android
``RemoteServer.java``):

``/get?accX=T|acc_time&acc_time=T&...``
    ``{"buffer": {NAME: {"size": N, "updateMode": "partial"|"full"|"single", "buffer": [...]},
    ...}, "status": {"session": ID, "measuring": bool, "timedRun": bool, "countDown": ms}}``.
    ``NAME=T|REF`` returns the values of ``NAME`` at the indices where buffer ``REF`` exceeds
    ``T`` (``T`` is nudged up at its 8th significant digit, the precision values are printed
    with); ``NAME=full`` returns everything. After the data was cleared the next response is
    ``full`` whatever was asked. Non-finite values are ``null``.
``/time``
    ``[{"event": "START"|"PAUSE", "experimentTime": s, "systemTime": Unix s}, ...]``: sensor
    times are experiment time (seconds since the first start, pauses left out); each START
    maps experiment time to the phone's clock from there on (phyphox 1.1.8 and later).
``/config``
    ``{"crc32", "title", "buffers": [{"name", "size"}], "inputs": [{"source": "accelerometer",
    "outputs": [{"x": "accX"}, ..., {"t": "acc_time"}]}, ...], "export": [...]}``.
``/control?cmd=start|stop|clear``
    ``{"result": true|false}``.

The live source (:mod:`imu.live.sources.phyphox`) journals each response it uses as one
payload (:func:`envelope`: a JSON line naming the endpoint, then the body as received); this
recorder decodes them, so journal recovery rebuilds the recording from the same bytes. The
accelerometer must be phyphox's ``accelerometer`` (with gravity, m/s^2 on Android and iOS
alike; ``linear_acceleration`` lacks gravity and is refused when the experiment is checked);
the gyroscope is rad/s. Experiment time goes through the START mapping to the phone's clock,
so a pause on the phone is a gap of its real length (reason ``paused on the phone``), never
spliced over; without ``/time`` (an old phyphox) experiment time is used as it is.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from imu.io.phone import PX_SENSOR_ACC, PX_SENSOR_GYR, PX_SENSOR_LINEAR
from imu.io.recorders.base import FloatArray, StreamHeader
from imu.io.recorders.timed import Stream, TimedStreamsRecorder

logger = logging.getLogger(__name__)

PROTOCOL = "phyphox-rest"
"""``StreamHeader.notes["protocol"]`` of phyphox streams (journal recovery dispatches on it)."""

MAGIC = b"PHYPHOX "
"""First bytes of every journaled phyphox payload."""

DEFAULT_BUFFERS: dict[Stream, tuple[str, str, str, str]] = {
    Stream.ACC: ("accX", "accY", "accZ", "acc_time"),
    Stream.GYR: ("gyrX", "gyrY", "gyrZ", "gyr_time"),
}
"""Buffer names (x, y, z, t) of the experiment this package ships (``hip-imu.phyphox``),
the same as phyphox's own "Acceleration with g" and "Gyroscope" experiments."""

DEFAULT_MAX_GAP_S = 0.25
"""Samples of a stream further apart than this are not interpolated across, s (the importer's
default, so live and offline place the same samples)."""

_SOURCES = {PX_SENSOR_ACC: Stream.ACC, PX_SENSOR_GYR: Stream.GYR}


class PhyphoxDataError(ValueError):
    """A phyphox response that cannot be used (the message says why)."""


def envelope(endpoint: str, body: bytes, **meta: Any) -> bytes:
    """One journal payload: ``MAGIC``, a JSON line ``{"endpoint": ..., **meta}``, the body."""
    head = json.dumps({"endpoint": endpoint, **meta}, sort_keys=True).encode()
    return MAGIC + head + b"\n" + body


def open_envelope(payload: bytes) -> tuple[dict[str, Any], bytes]:
    """``(meta, body)`` of :func:`envelope`. Raises :class:`PhyphoxDataError` if malformed."""
    if not payload.startswith(MAGIC) or b"\n" not in payload:
        raise PhyphoxDataError(f"not a phyphox payload (starts {payload[:16]!r})")
    head, body = payload[len(MAGIC):].split(b"\n", 1)
    try:
        meta = json.loads(head)
    except ValueError as exc:
        raise PhyphoxDataError(f"phyphox payload header is not JSON: {exc}") from exc
    if not isinstance(meta, dict) or not isinstance(meta.get("endpoint"), str):
        raise PhyphoxDataError("phyphox payload header names no endpoint")
    return meta, body


def _json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PhyphoxDataError(f"{what} is not JSON ({exc}): {body[:60]!r}") from exc


@dataclass(frozen=True)
class GetData:
    """One ``/get`` response, decoded.

    Attributes:
        samples: per stream, ``(t (n,) experiment s, values (n, 3))`` (NaN for ``null``).
        full: True if any buffer came back in full (after a clear).
        session: the status' session id ("" if absent).
        measuring: the status' measuring flag (None if absent).

    """

    samples: dict[Stream, tuple[FloatArray, FloatArray]]
    full: bool
    session: str
    measuring: bool | None


def parse_get(
    body: bytes, buffers: dict[Stream, tuple[str, str, str, str]] | None = None
) -> GetData:
    """Decode a ``/get`` response (see the module docstring).

    The x, y, z and t arrays of a stream are cut to the shortest (phyphox copies each buffer
    separately; a sample whose components are not all there comes again with the next
    request, whose threshold is the last time used).

    Raises:
        PhyphoxDataError: not JSON, or a requested buffer missing or not a list of numbers.

    """
    names = buffers or DEFAULT_BUFFERS
    doc = _json(body, "phyphox /get response")
    if not isinstance(doc, dict) or not isinstance(doc.get("buffer"), dict):
        raise PhyphoxDataError("phyphox /get response has no 'buffer' object")
    buf = doc["buffer"]
    raw_status = doc.get("status")
    status: dict[str, Any] = raw_status if isinstance(raw_status, dict) else {}
    samples: dict[Stream, tuple[FloatArray, FloatArray]] = {}
    full = False
    for stream, cols in names.items():
        arrays = []
        for name in cols:
            entry = buf.get(name)
            if not isinstance(entry, dict) or not isinstance(entry.get("buffer"), list):
                raise PhyphoxDataError(
                    f"phyphox /get response lacks buffer {name!r} (has {sorted(buf)}); load the "
                    "hip-imu experiment ('imu phone-setup phyphox')"
                )
            full |= entry.get("updateMode") == "full"
            try:
                arrays.append(np.asarray(entry["buffer"], dtype=np.float64).reshape(-1))
            except (TypeError, ValueError) as exc:
                raise PhyphoxDataError(f"phyphox buffer {name!r} holds non-numbers") from exc
        n = min(a.size for a in arrays)
        t = arrays[3][:n]
        values = np.column_stack([a[:n] for a in arrays[:3]]) if n else np.empty((0, 3))
        samples[stream] = (t, values)
    measuring = status.get("measuring")
    return GetData(
        samples,
        full,
        str(status.get("session", "")),
        bool(measuring) if isinstance(measuring, bool) else None,
    )


def parse_config(body: bytes) -> dict[Stream, tuple[str, str, str, str]]:
    """Buffer names (x, y, z, t) of the accelerometer and gyroscope in a ``/config`` response.

    Raises:
        PhyphoxDataError: not JSON, or the experiment lacks the accelerometer (with gravity) or
            the gyroscope with all four outputs; the message names what it has and the fix.

    """
    doc = _json(body, "phyphox /config response")
    inputs = doc.get("inputs") if isinstance(doc, dict) else None
    if not isinstance(inputs, list):
        raise PhyphoxDataError("phyphox /config response has no 'inputs' list")
    found: dict[Stream, tuple[str, str, str, str]] = {}
    sources = []
    for item in inputs:
        if not isinstance(item, dict):
            continue
        source = str(item.get("source", ""))
        sources.append(source)
        stream = _SOURCES.get(source)
        if stream is None or stream in found:
            continue
        outs: dict[str, str] = {}
        for out in item.get("outputs") or []:
            if isinstance(out, dict):
                outs.update({str(k): str(v) for k, v in out.items()})
        if all(c in outs for c in "xyzt"):
            found[stream] = (outs["x"], outs["y"], outs["z"], outs["t"])
    title = doc.get("title", "?")
    if Stream.ACC not in found:
        why = (
            "it measures linear acceleration (without gravity), which the analysis cannot use"
            if PX_SENSOR_LINEAR in sources else f"its inputs are {sources}"
        )
        raise PhyphoxDataError(
            f"the phyphox experiment {title!r} has no accelerometer with x, y, z and t outputs "
            f"({why}); load the hip-imu experiment ('imu phone-setup phyphox')"
        )
    if Stream.GYR not in found:
        raise PhyphoxDataError(
            f"the phyphox experiment {title!r} has no gyroscope with x, y, z and t outputs (its "
            f"inputs are {sources}); load the hip-imu experiment ('imu phone-setup phyphox')"
        )
    return found


def parse_time(body: bytes) -> list[tuple[str, float, float]]:
    """``(event, experiment time s, system time Unix s)`` of a ``/time`` response, in order.

    Raises:
        PhyphoxDataError: not JSON or not a list of events.

    """
    doc = _json(body, "phyphox /time response")
    if not isinstance(doc, list):
        raise PhyphoxDataError("phyphox /time response is not a list of events")
    out = []
    for item in doc:
        try:
            event = str(item["event"]).upper()
            exp_t, sys_t = float(item["experimentTime"]), float(item["systemTime"])
        except (KeyError, TypeError, ValueError) as exc:
            raise PhyphoxDataError(f"phyphox /time event is malformed: {item!r}") from exc
        if math.isfinite(exp_t) and math.isfinite(sys_t):
            out.append((event, exp_t, sys_t))
    return out


class PhyphoxRecorder(TimedStreamsRecorder):
    """Turns journaled phyphox responses into grid rows and, at the end, a recording.

    Args:
        header: stream configuration (``odr_hz`` is the grid rate; ``notes["max_gap_s"]``
            overrides :data:`DEFAULT_MAX_GAP_S`).

    """

    protocol = PROTOCOL

    def __init__(self, header: StreamHeader) -> None:
        super().__init__(header, float(header.notes.get("max_gap_s", DEFAULT_MAX_GAP_S)))
        self.buffers = dict(DEFAULT_BUFFERS)
        self._starts: list[tuple[float, float]] = []  # (experiment s, phone Unix s) per START
        self._origin: float | None = None  # phone Unix s of device time 0
        self._session = ""
        self._measuring: bool | None = None
        self.title = ""
        self.counters.update({"responses": 0, "pauses": 0})

    def _ingest(self, host_times_s: list[float], payloads: list[bytes]) -> None:
        for host, payload in zip(host_times_s, payloads, strict=True):
            try:
                meta, body = open_envelope(payload)
                endpoint = meta["endpoint"]
                if endpoint == "/get":
                    self._on_get(parse_get(body, self.buffers), float(host))
                elif endpoint == "/time":
                    self._on_time(parse_time(body))
                elif endpoint == "/config":
                    self.buffers = parse_config(body)
                    doc = json.loads(body)
                    self.title = str(doc.get("title", "")) if isinstance(doc, dict) else ""
            except PhyphoxDataError as exc:
                self._frame_error(str(exc))
                continue
            self.counters["responses"] += 1
        self._emit()

    def _on_time(self, events: list[tuple[str, float, float]]) -> None:
        starts = [(e, s) for kind, e, s in events if kind == "START"]
        if not starts:
            return
        if self._origin is None:
            self._origin = starts[0][1] - starts[0][0]
        self._starts = starts
        if events[-1][0] == "PAUSE":
            self._mark_paused()

    def _device_s(self, t_exp: FloatArray) -> FloatArray:
        """Experiment time -> seconds on the phone's clock since the origin (START mapping)."""
        if not self._starts or self._origin is None:
            return t_exp
        exp = np.array([e for e, _ in self._starts])
        offset = np.array([s - e for e, s in self._starts]) - self._origin
        k = np.clip(np.searchsorted(exp, t_exp + 1e-9, side="right") - 1, 0, exp.size - 1)
        out: FloatArray = t_exp + offset[k]
        return out

    def _on_get(self, data: GetData, host_s: float) -> None:
        if data.session and data.session != self._session:
            if self._session:
                logger.info("phyphox session changed (%s -> %s)", self._session, data.session)
            self._session = data.session
        if data.measuring is False and self._measuring is not False:
            self.counters["pauses"] += 1
            self._mark_paused()
        if data.measuring is not None:
            self._measuring = data.measuring
        for stream, (t, values) in data.samples.items():
            if t.size:
                self._add_samples(stream, self._device_s(t), values, host_s)

    def _notes(self) -> dict[str, str]:
        notes = {"app": "phyphox", "max_gap_s": repr(self.max_gap_s)}
        if self.title:
            notes["phyphox_experiment"] = self.title
        if self._origin is not None and self._t0 is not None:
            notes["device_time_first_sample_unix_s"] = f"{self._origin + self._t0:.6f}"
        return notes
