"""``imu export-bids``: a CSV that needs import options says how to give them; an empty
``--subject`` (or ``--task``) is refused instead of silently meaning "not given"."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main
from tests.cli.helpers import one_error_line

RECORDING = Path(__file__).resolve().parents[2] / "recordings" / "reverse_crunch.parquet"


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("timestamp,ax,ay,az,gx,gy,gz\n" + "0,0,0,1,0,0,0\n" * 50, "--time-col"),
        ("time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n"
         + "".join(f"{10 * i},0,0,9.8,0,0,0\n" for i in range(3000)), "--time-unit ms"),
    ],
)
def test_a_csv_that_needs_import_options_says_export_bids_takes_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, advice: str
) -> None:
    """It advised "--time-col" or "pass --time-unit ms", which export-bids rejects."""
    csv = tmp_path / "phone.csv"
    csv.write_text(text)
    out = tmp_path / "bids"
    assert main(["export-bids", str(csv), "--out", str(out), "--no-events"]) == 2  # none
    said = capsys.readouterr()
    [line] = [line for line in said.out.splitlines() if ": skipped: " in line]
    assert advice in line
    assert line.endswith(f"(imu export-bids takes no import options: run 'imu convert {csv} "
                         "OUT.parquet' with them first, and export the .parquet)")
    assert not list(out.rglob("*_motion.tsv"))


@pytest.mark.parametrize("value", ["", " ", "-_-", "!!"])
def test_a_subject_without_letters_or_digits_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """``--subject ''`` exported under the participant (sub-sim109), silently."""
    out = tmp_path / "bids"
    assert main(["export-bids", str(RECORDING), "--out", str(out), f"--subject={value}",
                 "--no-events"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"--subject: {value!r} has no letters or digits" in line
    assert "e.g. --subject S01" in line
    assert not out.exists()


def test_an_empty_task_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--task ''`` named the task after the exercise, silently."""
    out = tmp_path / "bids"
    assert main(["export-bids", str(RECORDING), "--out", str(out), "--task", "",
                 "--no-events"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "--task: '' has no letters or digits" in line and "e.g. --task corestudy" in line
    assert not out.exists()


def test_a_subject_with_an_accent_is_still_taken(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bids"
    assert main(["export-bids", str(RECORDING), "--out", str(out), "--subject", "Müller",
                 "--no-events"]) == 0
    assert (out / "sub-Muller").is_dir()
