"""What a live session tells its views (terminal, plain lines, web page).

Every event is a frozen dataclass; a view is a callable that takes them one at a time, in the
order the session produced them. Times named ``*_s`` without a prefix are data time: seconds
from the recording's first sample, the clock of :class:`imu.core.metrics.Rep`.

Phase events (:class:`PhaseStarted`, :class:`PaceCue`) are cues: they come as soon as the
analyzer can tell, and the :class:`RepDone` that follows is authoritative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from imu.core.metrics import Rep

PHASES = ("concentric", "top_hold", "eccentric", "bottom_pause")
"""Phase names of :class:`PhaseStarted`, in the order a rep goes through them."""


@dataclass(frozen=True)
class SourceInfo:
    """What a source says about the device it streams from (any transport: BLE, a phone app).

    Attributes:
        name: the device's name as the user knows it ("HipIMU-S", "Pixel 7 (phyphox)").
        address: where it was reached: a BLE address, a URL, "" when there is none.
        model: model string, if known.
        mtu: negotiated ATT MTU, bytes (BLE only; None otherwise).
        battery_percent: battery level, % (None: unknown).
        protocol_version: version of the device's streaming protocol, if any.
        firmware_version: firmware or app version, if known.
        serial_number: serial number, if known.
        extra: further fields for the ``connected`` journal event and the recorder (e.g. the
            decode factors of a Polar stream); plain JSON values.

    """

    name: str
    address: str = ""
    model: str | None = None
    mtu: int | None = None
    battery_percent: int | None = None
    protocol_version: str | None = None
    firmware_version: str | None = None
    serial_number: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_event(self) -> dict[str, Any]:
        """Fields of the ``connected`` journal event and recorder event (``extra`` included)."""
        return {
            "name": self.name,
            "address": self.address,
            "mtu": self.mtu,
            "protocol_version": self.protocol_version,
            "firmware_version": self.firmware_version,
            "serial_number": self.serial_number,
            "model": self.model,
            "battery_percent": self.battery_percent,
            **self.extra,
        }

    @property
    def summary(self) -> str:
        """One line for the views, e.g. ``HipIMU-S (C0:FF:EE:00:00:01), MTU 247, battery 80%``."""
        text = f"{self.name} ({self.address})" if self.address else self.name
        if self.mtu is not None:
            text += f", MTU {self.mtu}"
        if self.battery_percent is not None:
            text += f", battery {self.battery_percent}%"
        return text


@dataclass(frozen=True)
class Connected:
    """The source is connected and streaming (``reconnect``: not for the first time)."""

    info: SourceInfo
    reconnect: bool


@dataclass(frozen=True)
class Disconnected:
    """The link dropped unexpectedly at grid sample ``at_sample``; reconnection starts."""

    at_sample: int


@dataclass(frozen=True)
class Reconnecting:
    """About to try again (``attempt`` from 1) after ``delay_s``."""

    attempt: int
    delay_s: float
    error: str


@dataclass(frozen=True)
class RepDone:
    """A rep was completed.

    Attributes:
        rep: the rep (seconds from the first sample).
        received_s: host time the notification that completed it was received, s.
        emitted_s: host time the event was emitted, s.

    """

    rep: Rep
    received_s: float
    emitted_s: float


@dataclass(frozen=True)
class PhaseChanged:
    """The live movement phase (a display hint; reps are authoritative)."""

    phase: str


@dataclass(frozen=True)
class SetEnded:
    """No rep for ``rest_s``: the set is over."""

    set_no: int
    reps: tuple[Rep, ...]


@dataclass(frozen=True)
class Progress:
    """Periodic stream status."""

    samples: int
    seconds: float
    lost_samples: int
    gaps: int
    clock_drift_ppm: float | None
    journal_error: str | None


@dataclass(frozen=True)
class StreamEvent:
    """A stream event: the device stopped a stream on its own, or its restart ended.

    ``kind`` is ``stopped_by_device``, ``stream_restarted`` or ``stream_restart_failed`` (the
    session then ends); ``measurement`` names the stream ("ACC", "GYRO").
    """

    kind: str
    measurement: str
    error: str | None = None

    @property
    def text(self) -> str:
        """One line for the user."""
        if self.kind == "stopped_by_device":
            return f"the sensor stopped its {self.measurement} stream on its own; restarting it"
        if self.kind == "stream_restarted":
            return f"{self.measurement} stream restarted; streaming"
        return (
            f"could not restart the {self.measurement} stream ({self.error}); ending the "
            "session and saving what was recorded"
        )


DEVICE_STOPPED = "device stopped streaming"
"""Session end reason: the device stopped a stream and it could not be restarted."""


@dataclass(frozen=True)
class Finished:
    """The session ended.

    ``reason``: ``stopped``, ``device gone``, ``device stopped streaming`` (``DEVICE_STOPPED``).
    """

    reason: str

    @property
    def words(self) -> str:
        """What the screens say: ``session ended``, with why when it was not asked for."""
        why = {
            "stopped": "",
            "device gone": ": the sensor went away and did not come back",
        }.get(self.reason, f": {self.reason}")
        return f"session ended{why}"


@dataclass(frozen=True)
class PhaseStarted:
    """A phase of the rep in progress started (a live cue; :class:`RepDone` is authoritative).

    Attributes:
        phase: one of :data:`PHASES`; ``bottom_pause``: back at the bottom (see
            ``rep_ended``). A phase may be told again within a rep (a hesitation: the
            concentric goes on after a top; a wiggle at the top: top hold after an eccentric
            start).
        rep_no: number of the rep in progress in the session, from 1.
        at_s: data time the phase started, s.
        emitted_at_s: data time of the newest sample when the event was made, s
            (``emitted_at_s - at_s`` is the detection delay).
        prescribed_s: the tempo's duration for this phase, s (None: no prescription).
        rep_ended: for ``bottom_pause``: True when a rep ended (its :class:`RepDone` follows),
            False when a start came to nothing (too small to be a rep).

    """

    phase: str
    rep_no: int
    at_s: float
    emitted_at_s: float
    prescribed_s: float | None
    rep_ended: bool = False


@dataclass(frozen=True)
class PaceCue:
    """The phase in progress runs faster than prescribed (emitted before it ends).

    Attributes:
        phase: ``eccentric`` (or ``concentric``).
        rep_no: number of the rep in progress, from 1.
        elapsed_s: time since the phase started, s.
        projected_s: the phase's duration at the pace so far, s.
        prescribed_s: the tempo's duration for the phase, s.
        message: the cue to show or say, e.g. ``slower``.

    """

    phase: str
    rep_no: int
    elapsed_s: float
    projected_s: float
    prescribed_s: float
    message: str


LiveEvent = (
    Connected | Disconnected | Reconnecting | RepDone | PhaseChanged | SetEnded | Progress
    | StreamEvent | PhaseStarted | PaceCue
)
Listener = Callable[[LiveEvent | Finished], None]
"""A view: takes each event in order; it must return quickly (it runs in the consumer)."""
