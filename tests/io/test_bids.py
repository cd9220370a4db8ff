"""Motion-BIDS export: names, required sidecar fields and columns (BIDS schema), events."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.io.bids import BidsError, bids_label
from imu.io.recording import read_recording

REPO = Path(__file__).resolve().parents[2]
RECORDING = REPO / "recordings" / "reverse_crunch.parquet"

# From the BIDS schema: rules/sidecars/motion.yaml (required), rules/tabular_data/motion.yaml,
# rules/files/raw/motion.yaml (entities), rules/checks/motion.yaml (TRACKSYS_MISMATCH).
REQUIRED_SIDECAR = ("TaskName", "SamplingFrequency", "TrackingSystemName")
RECOMMENDED_SIDECAR = ("MotionChannelCount", "ACCELChannelCount", "GYROChannelCount",
                       "TrackedPointsCount", "MissingValues", "SamplingFrequencyEffective")
CHANNELS_INITIAL = ["name", "component", "type", "tracked_point", "units"]
MOTION_NAME = re.compile(
    r"^sub-([A-Za-z0-9]+)_ses-([A-Za-z0-9]+)_task-([A-Za-z0-9]+)_tracksys-([A-Za-z0-9]+)"
    r"_(motion\.tsv|motion\.json|channels\.tsv)$"
)


@pytest.fixture(scope="module")
def bids_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bids")
    assert main(["export-bids", str(RECORDING), "--out", str(root), "--task", "core-study"]) == 0
    return root


def test_layout_and_names(bids_root: Path) -> None:
    folders = list(bids_root.glob("sub-*/ses-*/motion"))
    assert len(folders) == 1
    folder = folders[0]
    assert folder.parts[-3] == "sub-sim109"  # participant "sim-109", letters and digits kept
    names = sorted(p.name for p in folder.iterdir())
    motion = [n for n in names if "tracksys" in n]
    assert len(motion) == 3
    for n in motion:
        m = MOTION_NAME.match(n)
        assert m, n
        assert m.group(1) == "sim109" and m.group(3) == "corestudy" and m.group(4) == "hipIMU"
    assert any(n.endswith("_task-corestudy_events.tsv") for n in names)
    assert (bids_root / "dataset_description.json").exists()


def test_sidecar_required_fields(bids_root: Path) -> None:
    sidecar = json.loads(next(bids_root.rglob("*_motion.json")).read_text())
    for key in (*REQUIRED_SIDECAR, *RECOMMENDED_SIDECAR, "RecordingDuration"):
        assert key in sidecar, key
    assert sidecar["TaskName"] == "core-study"
    assert sidecar["SamplingFrequency"] == 52.0
    name = next(bids_root.rglob("*_motion.json")).name
    assert f"_tracksys-{sidecar['TrackingSystemName']}_" in name  # TRACKSYS_MISMATCH check
    assert sidecar["MotionChannelCount"] == 6
    assert sidecar["ACCELChannelCount"] == 3 and sidecar["GYROChannelCount"] == 3
    recording = read_recording(RECORDING)
    assert sidecar["RecordingDuration"] == pytest.approx(recording.duration_s)


def test_channels_and_samples(bids_root: Path) -> None:
    channels = pd.read_csv(next(bids_root.rglob("*_channels.tsv")), sep="\t")
    assert list(channels.columns[:5]) == CHANNELS_INITIAL
    assert list(channels["type"]) == ["ACCEL"] * 3 + ["GYRO"] * 3
    assert list(channels["component"]) == ["x", "y", "z"] * 2
    assert list(channels["units"]) == ["m/s^2"] * 3 + ["rad/s"] * 3
    assert (channels["sampling_frequency"] == 52).all()
    path = next(bids_root.rglob("*_motion.tsv"))
    first = path.read_text().splitlines()[0].split("\t")
    assert len(first) == 6 and all(_is_number(v) for v in first)  # no header
    samples = pd.read_csv(path, sep="\t", header=None, na_values="n/a").to_numpy()
    recording = read_recording(RECORDING)
    expected = np.hstack([recording.acc, recording.gyr])
    assert samples.shape == expected.shape
    assert np.array_equal(np.isnan(samples), np.isnan(expected))  # lost samples are n/a
    assert np.allclose(samples, expected, rtol=1e-5, atol=1e-6, equal_nan=True)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_events_reps_and_phases(bids_root: Path) -> None:
    events = pd.read_csv(next(bids_root.rglob("*_events.tsv")), sep="\t")
    assert list(events.columns[:3]) == ["onset", "duration", "trial_type"]
    assert events["onset"].is_monotonic_increasing
    assert (events["duration"] >= 0).all()
    counts = events["trial_type"].value_counts()
    assert counts["rep"] == counts["concentric"] == counts["eccentric"] == counts["top_hold"]
    assert counts["rep"] == 12  # bundled: 2 sets x 6 reps
    assert counts["bottom_pause"] == counts["rep"] - events.query("trial_type == 'rep'")[
        "set"].nunique()
    description = json.loads((bids_root / "dataset_description.json").read_text())
    assert {"Name", "BIDSVersion"} <= set(description)
    participants = pd.read_csv(bids_root / "participants.tsv", sep="\t")
    assert participants.columns[0] == "participant_id"
    assert list(participants["participant_id"]) == ["sub-sim109"]


def test_bad_label() -> None:
    assert bids_label("P-01_a") == "P01a"
    with pytest.raises(BidsError, match="alphanumeric"):
        bids_label("--", "subject")


def test_two_recordings_with_one_name_are_not_exported_over_each_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Trial 22: two different sessions of one participant simulated with the same --date got
    one BIDS name; the second replaced the first, and both were reported exported."""
    for name, seed in (("a", "1"), ("b", "2")):
        assert main(["simulate", "reverse-crunch", "--reps", "2", "--sets", "1", "--seed", seed,
                     "--participant", "ana", "--date", "2026-11-04",
                     "--out", str(tmp_path / f"{name}.parquet")]) == 0
    capsys.readouterr()
    root = tmp_path / "root"
    assert main(["export-bids", str(tmp_path / "a.parquet"), str(tmp_path / "b.parquet"),
                 "--out", str(root)]) == 1
    text = " ".join(capsys.readouterr().out.split())
    assert (f"b.parquet: skipped: the same participant, start time and task as "
            f"{tmp_path / 'a.parquet'}, exported in this run as sub-ana_ses-20261104T000000_"
            "task-reversecrunch_tracksys-hipIMU: one would replace the other") in text, text
    motion = root / "sub-ana" / "ses-20261104T000000" / "motion"
    samples = next(motion.glob("*_motion.tsv"))
    a = read_recording(tmp_path / "a.parquet")
    assert len(pd.read_csv(samples, sep="\t", header=None)) == a.n_samples  # a's, not b's
