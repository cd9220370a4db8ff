"""The simulated sensor: anti-alias filter and sampling, errors, int16 counts, lost frames.

Error model (drawn once per session from the session's random generator unless noted):

================  =====================================================================
error             model
================  =====================================================================
white noise       gyro 0.004-0.01 dps/sqrt(Hz), acc 100-200 ug/sqrt(Hz) (density drawn
                  per session); standard deviation = density * sqrt(rate / 2)
gyro bias         +-(0.5-2) dps per axis, random sign, plus a random walk of
                  0.003 dps/sqrt(s) (bias drift)
acc bias          +-(0-0.1) m/s^2 per axis (about +-10 mg, a typical zero-g offset)
scale error       +-(1-2) % per axis, random sign, both sensors
quantisation      round to int16 counts of the range (firmware_protocol.spec), saturate
                  at -32768 / +32767 counts
================  =====================================================================

The anti-alias low-pass (4th-order Butterworth at 0.4 x the output rate) is applied
zero-phase; a real sensor's digital filter adds a group delay of a sample or two, which is
not modelled (so ground-truth times and sensor samples share one time base).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import butter, sosfiltfilt

from firmware_protocol.spec import COUNTS_FULL_SCALE, STANDARD_GRAVITY, acc_lsb_ms2, gyr_lsb_rads

FloatArray = npt.NDArray[np.float64]

GYRO_BIAS_RW_DPS_SQRT_S = 0.003
"""Gyro bias random walk, deg/s per sqrt(s)."""


@dataclass(frozen=True)
class SensorErrors:
    """Error parameters of one simulated sensor unit.

    Attributes:
        gyr_noise_dps_sqrt_hz: gyro white-noise density, deg/s/sqrt(Hz).
        acc_noise_ug_sqrt_hz: accelerometer white-noise density, micro-g/sqrt(Hz).
        gyr_bias_rad_s: shape (3,), initial gyro bias, rad/s.
        acc_bias_ms2: shape (3,), accelerometer bias, m/s^2.
        gyr_scale: shape (3,), gyro gain per axis (1 = exact).
        acc_scale: shape (3,), accelerometer gain per axis.

    """

    gyr_noise_dps_sqrt_hz: float
    acc_noise_ug_sqrt_hz: float
    gyr_bias_rad_s: FloatArray
    acc_bias_ms2: FloatArray
    gyr_scale: FloatArray
    acc_scale: FloatArray

    @classmethod
    def draw(cls, rng: np.random.Generator) -> SensorErrors:
        """Draw a sensor unit's errors from the ranges in the module table."""

        def signed(lo: float, hi: float) -> FloatArray:
            return rng.uniform(lo, hi, 3) * rng.choice([-1.0, 1.0], 3)

        return cls(
            gyr_noise_dps_sqrt_hz=float(rng.uniform(0.004, 0.01)),
            acc_noise_ug_sqrt_hz=float(rng.uniform(100.0, 200.0)),
            gyr_bias_rad_s=np.radians(signed(0.5, 2.0)),
            acc_bias_ms2=rng.uniform(-0.1, 0.1, 3),
            gyr_scale=1.0 + signed(0.01, 0.02),
            acc_scale=1.0 + signed(0.01, 0.02),
        )


def antialias_and_sample(x_fine: FloatArray, fine_rate_hz: float, decimation: int) -> FloatArray:
    """Low-pass (zero-phase) a fine-grid signal and keep every ``decimation``-th sample.

    Args:
        x_fine: shape (n_fine, 3).
        fine_rate_hz: rate of the fine grid, Hz.
        decimation: fine samples per output sample (output rate = fine rate / decimation).

    Returns:
        shape (ceil(n_fine / decimation), 3).

    """
    out_rate = fine_rate_hz / decimation
    if decimation > 1 and len(x_fine) > 30:
        sos = butter(4, 0.4 * out_rate, fs=fine_rate_hz, output="sos")
        x_fine = sosfiltfilt(sos, x_fine, axis=0)
    return np.ascontiguousarray(x_fine[::decimation])


def add_errors(
    acc: FloatArray,
    gyr: FloatArray,
    errors: SensorErrors,
    rate_hz: float,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """Apply scale errors, biases (gyro with random walk) and white noise.

    Args:
        acc: shape (n, 3), m/s^2.
        gyr: shape (n, 3), rad/s.
        errors: the unit's error parameters.
        rate_hz: sample rate, Hz.
        rng: random generator.

    Returns:
        ``(acc, gyr)`` with errors, same shapes and units.

    """
    n = len(acc)
    dt = 1.0 / rate_hz
    walk_std = math.radians(GYRO_BIAS_RW_DPS_SQRT_S) * math.sqrt(dt)
    gyr_bias = errors.gyr_bias_rad_s + np.cumsum(rng.normal(0.0, walk_std, (n, 3)), axis=0)
    gyr_std = math.radians(errors.gyr_noise_dps_sqrt_hz) * math.sqrt(rate_hz / 2.0)
    acc_std = errors.acc_noise_ug_sqrt_hz * 1e-6 * STANDARD_GRAVITY * math.sqrt(rate_hz / 2.0)
    gyr_out = gyr * errors.gyr_scale + gyr_bias + rng.normal(0.0, gyr_std, (n, 3))
    acc_out = acc * errors.acc_scale + errors.acc_bias_ms2 + rng.normal(0.0, acc_std, (n, 3))
    return acc_out, gyr_out


def quantize(x: FloatArray, lsb: float) -> FloatArray:
    """Round to int16 counts of size ``lsb`` and saturate at -32768/+32767 counts; SI out."""
    counts = np.clip(np.round(x / lsb), -COUNTS_FULL_SCALE, COUNTS_FULL_SCALE - 1)
    return counts * lsb


def quantize_imu(
    acc: FloatArray, gyr: FloatArray, acc_range_g: float, gyr_range_dps: float
) -> tuple[FloatArray, FloatArray]:
    """Quantise both sensors at their full-scale ranges (see :func:`quantize`)."""
    return quantize(acc, acc_lsb_ms2(acc_range_g)), quantize(gyr, gyr_lsb_rads(gyr_range_dps))


def lose_frames(
    n_samples: int, samples_per_frame: int, loss_probability: float, rng: np.random.Generator
) -> npt.NDArray[np.bool_]:
    """Which frames were lost; shape (ceil(n_samples / samples_per_frame),), True = lost.

    Frames are lost independently with ``loss_probability``.
    """
    n_frames = -(-n_samples // samples_per_frame)
    if loss_probability <= 0:
        return np.zeros(n_frames, dtype=bool)
    return rng.random(n_frames) < loss_probability


def frame_host_times(
    n_samples: int,
    samples_per_frame: int,
    rate_hz: float,
    lost: npt.NDArray[np.bool_],
    latency_s: float,
    jitter_s: float,
    drift_ppm: float,
    rng: np.random.Generator,
) -> FloatArray:
    """Host receive time of each frame, s from the device's first sample.

    A frame is sent when its last sample is taken; it arrives ``latency_s`` later plus an
    exponentially distributed delay of mean ``jitter_s`` (BLE connection-event waits), never
    before the previous frame (notifications arrive in order). The device clock runs
    ``drift_ppm`` fast relative to the host.

    Returns:
        shape (n_frames,), host seconds; NaN for lost frames.

    """
    n_frames = len(lost)
    last = np.minimum((np.arange(n_frames) + 1) * samples_per_frame, n_samples) - 1
    device_s = last / rate_hz
    host = latency_s + device_s * (1.0 + drift_ppm * 1e-6)
    if jitter_s > 0:
        host = host + rng.exponential(jitter_s, n_frames)
    host = np.maximum.accumulate(host)
    host[lost] = np.nan
    return host
