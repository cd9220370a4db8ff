"""Each analyzer step on its own: quantities, labels, stillness with gaps, hold ends."""

import dataclasses
import math

import numpy as np
import pytest

from imu.core.holds import HoldEnds
from imu.core.labels import RepLabeller
from imu.core.metrics import RepQuantities, windup_of
from imu.core.stillness import StillnessBias
from imu.exercises import get_profile

CRUNCH = get_profile("reverse-crunch")


def quantities(**changes: object) -> RepQuantities:
    base = RepQuantities(
        set=1, rep=1, side="", con_start_s=1.0, con_end_s=3.0, ecc_start_s=4.0, ecc_end_s=6.0,
        rom_deg=40.0, peak_concentric_dps=40.0, mean_concentric_dps=20.0,
        peak_eccentric_dps=40.0, mean_eccentric_dps=20.0, peak_time_fraction=0.5,
        concentric_ratio=1.0, windup_deg=0.0, overshoot_deg=0.0, eccentric_ratio=1.0,
        top_hold_ratio=1.0, arch_deg=0.0, rotation_deg=0.0, body_swing_deg=0.0,
        drift_deg=math.nan, shaking_dps=math.nan, noise_deg=0.2, tempo_ok=True, in_gap=False,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_windup_is_the_largest_drop_ending_in_the_window():
    fs = 100
    angle = np.zeros(200)
    angle[120:170] = -np.linspace(0, 4.0, 50)  # 4 deg down, ending 0.3 s before the onset
    angle[170:] = -4.0
    size, start = windup_of(angle, 199, round(0.5 * fs))
    assert size == pytest.approx(4.0)
    assert start < 121
    assert windup_of(np.linspace(0, 5, 200), 199, 50)[0] == 0.0  # only rising: no wind-up


@pytest.mark.parametrize(
    ("field", "below", "above", "label", "label_when_below"),
    [
        ("peak_time_fraction", 0.34, 0.36, None, None),
        ("eccentric_ratio", 0.49, 0.51, "dropped_eccentric", True),
        ("top_hold_ratio", 0.49, 0.51, "short_hold", True),
    ],
)
def test_each_label_flips_at_its_threshold(field, below, above, label, label_when_below):
    for value, expect in ((below, label_when_below), (above, not label_when_below)):
        rep = RepLabeller(CRUNCH)(quantities(**{field: value}))
        if label is not None:
            assert (label in rep.faults) is expect, (field, value)


def test_swing_needs_two_of_three_features():
    lab = RepLabeller(CRUNCH)
    one = lab(quantities(peak_time_fraction=0.2))
    two = lab(quantities(peak_time_fraction=0.2, concentric_ratio=0.45))
    three = lab(quantities(peak_time_fraction=0.2, concentric_ratio=0.45, windup_deg=3.0))
    wind_only = lab(quantities(windup_deg=2.9, concentric_ratio=0.45))
    assert (one.swing_features, one.swing) == (1, False)
    assert (two.swing_features, two.swing) == (2, True)
    assert (three.swing_features, three.swing) == (3, True)
    assert (wind_only.swing_features, wind_only.swing) == (1, False)
    assert not RepLabeller(get_profile("dead-bug"))(
        quantities(peak_time_fraction=0.2, concentric_ratio=0.45)
    ).swing  # swing is not judged for dead bugs


def test_rom_reference_is_causal_and_skips_partial_reps():
    lab = RepLabeller(CRUNCH)
    first = lab(quantities(rom_deg=10.0))
    assert math.isnan(first.rom_ratio) and "partial_rom" not in first.faults
    assert lab(quantities(rom_deg=40.0)).rom_ratio == pytest.approx(4.0)  # vs the first
    ref = float(np.median([10.0, 40.0]))
    partial = lab(quantities(rom_deg=0.59 * ref))
    assert "partial_rom" in partial.faults
    # The partial rep does not enter the reference.
    assert lab(quantities(rom_deg=ref)).rom_ratio == pytest.approx(1.0)


def test_over_extension_and_fault_applicability():
    hip = get_profile("reverse-hip-raise")
    lab = RepLabeller(hip)
    lab(quantities(rom_deg=20.0))
    assert "over_extension" in lab(quantities(rom_deg=26.1)).faults
    assert "over_extension" not in lab(quantities(rom_deg=25.9)).faults
    crunch = RepLabeller(CRUNCH)
    crunch(quantities(rom_deg=20.0))
    assert "over_extension" not in crunch(quantities(rom_deg=40.0)).faults  # not a crunch fault


def test_degree_labels_flip_above_five():
    leg = RepLabeller(get_profile("leg-raise"))
    assert "back_arch" in leg(quantities(arch_deg=5.1)).faults
    assert "back_arch" not in leg(quantities(arch_deg=4.9)).faults
    bug = RepLabeller(get_profile("dead-bug"))
    assert "hips_rotating" in bug(quantities(rotation_deg=5.1)).faults
    hang = RepLabeller(get_profile("hanging-leg-raise"))
    assert "body_swing" in hang(quantities(body_swing_deg=5.1)).faults
    assert "body_swing" not in hang(quantities(body_swing_deg=4.9)).faults
    plank = RepLabeller(get_profile("plank"))
    assert plank(quantities(drift_deg=-5.1, shaking_dps=1.0)).faults == {"hips_sagging"}
    assert plank(quantities(drift_deg=5.1, shaking_dps=6.1)).faults == {"hips_piking", "shaking"}


def test_count_confidence_grows_with_the_margin_over_noise_and_smallest_rep():
    lab = RepLabeller(get_profile("leg-raise"))
    small = lab(quantities(rom_deg=1.8, peak_concentric_dps=1.0, noise_deg=0.6))
    clear = lab(quantities(rom_deg=8.0, peak_concentric_dps=5.0, noise_deg=0.3))
    assert small.count_confidence < 0.5 <= clear.count_confidence


def test_a_gap_is_never_still_and_never_sets_the_bias():
    fs = 50
    step = StillnessBias(fs, 10 * fs, (math.radians(0.6), math.radians(4.0)), (0.06, 0.5))
    bias = np.array([0.01, -0.02, 0.005])
    gyro = np.tile(bias, (6 * fs, 1))
    acc = np.tile([0.0, 0.0, 9.81], (6 * fs, 1))
    gap = np.zeros(6 * fs, dtype=bool)
    gap[fs : 4 * fs] = True
    gyro[gap] = 0.0  # what a long gap holds
    assert step(np.empty((0, 3)), np.empty((0, 3)), np.empty(0, dtype=bool)).bias.shape == (0, 3)
    out = step(gyro, acc, gap)
    assert not out.still[fs : 5 * fs - 1].any()
    assert out.still[-1]
    np.testing.assert_allclose(out.omega[-1], 0.0, atol=1e-9)


def test_breathing_that_passes_for_stillness_averages_out_of_the_bias():
    # A breath turns the pelvis at 0.35 deg/s (0.25 Hz): slow enough that every 1 s window
    # is "still". One window's mean keeps up to 0.3 deg/s of it; the average over several
    # seconds of stillness must not, and must not depend on the chunking.
    fs = 50
    t = np.arange(40 * fs) / fs
    bias = np.radians([0.8, -1.5, 0.4])
    breath = np.radians(0.35) * np.sin(2 * np.pi * 0.25 * t)
    gyro = bias + breath[:, None] * np.array([0.6, 0.8, 0.0])
    acc = np.tile([0.0, 0.0, 9.81], (len(t), 1))
    gap = np.zeros(len(t), dtype=bool)

    def run(average: int, chunk: int = 7) -> tuple[np.ndarray, np.ndarray]:
        step = StillnessBias(
            fs, 10 * fs, (math.radians(0.6), math.radians(4.0)), (0.06, 0.5), average, True
        )
        parts = [step(gyro[i : i + chunk], acc[i : i + chunk], gap[i : i + chunk])
                 for i in range(0, len(t), chunk)]
        assert np.concatenate([p.still for p in parts])[20 * fs :].all()
        return np.concatenate([p.bias for p in parts]), np.concatenate([p.latest for p in parts])

    def worst_error(estimate: np.ndarray) -> float:
        return float(np.degrees(np.abs(estimate[20 * fs :] - bias).max()))

    averaged, latest = run(8 * fs)
    single = run(1)[0]
    assert worst_error(averaged) < 0.06
    assert worst_error(single) > 0.15  # the latest window alone: the breath is in the bias
    # The latest window's mean stays available (the phase cues' "still now?" wants it).
    np.testing.assert_array_equal(latest, single)
    whole, whole_latest = run(8 * fs, chunk=len(t))
    np.testing.assert_array_equal(whole, averaged)
    np.testing.assert_array_equal(whole_latest, latest)


def test_hold_ends_report_a_rest_after_getting_down():
    fs = 50
    ends = HoldEnds(fs, 3 * fs, 0.3)
    n = 10 * fs
    still = np.zeros(n, dtype=bool)
    acc_range = np.zeros(n)
    acc_range[2 * fs : 3 * fs] = 1.0  # getting down
    still[4 * fs :] = True  # then rest (the still flag covers the window before it)
    ends.push(still, acc_range)
    events = ends.release()
    assert len(events) == 1
    # The get-down starts where the burst shows; the rest where its still window starts.
    assert (events[0].run_start, events[0].run_end) == (2 * fs, 3 * fs + 1)
    assert ends.horizon == n - fs - 3 * fs
    assert ends.release() == []
