"""Hypothesis strategies for protocol values."""

from __future__ import annotations

from hypothesis import strategies as st

from firmware_protocol import spec
from firmware_protocol.control import GetStatus, SetClock, StartStream, StopStream
from firmware_protocol.frames import Frame
from firmware_protocol.status import Status
from firmware_protocol.version import PROTOCOL_VERSION, ProtocolVersion

int16 = st.integers(-32768, 32767)
uint8 = st.integers(0, 255)
uint16 = st.integers(0, 65535)
uint32 = st.integers(0, 2**32 - 1)

samples = st.tuples(int16, int16, int16, int16, int16, int16)


@st.composite
def frames(draw: st.DrawFn, max_samples: int = spec.MAX_SAMPLES_PER_FRAME) -> Frame:
    rows = draw(st.lists(samples, min_size=1, max_size=max_samples))
    minor = draw(st.integers(0, 15))
    return Frame(draw(uint16), draw(uint32), tuple(rows), ProtocolVersion(1, minor))


commands = st.one_of(
    st.builds(StartStream, uint16, uint8, uint16),
    st.builds(StopStream),
    st.builds(SetClock, uint32),
    st.builds(GetStatus),
)

positive_f32 = st.floats(
    min_value=2.0**-100, max_value=2.0**100, allow_nan=False, allow_infinity=False, width=32
)

statuses = st.builds(
    Status,
    protocol_version=st.builds(ProtocolVersion, st.just(PROTOCOL_VERSION.major), uint8),
    firmware_version=st.tuples(uint8, uint8, uint8),
    streaming=st.booleans(),
    clock_set=st.booleans(),
    odr_hz=uint16,
    acc_range_g=uint8,
    gyr_range_dps=uint16,
    acc_scale_ms2=positive_f32,
    gyr_scale_rads=positive_f32,
    battery_percent=st.none() | st.integers(0, 100),
    dropped_queue_samples=uint32,
    dropped_fifo_samples=uint32,
    device_time_us=uint32,
)
