"""A CSV whose header sits below a few lines that are not '#' comments.

A device's export (``Device: MetaMotionS``, a date, a blank line, then ``time_s,acc_x,...``)
was refused with "column(s) 'time_s', ... not found; the file has: Device: MetaMotionS.
Name your columns with --time-col ...": a dead end, the columns were right. The importer
already reads past '#' comments and Excel's ``sep=`` line; it now reads past such lines too
when the header is found within the first lines, and says so in its repairs line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.cli import main
from imu.errors import ImportOptionsError
from imu.io import import_csv
from tests.io.helpers import synthetic_samples

PREAMBLE = "Device: MetaMotionS\nRecorded: 2026-11-30 10:00\n\n"


def _write(path: Path, preamble: str, sep: str = ",") -> Path:
    samples = synthetic_samples(n=400)
    path.write_text(preamble + samples.to_csv(index=False, sep=sep))
    return path


@pytest.mark.parametrize("sep", [",", ";"])
def test_the_header_below_a_preamble_is_found_and_said(tmp_path: Path, sep: str) -> None:
    plain = import_csv(_write(tmp_path / "plain.csv", "", sep))[0]
    (imp,) = import_csv(_write(tmp_path / "pre.csv", PREAMBLE, sep))
    np.testing.assert_array_equal(imp.recording.acc, plain.recording.acc)
    np.testing.assert_array_equal(imp.recording.gyr, plain.recording.gyr)
    assert imp.report.repairs.count("preamble") == 3
    assert ("the header is on line 4: 3 lines above it skipped (the first: 'Device: "
            "MetaMotionS'); start them with '#' to mark them as comments"
            ) in imp.report.repairs.text()


def test_the_cli_says_which_lines_it_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                             ) -> None:
    path = _write(tmp_path / "pre.csv", PREAMBLE)
    assert main(["info", str(path)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}: repaired: the header is on line 4: 3 lines above it skipped" in err


def test_data_before_the_named_columns_is_no_preamble(tmp_path: Path) -> None:
    samples = synthetic_samples(n=400)
    text = samples.to_csv(index=False, header=False)
    lines = text.splitlines(keepends=True)
    path = tmp_path / "data_first.csv"
    path.write_text("a,b,c,d,e,f,g\n" + "".join(lines[:3]) + samples.to_csv(index=False))
    with pytest.raises(ImportOptionsError, match="not found; the file has: a, b, c"):
        import_csv(path)


def test_other_column_names_still_ask_for_the_options(tmp_path: Path) -> None:
    samples = synthetic_samples(n=400).rename(columns={"time_s": "t"})
    path = tmp_path / "other.csv"
    path.write_text(PREAMBLE + samples.to_csv(index=False))
    with pytest.raises(ImportOptionsError, match="Name your columns with --time-col"):
        import_csv(path)
