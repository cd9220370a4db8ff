"""imu export-bids never merges participants, and says when it changes a label.

A new user's trial: participants ``P-1`` and ``P_1`` both became ``sub-P1/`` (and
participants.tsv listed only ``P-1``), and ``P/2 ü`` became ``sub-P2`` without a word.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from imu.cli import main
from imu.io.bids import BidsError, BidsNames, bids_label, check_subject, export_recording
from imu.io.recording import Recording, read_recording, write_recording

REPO = Path(__file__).resolve().parents[2]
RECORDING = REPO / "recordings" / "reverse_crunch.parquet"


@pytest.fixture(scope="module")
def bundled() -> Recording:
    return read_recording(RECORDING)


def _write(bundled: Recording, folder: Path, **participants: str) -> dict[str, Path]:
    """One recording per participant (file stem -> label), distinct starts."""
    return {
        stem: write_recording(
            bundled.with_meta(participant=label, start_time_s=1.7e9 + 60 * i),
            folder / f"{stem}.parquet",
        )
        for i, (stem, label) in enumerate(participants.items())
    }


def test_two_labels_that_become_one_subject_are_refused(
    bundled: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _write(bundled, tmp_path / "in", a="P-1", b="P_1", c="P2")
    out = tmp_path / "bids"
    code = main(["export-bids", str(tmp_path / "in"), "--out", str(out), "--no-events"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert (f"participants 'P-1' ({files['a']}) and 'P_1' ({files['b']}) would both be BIDS "
            "subject sub-P1") in err
    assert "--subject P1b" in err
    assert not out.exists()  # refused before anything was written


def test_a_label_that_clashes_with_an_earlier_export_is_refused(
    bundled: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _write(bundled, tmp_path / "in", a="P-1", b="P_1")
    out = tmp_path / "bids"
    assert main(["export-bids", str(files["a"]), "--out", str(out), "--no-events"]) == 0
    capsys.readouterr()
    code = main(["export-bids", str(files["b"]), "--out", str(out), "--no-events"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert (f"participant 'P_1' ({files['b']}) would be BIDS subject sub-P1, which "
            f"{out / 'participants.tsv'} already has for participant 'P-1'") in err
    participants = pd.read_csv(out / "participants.tsv", sep="\t", dtype=str)
    assert participants.to_dict("list") == {"participant_id": ["sub-P1"],
                                            "source_participant": ["P-1"]}
    # the way out the message gives: a label of one's own
    assert main(["export-bids", str(files["b"]), "--out", str(out), "--no-events",
                 "--subject", "P1b"]) == 0
    assert (out / "sub-P1b").is_dir()
    # participants.tsv keeps the recording's own label under the subject --subject named
    participants = pd.read_csv(out / "participants.tsv", sep="\t", dtype=str)
    assert participants.to_dict("list") == {"participant_id": ["sub-P1", "sub-P1b"],
                                            "source_participant": ["P-1", "P_1"]}
    # and another session of that person goes to the same subject
    again = write_recording(bundled.with_meta(participant="P_1", start_time_s=1.8e9),
                            tmp_path / "in" / "b2.parquet")
    assert main(["export-bids", str(again), "--out", str(out), "--no-events",
                 "--subject", "P1b"]) == 0


def test_a_changed_label_is_said_and_the_original_kept(
    bundled: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _write(bundled, tmp_path / "in", a="P/2 ü", b="P01")
    out = tmp_path / "bids"
    assert main(["export-bids", *map(str, files.values()), "--out", str(out), "--no-events",
                 "--task", "core-study"]) == 0
    err = capsys.readouterr().err
    assert ("imu export-bids: note: participant 'P/2 ü' is BIDS subject sub-P2u (labels are "
            "letters and digits only; participants.tsv keeps 'P/2 ü')") in err
    assert "'P01'" not in err  # a valid label is not mentioned
    assert err.count("task 'core-study' is BIDS task-corestudy") == 1  # once, not per file
    assert sorted(p.name for p in out.glob("sub-*")) == ["sub-P01", "sub-P2u"]
    participants = pd.read_csv(out / "participants.tsv", sep="\t", dtype=str)
    assert dict(zip(participants["participant_id"], participants["source_participant"],
                    strict=True)) == {"sub-P01": "P01", "sub-P2u": "P/2 ü"}


def test_accents_are_taken_off_not_dropped() -> None:
    assert bids_label("Müller") == "Muller"
    assert bids_label("P/2 ü") == "P2u"
    assert bids_label("José-7") == "Jose7"
    with pytest.raises(BidsError, match=r"subject '∆' has no letters or digits"):
        bids_label("∆", "subject")


def test_export_recording_refuses_another_participant_as_the_same_subject(
    bundled: Recording, tmp_path: Path
) -> None:
    names = BidsNames(subject="P1", session="1", task="rc", task_name="rc")
    export_recording(bundled.with_meta(participant="P-1"), tmp_path, names)
    check_subject(tmp_path, "P1", "P-1")  # the same participant again: fine
    other = BidsNames(subject="P1", session="2", task="rc", task_name="rc")
    with pytest.raises(BidsError, match=r"participants 'P-1' .* and 'P_1' would both be BIDS "
                                        r"subject sub-P1"):
        export_recording(bundled.with_meta(participant="P_1"), tmp_path, other)
    assert not (tmp_path / "sub-P1" / "ses-2").exists()


def test_subject_for_several_participants_is_refused_and_the_help_example_works(
    bundled: Recording, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--subject once merged every participant of a folder into one subject silently."""
    _write(bundled, tmp_path / "in", a="P01", b="P02")
    out = tmp_path / "bids"
    assert main(["export-bids", str(tmp_path / "in"), "--out", str(out), "--no-events",
                 "--subject", "S01"]) == 2
    err = capsys.readouterr().err
    assert "--subject S01 names one subject, but the inputs hold 2 participants" in err
    assert not out.exists()
    one = _write(bundled, tmp_path / "P01", a="P01", b="P01")
    assert main(["export-bids", str(one["a"].parent), "--out", str(out), "--no-events",
                 "--subject", "S01", "--task", "corestudy"]) == 0
    participants = pd.read_csv(out / "participants.tsv", sep="\t", dtype=str)
    assert participants.to_dict("list") == {"participant_id": ["sub-S01"],
                                            "source_participant": ["P01"]}


def test_a_csv_input_is_imported_once(
    bundled: Recording, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import imu.cli.export_bids as cli

    frame = pd.DataFrame({"time_s": bundled.time_s, "acc_x": bundled.acc[:, 0],
                          "acc_y": bundled.acc[:, 1], "acc_z": bundled.acc[:, 2],
                          "gyr_x": bundled.gyr[:, 0], "gyr_y": bundled.gyr[:, 1],
                          "gyr_z": bundled.gyr[:, 2]}).dropna()
    csv = tmp_path / "s.csv"
    frame.to_csv(csv, index=False)
    calls = []
    real = cli.load_recordings
    monkeypatch.setattr(cli, "load_recordings", lambda path: calls.append(path) or real(path))
    assert main(["export-bids", str(csv), "--out", str(tmp_path / "bids"), "--no-events",
                 "--subject", "S1", "--task", "crunch"]) == 0
    assert calls == [csv]
