"""A phyphox measurement paused between sets is a pause from the import on, not a lost sensor.

Trial: the import placed the samples after a 4-minute pause right (a gap of the pause's
length) and said so, but the gap's reason was a lost stream's ("no accelerometer samples for
more than 0.25 s"), so every report called it "the sensor was lost". The gap now has the
reason ``paused in phyphox`` (:attr:`imu.io.recording.Gap.paused`), kept by the Parquet file,
``imu convert`` and a cut; a real loss in the same export keeps its own reason.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.io.phone import import_phone
from imu.io.recording import (
    REASON_PAUSED_PHONE,
    REASON_PAUSED_PHYPHOX,
    Gap,
    Recording,
    RecordingMeta,
    cut_recording,
    pauses_s,
    read_recording,
    with_pauses,
    write_recording,
)
from tests.io.phyphox_pause import paused_export, two_sets

PAUSE_AT_S, PAUSED_S = 45.0, 240.0
"""The pause: in the rest between the sets (set 1 ends near 31 s, set 2 starts near 74 s)."""

LOST_S = (85.0, 91.0)
"""Experiment time (s) both files lack in the export with a lost sensor: set 2's third rep."""


@pytest.fixture(scope="module")
def session() -> Recording:
    return two_sets()


@pytest.fixture(scope="module")
def exports(session: Recording, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("px")
    return {
        "paused": paused_export(folder / "paused.zip", session, PAUSE_AT_S, PAUSED_S),
        "lost": paused_export(folder / "lost.zip", session, PAUSE_AT_S, PAUSED_S, LOST_S),
    }


def _long_gaps(rec: Recording) -> list[Gap]:
    return [g for g in rec.meta.gaps if g.n_samples > rec.sampling_rate_hz]


def test_the_pause_is_a_gap_whose_reason_says_paused_in_phyphox(exports: dict[str, Path]) -> None:
    rec = import_phone(exports["paused"]).recording
    fs = rec.sampling_rate_hz
    (gap,) = _long_gaps(rec)
    assert gap.reason == REASON_PAUSED_PHYPHOX and gap.paused
    assert gap.start / fs == pytest.approx(PAUSE_AT_S, abs=0.05)
    assert gap.n_samples / fs == pytest.approx(PAUSED_S, abs=0.05)
    # The samples either side of the pause are in no other gap: the pause is all of it.
    assert all(g.paused for g in rec.meta.gaps if g.end >= gap.start - 2 and g.start <= gap.end + 2)
    ((a, b, reason),) = pauses_s(rec.meta)
    assert (a, b) == pytest.approx((PAUSE_AT_S, PAUSE_AT_S + PAUSED_S), abs=0.05)
    assert reason == "paused in phyphox"


def test_a_sensor_lost_in_the_same_export_stays_lost(exports: dict[str, Path]) -> None:
    rec = import_phone(exports["lost"]).recording
    fs = rec.sampling_rate_hz
    pause, lost = _long_gaps(rec)
    assert pause.paused and not lost.paused
    assert lost.reason.startswith("no accelerometer samples")
    # Experiment time 85 s is 85 + 240 s on the recording's clock: after the pause.
    assert lost.start / fs == pytest.approx(LOST_S[0] + PAUSED_S, abs=0.05)
    assert lost.n_samples / fs == pytest.approx(LOST_S[1] - LOST_S[0], abs=0.05)
    assert len(pauses_s(rec.meta)) == 1


def test_the_pause_survives_the_parquet_file_and_imu_convert(
    exports: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    imported = import_phone(exports["lost"]).recording
    again = read_recording(write_recording(imported, tmp_path / "direct.parquet"))
    assert again.meta.gaps == imported.meta.gaps
    out = tmp_path / "converted.parquet"
    assert main(["convert", str(exports["lost"]), str(out)]) == 0
    capsys.readouterr()
    converted = read_recording(out)
    assert pauses_s(converted.meta) == pauses_s(imported.meta)
    assert [g.paused for g in _long_gaps(converted)] == [True, False]
    # A part cut from it keeps the pause, on its own clock.
    part = cut_recording(converted, round(30 * converted.sampling_rate_hz), converted.n_samples)
    ((a, b, _),) = pauses_s(part.meta)
    assert (a, b) == pytest.approx((PAUSE_AT_S - 30, PAUSE_AT_S + PAUSED_S - 30), abs=0.05)


def test_a_gap_joined_with_another_reason_is_no_pause() -> None:
    assert Gap(0, 10, REASON_PAUSED_PHYPHOX).paused
    assert Gap(0, 10, REASON_PAUSED_PHONE).paused
    assert Gap(0, 10, f"{REASON_PAUSED_PHONE}; {REASON_PAUSED_PHYPHOX}").paused
    assert not Gap(0, 10, f"{REASON_PAUSED_PHYPHOX}; missing values").paused
    assert not Gap(0, 10, "lost frames").paused


def test_with_pauses_marks_only_the_part_of_a_gap_inside_a_pause() -> None:
    """What ``imu replay`` does to the replay's gaps: the virtual sensor sent no frame during
    the original's pause, nor during its loss; only the pause becomes one again."""
    n, fs = 1000, 10.0
    acc = np.zeros((n, 3))
    meta = RecordingMeta(sampling_rate_hz=fs, gaps=(Gap(100, 400, "lost frames"),
                                                    Gap(600, 650, "lost frames")))
    rec = Recording(acc, acc.copy(), meta)
    marked = with_pauses(rec, [(20.0, 35.0, REASON_PAUSED_PHYPHOX)], slack_s=0.25)
    assert marked.meta.gaps == (
        Gap(100, 198, "lost frames"),  # 10.0-19.8 s: lost before the pause
        Gap(198, 353, REASON_PAUSED_PHYPHOX),  # 19.8-35.3 s: the pause, and its slack
        Gap(353, 400, "lost frames"),
        Gap(600, 650, "lost frames"),  # far from any pause
    )
    assert with_pauses(rec, []) is rec
