"""``imu progress --out FILE`` and ``imu eval --out FILE``: refused up front, as a file.

progress did all the work, then failed with "File exists"; eval said only "(File exists)".
"""

from __future__ import annotations

from pathlib import Path

import pytest

import imu.evaluate
import imu.report.progress
from imu.cli import main
from imu.evaluate.config import EvalError
from tests.cli.helpers import one_error_line


@pytest.fixture
def no_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop with an error where progress or eval would start their work."""
    def stop(*args: object, **kwargs: object) -> None:
        raise EvalError("the work started")

    monkeypatch.setattr(imu.report.progress, "load_inputs", stop)
    monkeypatch.setattr(imu.evaluate, "evaluate", stop)


def test_progress_out_file_is_refused_before_the_work(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "page"
    target.write_text("mine")
    assert main(["progress", str(tmp_path), "--participant", "P01", "--out",
                 str(target)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "the work started" not in line
    assert f"--out {target} is a file, not a folder" in line and "give --out a folder" in line
    assert target.read_text() == "mine"


def test_progress_out_under_a_file_is_refused_before_the_work(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "page"
    target.write_text("mine")
    assert main(["progress", str(tmp_path), "--out", str(target / "sub")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "the work started" not in line
    assert f"{target} is a file, not a folder" in line


def test_progress_out_new_folder_goes_on_to_the_work(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new" / "progress"
    assert main(["progress", str(tmp_path), "--out", str(out)]) == 2
    assert "the work started" in capsys.readouterr().err
    assert not out.exists()  # nothing is made before the page is written


def test_eval_out_file_says_it_is_a_file(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "eval"
    target.write_text("mine")
    assert main(["eval", "--exercises", "reverse-crunch", "--sessions", "1", "--out",
                 str(target)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"--out {target} is a file, not a folder" in line and "--out needs a folder" in line
    assert "File exists" not in line


def test_eval_out_under_a_file_names_the_file(
    no_work: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "eval"
    target.write_text("mine")
    assert main(["eval", "--exercises", "reverse-crunch", "--sessions", "1", "--out",
                 str(target / "x")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"{target} is a file, not a folder" in line
