"""Damaged phone exports (Sensor Logger folders, phyphox CSVs): a result or an error by name."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from imu.io.load import load_recordings
from tests.fuzz.checks import assert_sane
from tests.fuzz.strategies import BASE, FUZZ, HUGE, outcome

T0_NS = 1_735_725_600_000_000_000
ACC = BASE[["acc_x", "acc_y", "acc_z"]].to_numpy()
GYR = BASE[["gyr_x", "gyr_y", "gyr_z"]].to_numpy()
T = BASE["time_s"].to_numpy()


def _sensor_logger_table(values: np.ndarray, offset_s: float) -> pd.DataFrame:
    t = T + offset_s
    return pd.DataFrame(
        {
            "time": T0_NS + np.round(t * 1e9).astype(np.int64),
            "seconds_elapsed": t,
            "z": values[:, 2],
            "y": values[:, 1],
            "x": values[:, 0],
        }
    )


def _phyphox_table() -> pd.DataFrame:
    out = {"Time (s)": T}
    for i, a in enumerate("xyz"):
        out[f"Acceleration {a} (m/s^2)"] = ACC[:, i]
    for i, a in enumerate("xyz"):
        out[f"Gyroscope {a} (rad/s)"] = GYR[:, i]
    return pd.DataFrame(out)


PHONE_KINDS = ("nan", "shuffle", "duplicate", "few", "huge", "drop_col", "text")


@st.composite
def damaged_table(draw: st.DrawFn, table: pd.DataFrame) -> str:
    """The table as CSV text after up to three kinds of damage."""
    frame = table.copy()
    kinds = draw(st.lists(st.sampled_from(PHONE_KINDS), max_size=3))
    for kind in sorted(kinds, key=lambda k: k == "text"):  # arithmetic before text in a cell
        n = len(frame)
        if n == 0:
            break
        col = draw(st.sampled_from(list(frame.columns)))
        i = draw(st.integers(0, n - 1))
        if kind == "nan":
            frame = frame.astype({col: float if col != "time" else object})
            frame.iloc[i : i + draw(st.integers(1, 40)), frame.columns.get_loc(col)] = np.nan
        elif kind == "shuffle":
            frame = frame.sample(frac=1.0, random_state=draw(st.integers(0, 99)))
        elif kind == "duplicate":
            frame = pd.concat([frame, frame.iloc[[i]]])
        elif kind == "few":
            frame = frame.iloc[: draw(st.integers(0, 3))]
        elif kind == "huge" and col not in ("time", "Time (s)"):
            frame.iloc[i, frame.columns.get_loc(col)] = draw(st.sampled_from(HUGE))
        elif kind == "drop_col":
            frame = frame.drop(columns=col)
        elif kind == "text":
            frame = frame.astype({col: object})
            frame.iloc[i, frame.columns.get_loc(col)] = "oops"
    text = frame.to_csv(index=False)
    if draw(st.booleans()) and draw(st.booleans()) and len(text) > 5:
        text = text[: draw(st.integers(1, len(text) - 1))]
    return text


@FUZZ
@given(
    damaged_table(_sensor_logger_table(ACC, 0.0)),
    damaged_table(_sensor_logger_table(GYR, 0.003)),
    st.sampled_from(["Android", "iOS", "", "???"]),
    st.sampled_from(["both", "no_acc", "no_gyr"]),
)
def test_damaged_sensor_logger_export(acc_text, gyr_text, platform, files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "Sensor Logger export"
        folder.mkdir()
        (folder / "metadata.csv").write_text(f"version,device name,platform\n3,Pixel,{platform}\n")
        if files != "no_acc":
            (folder / "TotalAcceleration.csv").write_text(acc_text)
        if files != "no_gyr":
            (folder / "Gyroscope.csv").write_text(gyr_text)
        loaded = outcome(lambda: load_recordings(folder, fmt="sensor-logger"), folder)
        for item in loaded or ():
            assert_sane(item)
            assert item.repairs.count("resampled") > 0  # phone timing is always resampled


@FUZZ
@given(damaged_table(_phyphox_table()), st.sampled_from([",", ";", "\t"]))
def test_damaged_phyphox_export(text, sep):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Raw Data.csv"
        if sep != ",":
            text = text.replace(",", sep) if sep == "\t" else text.replace(",", ";")
        path.write_text(text)
        loaded = outcome(lambda: load_recordings(path, fmt="phyphox"), path)
        for item in loaded or ():
            assert_sane(item)
