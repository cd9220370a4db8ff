"""Inputs a new user tried in a trial of the import paths, each once a dead end or a wrong word.

- a plain CSV whose time column is ``Time (s)`` (``Time (s), AccX (m/s^2), ...``) was taken
  for a phyphox export and refused for lacking phyphox's 'Acceleration with g' columns, even
  with ``--time-col``/``--acc-cols``/``--gyr-cols`` naming its columns;
- a ``.csv.bz2`` or ``.csv.xz`` was "binary data ... if it is a spreadsheet or text in another
  encoding, save it as 'CSV UTF-8'" (a ``.csv.gz`` was read); a ``.tar.gz`` or ``.zst`` the
  same; a gzipped recording (``s.parquet.gz``) was "a Parquet file, not CSV; read it with
  'imu info'", said by ``imu info`` itself;
- a zip of Polar Sensor Logger's ``_ACC.txt`` and ``_GYRO.txt`` (as a phone shares them) was
  "holds no Sensor Logger or phyphox export", the app's files not named;
- Polar Sensor Logger files from a phone whose language writes decimal commas
  (``-1,63269`` deg/s) were "every row with an empty value: 'X [dps]' is empty";
- a CSV whose accelerometer columns were named in another order than the gyro's (``--acc-cols
  acc_x,acc_z,acc_y``) imported without a word, and the reverse crunch's arch came out 17 deg
  off and its ROM 10 deg;
- ``imu recover`` of a journal damaged in several places said "lost in 40 damaged stretchs of
  the journal ..., every intact record after it kept";
- an all-zero accelerometer column was "the magnitude of its quietest moments spreads by
  nan%";
- a file written by ``numpy.savetxt`` (blanks between the fields, the header a comment line
  "# time_s acc_x ...") was "columns not found; the file has: time_s acc_x acc_y ..." with no
  word of the blanks, and with ``--delimiter ' '`` "the file looks truncated" (its '#' read as
  a column of its own);
- an empty ``Gyroscope.csv`` in a Sensor Logger export was "not a readable CSV file: No
  columns to parse from file";
- a CSV saved under a ``.parquet`` name, a gzipped recording named ``.parquet``, and a
  recording cut short by a copy were all "not a readable Parquet file (corrupt or truncated?):
  Parquet magic bytes not found in footer...";
- a bursty file (samples arriving in pairs, as phones in the background deliver them) with a
  30 s pause got the rate 40.41 Hz instead of 52 Hz: the pause counted as sampling time;
- a recording whose metadata was edited by hand (a field taken out) was "recording metadata is
  malformed: RecordingMeta.__init__() missing 1 required positional argument", no fix named.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from imu.cli import main
from imu.io.csv_import import CsvOptions, import_csv
from imu.io.journal import recover
from imu.io.phone import detect_phone_format
from imu.io.polar_logger import import_polar_logger
from imu.io.repairs import plural
from imu.io.resample import estimate_rate_hz, timing_stats
from tests.io.helpers import synthetic_samples
from tests.io.test_journal import frames, write_journal
from tests.io.test_phone import sensor_logger_zip
from tests.io.test_polar_logger import still, write_pair

RECORDINGS = Path(__file__).resolve().parents[2] / "recordings"


def _one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


UNIT_COLUMNS = {
    "time_s": "Time (s)",
    "acc_x": "AccX (m/s^2)", "acc_y": "AccY (m/s^2)", "acc_z": "AccZ (m/s^2)",
    "gyr_x": "GyrX (rad/s)", "gyr_y": "GyrY (rad/s)", "gyr_z": "GyrZ (rad/s)",
}


def test_a_plain_csv_with_a_time_s_column_is_no_phyphox_export(tmp_path, capsys):
    path = tmp_path / "logger.csv"
    synthetic_samples(n=300).rename(columns=UNIT_COLUMNS).to_csv(path, index=False)
    assert detect_phone_format(path) is None
    err = _one_line_error(capsys, ["info", str(path)])
    assert "phyphox" not in err and "AccX (m/s^2)" in err and "--acc-cols" in err
    assert main([
        "info", str(path), "--time-col", "Time (s)",
        "--acc-cols", "AccX (m/s^2),AccY (m/s^2),AccZ (m/s^2)",
        "--gyr-cols", "GyrX (rad/s),GyrY (rad/s),GyrZ (rad/s)",
    ]) == 0


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_phyphox_columns_are_still_detected(tmp_path, sep):
    cols = ["Time (s)", *[f"Acceleration {a} (m/s^2)" for a in "xyz"]]
    path = tmp_path / "Raw Data.csv"
    path.write_text(sep.join(f'"{c}"' for c in cols) + "\n" + sep.join(["0"] * 4) + "\n")
    assert detect_phone_format(path) == "phyphox"
    linear = tmp_path / "linear.csv"
    linear.write_text(",".join(["Time (s)", "Linear Acceleration x (m/s^2)"]) + "\n0,0\n")
    assert detect_phone_format(linear) == "phyphox"


@pytest.mark.parametrize("suffix, pack", [(".bz2", bz2.compress), (".xz", lzma.compress)])
def test_a_csv_compressed_by_bzip2_or_xz_is_read_as_it_is(tmp_path, capsys, suffix, pack):
    text = synthetic_samples(n=300).to_csv(index=False).encode()
    path = tmp_path / f"s.csv{suffix}"
    path.write_bytes(pack(text))
    assert main(["info", str(path)]) == 0
    capsys.readouterr()
    cut = tmp_path / f"cut.csv{suffix}"
    cut.write_bytes(pack(text)[:2000])
    err = _one_line_error(capsys, ["info", str(cut)])
    assert "damaged or truncated" in err and "-dc FILE" in err


def test_archives_that_are_not_read_say_to_unpack_them(tmp_path, capsys):
    text = synthetic_samples(n=300).to_csv(index=False).encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("s.csv")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
    tgz = tmp_path / "s.tar.gz"
    tgz.write_bytes(buf.getvalue())
    err = _one_line_error(capsys, ["info", str(tgz)])
    assert "a tar archive" in err and "unpack it" in err and "spreadsheet" not in err
    zst = tmp_path / "s.csv.zst"
    zst.write_bytes(b"\x28\xb5\x2f\xfd" + bytes(range(200)))
    err = _one_line_error(capsys, ["info", str(zst)])
    assert "zstd" in err and "unpack it" in err


def test_a_gzipped_recording_says_to_decompress_it(tmp_path, capsys):
    table = tmp_path / "s.parquet"
    synthetic_samples(n=300).to_parquet(table, index=False)
    packed = tmp_path / "s.parquet.gz"
    packed.write_bytes(gzip.compress(table.read_bytes()))
    err = _one_line_error(capsys, ["info", str(packed)])
    assert "gzip-compressed Parquet" in err and "gzip -dk" in err and "'imu info'" not in err


@pytest.mark.parametrize("inside", [False, True])
def test_a_zip_of_polar_sensor_logger_files_says_to_unzip_it(tmp_path, capsys, inside):
    acc, gyr = still()
    files = write_pair(tmp_path / "files", acc, gyr, 52.0)
    folder = tmp_path / "shared"
    folder.mkdir()
    packed = folder / "polar.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        for f in files:
            zf.write(f, f.name)
    err = _one_line_error(capsys, ["info", str(folder if inside else packed)])
    assert "Polar Sensor Logger files" in err and "unzip it" in err and "_ACC.txt" in err
    assert "no Sensor Logger or phyphox export" not in err


def test_polar_sensor_logger_files_with_decimal_commas_are_read(tmp_path):
    acc, gyr = still()
    acc_path, gyr_path = write_pair(tmp_path, acc, gyr, 52.0)
    plain = import_polar_logger(acc_path).recording
    for path in (acc_path, gyr_path):
        lines = path.read_text().splitlines()
        fields = [ln.split(";") for ln in lines[1:]]
        path.write_text("\n".join([lines[0], *(";".join(f[:2] + [v.replace(".", ",")
                                                              for v in f[2:]])
                                                    for f in fields)]) + "\n")
    assert "," in gyr_path.read_text().splitlines()[1].split(";")[2]
    comma = import_polar_logger(acc_path).recording
    assert comma.n_samples == plain.n_samples
    assert np.allclose(comma.gyr, plain.gyr, equal_nan=True)
    assert np.allclose(comma.acc, plain.acc, equal_nan=True)


def _warnings(path: Path, acc_cols: tuple[str, str, str]) -> list[str]:
    (imported,) = import_csv(path, CsvOptions(acc_cols=acc_cols))
    return list(imported.report.warnings)


@pytest.mark.parametrize("name", ["reverse_crunch", "bird_dog"])
def test_accelerometer_axes_in_another_order_than_the_gyros_are_warned_of(tmp_path, name):
    frame = pd.read_parquet(RECORDINGS / f"{name}.parquet").dropna()
    path = tmp_path / f"{name}.csv"
    frame.to_csv(path, index=False)
    assert not [w for w in _warnings(path, ("acc_x", "acc_y", "acc_z")) if "agree" in w]
    (doubt,) = [w for w in _warnings(path, ("acc_x", "acc_z", "acc_y")) if "agree" in w]
    assert "axes may be in another order" in doubt and "--acc-cols" in doubt


def test_plurals_of_nouns_ending_in_a_hiss_take_es():
    assert plural(2, "damaged stretch") == "2 damaged stretches"
    assert plural(1, "damaged stretch") == "1 damaged stretch"
    assert plural(3, "row") == "3 rows" and plural(2, "box") == "2 boxes"


def test_a_journal_damaged_in_two_places_reads_as_english(tmp_path):
    path = tmp_path / "s.imuj"
    write_journal(path, frames(300 * 5))
    data = bytearray(path.read_bytes())
    for at in (len(data) // 3, 2 * len(data) // 3):
        data[at : at + 2] = bytes(b ^ 0xA5 for b in data[at : at + 2])
    path.write_bytes(bytes(data))
    line = recover(path, warn=False).repairs.line()
    assert "2 damaged stretches of the journal" in line
    assert "every intact record after them kept" in line


def test_an_all_zero_accelerometer_is_said_without_nan(tmp_path, capsys):
    frame = synthetic_samples(n=300)
    frame[["acc_x", "acc_y", "acc_z"]] = 0.0
    path = tmp_path / "zero.csv"
    frame.to_csv(path, index=False)
    err = _one_line_error(capsys, ["info", str(path)])
    assert "nan" not in err and "quietest moments is 0" in err


@pytest.mark.parametrize("header", ["time_s acc_x acc_y acc_z gyr_x gyr_y gyr_z", None])
def test_a_file_written_by_numpy_savetxt_is_read(tmp_path, capsys, header):
    frame = synthetic_samples(n=300)
    path = tmp_path / "savetxt.txt"
    if header is None:  # savetxt's own header: a comment line
        np.savetxt(path, frame.to_numpy(), header=" ".join(frame.columns))
    else:
        np.savetxt(path, frame.to_numpy(), header=header, comments="")
    for extra in ([], ["--delimiter", " "]):
        (imported,) = import_csv(path, CsvOptions(delimiter=extra[1] if extra else None))
        assert imported.recording.n_samples == 300
        assert np.allclose(imported.recording.acc, frame[["acc_x", "acc_y", "acc_z"]])
    other = tmp_path / "other.txt"
    np.savetxt(other, frame.to_numpy(), header="t ax ay az gx gy gz", comments="")
    err = _one_line_error(capsys, ["info", str(other)])
    assert "separated by blanks" in err and "--delimiter ' '" in err


def test_an_empty_file_in_a_sensor_logger_export_is_named_empty(tmp_path, capsys):
    from imu.sim import SessionSpec, simulate_session
    from imu.tempo import parse_tempo

    spec = SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=2, sets=1, seed=5)
    packed = sensor_logger_zip(tmp_path / "sl.zip", simulate_session(spec).recording)
    folder = tmp_path / "sl"
    with zipfile.ZipFile(packed) as zf:
        zf.extractall(folder)
    (folder / "Gyroscope.csv").write_bytes(b"")
    err = _one_line_error(capsys, ["info", str(folder)])
    assert "Gyroscope.csv: the file is empty" in err and "No columns" not in err


def test_files_named_parquet_that_are_no_parquet_say_what_they_are(tmp_path, capsys):
    frame = synthetic_samples(n=300)
    text = tmp_path / "s.parquet"
    frame.to_csv(text, index=False)
    err = _one_line_error(capsys, ["info", str(text)])
    assert "it is text" in err and "s.csv" in err
    table = tmp_path / "t.parquet"
    frame.to_parquet(table, index=False)
    packed = tmp_path / "g.parquet"
    packed.write_bytes(gzip.compress(table.read_bytes()))
    err = _one_line_error(capsys, ["info", str(packed)])
    assert "gzip-compressed" in err and "gzip -dc" in err
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(table.read_bytes()[:3000])
    for command in (["info", str(cut)], ["replay", str(cut), "--out", str(tmp_path / "r")]):
        err = _one_line_error(capsys, command)
        assert "its end is missing" in err and "copy it again" in err


def test_the_rate_of_bursty_samples_leaves_the_gaps_out():
    k = np.arange(2000)
    t = (k // 2) * (2 / 52) + (k % 2) * 0.001  # pairs 1 ms apart, 52 samples a second
    plain, how = estimate_rate_hz(timing_stats(t, max_gap_s=0.25))
    assert plain == pytest.approx(52.0, abs=0.05) and "left out" not in how
    t[1000:] += 30.0  # a pause: a gap of the grid, not sampling time
    rate, how = estimate_rate_hz(timing_stats(t, max_gap_s=0.25))
    assert rate == pytest.approx(52.0, abs=0.05)
    assert "the 1 gap left out" in how and "bursts" in how


def test_malformed_recording_metadata_says_what_to_do(tmp_path, capsys):
    import json

    import pyarrow.parquet as pq

    table = pq.read_table(RECORDINGS / "reverse_crunch.parquet")
    meta = dict(table.schema.metadata)
    fields = json.loads(meta[b"imu.recording"])
    del fields["sampling_rate_hz"]
    meta[b"imu.recording"] = json.dumps(fields).encode()
    path = tmp_path / "edited.parquet"
    pq.write_table(table.replace_schema_metadata(meta), path)
    err = _one_line_error(capsys, ["info", str(path)])
    assert "metadata is malformed" in err and "write the recording again" in err
