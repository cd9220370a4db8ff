"""Ground truth: tempo, sign convention, and what every fault does to the movement."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from firmware_protocol.spec import acc_lsb_ms2, gyr_lsb_rads
from imu.errors import SimulationError
from imu.frames import STANDARD_GRAVITY
from imu.sim import TRUTH_COLUMNS, SessionSpec, SimulatedSession, simulate_session
from imu.tempo import parse_tempo
from tests.sim.helpers import ideal_spec, pelvis_acc, pelvis_gyr


def _window(s: SimulatedSession, t0: float, t1: float) -> slice:
    rate = s.recording.sampling_rate_hz
    return slice(round(t0 * rate), round(t1 * rate) + 1)


def test_truth_columns_and_basic_consistency(crunch_faults: SimulatedSession) -> None:
    t = crunch_faults.truth
    assert tuple(t.columns) == TRUTH_COLUMNS
    assert len(t) == 24
    assert list(t["rep"].iloc[:12]) == list(range(1, 13))
    assert (t["con_start_s"] < t["con_end_s"]).all()
    assert (t["con_end_s"] <= t["ecc_start_s"]).all()
    assert (t["ecc_start_s"] < t["ecc_end_s"]).all()
    np.testing.assert_allclose(t["tut_s"], t["ecc_end_s"] - t["con_start_s"])
    last = t.groupby("set").tail(1)
    assert last["bottom_pause_s"].isna().all()
    assert (t.drop(last.index)["bottom_pause_s"] > 0).all()


@pytest.mark.parametrize("tempo_text", ["3-1-3", "1.5-0-4-1"])
def test_phase_durations_match_the_prescribed_tempo(tempo_text: str) -> None:
    tempo = parse_tempo(tempo_text)
    s = simulate_session(ideal_spec("reverse-crunch", tempo=tempo, reps=10, seed=5))
    t = s.truth
    for col, want in (("concentric_s", tempo.concentric_s), ("eccentric_s", tempo.eccentric_s)):
        assert t[col].between(0.83 * want, 1.17 * want).all(), t[col]
        assert abs(t[col].mean() - want) < 0.07 * want
    if tempo.top_hold_s > 0:
        assert t["top_hold_s"].between(0.8 * tempo.top_hold_s, 1.2 * tempo.top_hold_s).all()
        assert abs(t["top_hold_s"].mean() - tempo.top_hold_s) < 0.08 * tempo.top_hold_s
    else:
        assert t["top_hold_s"].abs().max() < 0.25  # two movements flowing into each other
    if tempo.bottom_pause_s:
        pauses = t["bottom_pause_s"].dropna()
        assert abs(pauses.mean() - tempo.bottom_pause_s) < 0.15 * tempo.bottom_pause_s


def test_reverse_crunch_concentric_is_posterior_tilt_and_positive_about_z(
    crunch_still: SimulatedSession,
) -> None:
    s = crunch_still
    w_z = pelvis_gyr(s)[:, 2]
    tilt = s.pelvis_angles_rad[:, 0]
    acc = pelvis_acc(s)
    for _, rep in s.truth.iterrows():
        con = _window(s, rep["con_start_s"], rep["con_end_s"])
        ecc = _window(s, rep["ecc_start_s"], rep["ecc_end_s"])
        assert w_z[con].min() > 0 > w_z[ecc].max()
        top = round((rep["con_end_s"] + rep["ecc_start_s"]) / 2 * s.recording.sampling_rate_hz)
        assert math.degrees(tilt[top]) > 20  # posterior tilt is positive
        # supine: up is +x; posterior tilt tips the superior axis down, so gravity reads -y
        up = acc[top] / STANDARD_GRAVITY
        assert up[0] > 0.3 and up[1] < -0.3
        np.testing.assert_allclose(math.atan2(-up[1], up[0]), tilt[top], atol=1e-3)
    rest = acc[: int(2 * s.recording.sampling_rate_hz)] / STANDARD_GRAVITY
    np.testing.assert_allclose(rest, np.tile([1.0, 0.0, 0.0], (len(rest), 1)), atol=1e-6)


def test_reverse_hip_raise_concentric_is_anterior_tilt() -> None:
    s = simulate_session(ideal_spec("reverse-hip-raise", reps=3))
    w_z = pelvis_gyr(s)[:, 2]
    for _, rep in s.truth.iterrows():
        assert w_z[_window(s, rep["con_start_s"], rep["con_end_s"])].max() < 0
    assert np.degrees(s.pelvis_angles_rad[:, 0]).min() < -12
    rest = pelvis_acc(s)[: int(2 * s.recording.sampling_rate_hz)] / STANDARD_GRAVITY
    np.testing.assert_allclose(rest.mean(axis=0), [-1.0, 0.0, 0.0], atol=0.01)  # prone


def test_quantisation_and_saturation_at_the_range() -> None:
    s = simulate_session(ideal_spec("reverse-crunch", reps=4, noise=False, quantize=True,
                                    gyr_range_dps=125, acc_range_g=2, faults={"swing": 1.0},
                                    tempo=parse_tempo("1-1-1"), mounting=Rotation.identity()))
    g_lsb, a_lsb = gyr_lsb_rads(125), acc_lsb_ms2(2)
    gyr_counts, acc_counts = s.recording.gyr / g_lsb, s.recording.acc / a_lsb
    np.testing.assert_allclose(gyr_counts, np.round(gyr_counts), atol=1e-6)
    np.testing.assert_allclose(acc_counts, np.round(acc_counts), atol=1e-6)
    assert np.abs(s.gyr_ideal).max() > math.radians(125)  # the swing exceeds the range
    assert gyr_counts.max() <= 32767 + 1e-6 and gyr_counts.min() >= -32768 - 1e-6
    assert np.isclose(gyr_counts[:, 2].max(), 32767)  # saturated, clipped at int16
    normal = simulate_session(ideal_spec("reverse-crunch", reps=4, noise=True, quantize=True))
    assert np.abs(normal.gyr_ideal).max() < math.radians(500) * 0.5  # 500 dps never saturates


def test_sensor_errors_are_in_the_recording_only_when_noise_is_on() -> None:
    noisy = simulate_session(ideal_spec("pelvic-tilt", reps=2, noise=True, quantize=True,
                                        sampling_rate_hz=104))
    rest = slice(0, 200)
    err = noisy.recording.gyr[rest] - noisy.gyr_ideal[rest]
    bias_dps = np.degrees(np.abs(err.mean(axis=0)))
    assert ((bias_dps > 0.3) & (bias_dps < 2.5)).all()
    acc_noise_ug = noisy.recording.acc[rest].std(axis=0) / STANDARD_GRAVITY * 1e6
    assert (acc_noise_ug < 3000).all()


def test_packet_loss_makes_listed_nan_gaps_and_host_times() -> None:
    s = simulate_session(ideal_spec("leg-raise", reps=3, packet_loss=0.05, samples_per_frame=8,
                                    jitter_s=0.01, sampling_rate_hz=104))
    rec = s.recording
    gaps = rec.meta.gaps
    assert gaps and all(g.reason == "packet loss" for g in gaps)
    nan_rows = np.isnan(rec.acc).any(axis=1)
    listed = np.zeros(rec.n_samples, dtype=bool)
    for g in gaps:
        listed[g.start:g.end] = True
        assert g.start % 8 == 0
    np.testing.assert_array_equal(nan_rows, listed)
    np.testing.assert_array_equal(nan_rows, np.isnan(rec.gyr).any(axis=1))
    host = s.frame_host_times_s
    assert len(host) == -(-rec.n_samples // 8)
    lost_frames = nan_rows[::8]
    np.testing.assert_array_equal(np.isnan(host), lost_frames)
    received = host[~lost_frames]
    assert (np.diff(received) >= 0).all()
    last_sample = np.minimum(np.flatnonzero(~lost_frames) * 8 + 7, rec.n_samples - 1)
    device_end = last_sample / rec.sampling_rate_hz
    assert ((received - device_end) >= 0.03 - 1e-9).all()  # latency + jitter


def test_metadata_and_annotations(crunch_faults: SimulatedSession) -> None:
    meta = crunch_faults.recording.meta
    assert meta.source == "simulator" and meta.participant == "sim-11"
    assert meta.exercise == "reverse-crunch" and meta.tempo == "2-1-2"
    assert {"seed", "mounting_quat_xyzw", "lever_arm_m", "fault_rates"} <= set(meta.notes)
    assert [a.label for a in meta.annotations] == ["set 1", "set 2"]
    first = crunch_faults.truth[crunch_faults.truth["set"] == 1]
    assert meta.annotations[0].start_s == pytest.approx(first["con_start_s"].min())
    assert meta.annotations[0].end_s == pytest.approx(first["ecc_end_s"].max())


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"exercise": "crunchies"}, "unknown exercise"),
        ({"sampling_rate_hz": 100}, "26, 52, 104"),
        ({"faults": {"hips_sagging": 0.2}}, "does not apply"),
        ({"faults": {"wobble": 0.2}}, "unknown fault"),
        ({"faults": {"swing": 1.5}}, "probability"),
        ({"gyr_range_dps": 300}, "gyroscope range"),
        ({"tempo": parse_tempo("2-0-2"), "faults": {"short_hold": 0.3}}, "top hold"),
        ({"seed": -1}, "seed -1"),
        ({"body_pendulum": True}, "needs a hanging exercise"),
        ({"reps": 100_000}, "at most 4 h"),
        ({"exercise": "plank", "hold_s": 100_000.0}, "3 sets of 1 hold would"),
    ],
)
def test_bad_specs_are_rejected(kw: dict[str, object], match: str) -> None:
    base: dict[str, object] = {"exercise": "reverse-crunch"}
    base.update(kw)
    with pytest.raises(SimulationError, match=match):
        simulate_session(SessionSpec(**base))  # type: ignore[arg-type]
