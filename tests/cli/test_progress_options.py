"""``imu progress``: bad options stop at once with one line, not once per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from imu.cli import main

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


@pytest.mark.parametrize(
    ("argv", "says"),
    [(["--tempo", "3010"], "3010"), (["--exercise", "situps"], "situps")],
)
def test_a_bad_option_is_one_error_before_any_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    code = main(["progress", str(RECORDINGS), "--out", str(tmp_path / "o"), *argv])
    err = capsys.readouterr()
    assert code == 2
    lines = [line for line in err.err.splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0], err.err
    assert "skipped" not in err.out + err.err
    assert not (tmp_path / "o").exists()
