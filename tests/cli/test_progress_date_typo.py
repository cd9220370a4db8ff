"""A date typo in a manifest (2062 for 2026) is said, not silently stretched over decades.

``imu progress`` with one session dated 2062 among sessions of 2026 made a page of "6
sessions over 1880 weeks" without a word, and ``imu batch --manifest`` filed the session under
2062. Both now warn, naming the session (the manifest line) and the date, why it looks wrong
(in the future, years from every other session) and what to fix; the data are still used.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from imu.batch import BatchError, collect_jobs, load_manifest, stray_manifest_dates
from imu.cli import main
from imu.io import write_recording
from imu.research import stray_dates

DATES = ["2026-01-05", "2026-01-08", "2026-01-12", "2026-01-15"]


def _sessions(folder: Path, dates: list[str]) -> Path:
    """Short simulated sessions, one a date, and the manifest that dates them."""
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    folder.mkdir(parents=True, exist_ok=True)
    lines = ["file,participant,exercise,date"]
    for i, date in enumerate(dates):
        spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=3, sets=1,
                           seed=40 + i, sampling_rate_hz=52)
        write_recording(simulate_session(spec).recording, folder / f"s{i}.parquet")
        lines.append(f"s{i}.parquet,P01,reverse-crunch,{date}")
    manifest = folder / "manifest.csv"
    manifest.write_text("\n".join(lines) + "\n")
    return manifest


def _unix(day: str) -> float:
    return float(pd.Timestamp(day, tz="UTC").timestamp())


def test_progress_names_a_session_dated_decades_away(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _sessions(tmp_path / "s", [*DATES[:2], "2062-01-19", *DATES[2:]])
    out = tmp_path / "out"
    code = main(["progress", str(manifest.parent), "--manifest", str(manifest), "--out",
                 str(out)])
    said = capsys.readouterr()
    assert code == 0, said.err
    text = " ".join(said.out.split())
    assert (f"warning: session {manifest.parent / 's2.parquet'} is dated 2062-01-19, in the "
            "future (today is ") in text
    assert ("and 36 years after every other session (2026-01-05 to 2026-01-15): the page "
            "runs from 2026-01-05 to 2062-01-19; if it is a typo, fix it in the date column "
            f"of {manifest}") in text
    assert text.count("warning: session") == 1  # said once, not again for the manifest
    assert (out / "progress.html").exists()  # the data are still used
    # The page says it too (trial 20: only the terminal did, the page ran over 36 years).
    page = (out / "progress.html").read_text()
    assert page.count('<p class="warning" role="alert">Warning: session ') == 1
    assert "is dated 2062-01-19, in the future" in page


def test_progress_says_nothing_of_dates_close_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = _sessions(tmp_path / "s", DATES)
    assert main(["progress", str(manifest.parent), "--manifest", str(manifest), "--out",
                 str(tmp_path / "out")]) == 0
    assert "warning" not in capsys.readouterr().out


def test_batch_names_the_manifest_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,date\n" + "".join(
        f"s{i}.parquet,{d}\n" for i, d in enumerate(["2019-03-01", *DATES])))
    [line] = stray_manifest_dates(load_manifest(manifest), now_s=_unix("2026-12-01"))
    assert line == (
        f"manifest {manifest} line 2 (s0.parquet): date 2019-03-01 is 7 years before every "
        "other row (2026-01-05 to 2026-01-15); if it is a typo, fix it on that line (weekly "
        "tables and progress pages run from the first date to the last)"
    )
    with caplog.at_level(logging.WARNING), pytest.raises(BatchError, match="none of its"):
        collect_jobs([], manifest)  # said as the manifest is read, before its files are
    assert line in [r.getMessage() for r in caplog.records]


def test_which_dates_are_stray() -> None:
    now = _unix("2026-12-01")
    days = [(d, _unix(d)) for d in DATES]
    assert stray_dates(days, now) == []
    # Two dates: which one is wrong cannot be told (only a future one is said).
    assert stray_dates([days[0], ("b", _unix("2020-01-01"))], now) == []
    [future] = stray_dates([days[0], ("b", _unix("2027-01-01"))], now)
    assert (future.name, future.why) == ("b", "in the future (today is 2026-12-01)")
    # Sparse dates, each a year or more apart: no odd one out.
    assert stray_dates([(str(y), _unix(f"{y}-01-01")) for y in (2020, 2022, 2024)], now) == []
    [odd] = stray_dates([*days, ("x", _unix("2024-12-02"))], now)
    assert odd.why == "13 months before every other session (2026-01-05 to 2026-01-15)"
    assert stray_dates([*days, ("x", _unix("2025-01-06"))], now) == []  # within a year
