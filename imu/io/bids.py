"""Export recordings to Motion-BIDS (the BIDS motion modality, BIDS 1.9+).

One recording becomes, under ``ROOT/sub-<subject>/ses-<session>/motion/``::

    sub-<s>_ses-<x>_task-<t>_tracksys-<sys>_motion.tsv     samples: no header, one column
                                                           per channel, "n/a" where lost
    sub-<s>_ses-<x>_task-<t>_tracksys-<sys>_motion.json    sidecar (TaskName,
                                                           SamplingFrequency, TrackingSystemName,
                                                           channel counts, RecordingDuration...)
    sub-<s>_ses-<x>_task-<t>_tracksys-<sys>_channels.tsv   name, component, type, tracked_point,
                                                           units, sampling_frequency, placement
    sub-<s>_ses-<x>_task-<t>_events.tsv (+ .json)          reps and their phases as events

and the dataset files ``ROOT/dataset_description.json`` (written once) and
``ROOT/participants.tsv`` (+ ``.json``; one row per subject, merged across exports).

Required by the specification's schema (``rules/sidecars/motion.yaml``,
``rules/tabular_data/motion.yaml``, ``rules/files/raw/motion.yaml``) and checked by the tests:
the ``task`` and ``tracksys`` entities in every motion file name; ``TaskName``,
``SamplingFrequency`` and ``TrackingSystemName`` in the sidecar, the last equal to the
``tracksys`` label (check ``TRACKSYS_MISMATCH``); the columns ``name``, ``component``,
``type``, ``tracked_point``, ``units`` first in ``*_channels.tsv``; ``onset`` and ``duration``
in ``*_events.tsv``; ``Name`` and ``BIDSVersion`` in ``dataset_description.json``;
``participant_id`` in ``participants.tsv``. Recommended fields written too:
``MotionChannelCount``, ``ACCELChannelCount``, ``GYROChannelCount``, ``TrackedPointsCount``,
``MissingValues``, ``SamplingFrequencyEffective``, ``TaskDescription``.

Labels (subject, session, task, tracksys) must be ASCII letters and digits: accents are
taken off (``ü`` is ``u``) and other characters dropped (participant ``sim-7`` is
``sub-sim7``; the original label is kept in ``participants.tsv`` column
``source_participant``). Two participants whose labels become the same subject are refused
(:func:`check_subject`), also across exports into one dataset, never merged. The session
label is the recording's UTC start (``20240108T180000``), or the first 8 hex digits of the
file's session id when the start is unknown. Each export is listed in ``ROOT/.imu-exports.json``
(a dot file, which BIDS validators ignore): its file's content hash and path, and the files
written, so that the same recording exported again under another subject, session or task is
found (:func:`earlier_exports`) and can be replaced (:func:`remove_export`). Channels are in
the sensor frame (the mounting on the pelvis is unknown): ACCEL in m/s^2 (specific force),
GYRO in rad/s. Event onsets are seconds from the first sample.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from imu import __version__
from imu.errors import ImuError
from imu.frames import ACC, GYR
from imu.io.atomic import atomic_path, write_text_atomic
from imu.io.recording import Recording

logger = logging.getLogger(__name__)


class BidsError(ImuError):
    """A BIDS export cannot be written (bad label, unwritable folder)."""


BIDS_VERSION: Final = "1.10.0"
TRACKSYS: Final = "hipIMU"
"""``tracksys`` label and ``TrackingSystemName`` (they must be equal)."""
TRACKED_POINT: Final = "pelvis"
MISSING: Final = "n/a"
PHASES: Final = ("concentric", "top_hold", "eccentric", "bottom_pause")
"""``trial_type`` of the phase events; each rep is also one ``rep`` event."""

CHANNELS_COLUMNS: Final = (
    "name", "component", "type", "tracked_point", "units", "sampling_frequency", "placement",
)
EVENTS_COLUMNS: Final = ("onset", "duration", "trial_type", "set", "rep", "side")


def bids_label(text: str, what: str = "label") -> str:
    """``text`` as a BIDS label: ASCII letters and digits (``sim-7`` -> ``sim7``).

    Accents are taken off first (``Müller`` -> ``Muller``); any other character is dropped.

    Raises:
        BidsError: no ASCII letter or digit is left.

    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    label = re.sub(r"[^A-Za-z0-9]", "", plain)
    if not label:
        raise BidsError(
            f"{what} {text!r} has no letters or digits (A-Z, 0-9); give an alphanumeric "
            f"{what}, e.g. P01"
        )
    return label


def subject_sources(root: str | Path) -> dict[str, str]:
    """Subject label -> the participant it was exported from, per ``participants.tsv``.

    Empty when the dataset has no ``participants.tsv`` (or one without ``source_participant``).
    """
    path = Path(root) / "participants.tsv"
    try:
        table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not {"participant_id", "source_participant"} <= set(table.columns):
        return {}
    return {str(pid).removeprefix("sub-"): str(source)
            for pid, source in zip(table["participant_id"], table["source_participant"],
                                   strict=True)}


def check_subject(root: str | Path, subject: str, source: str) -> None:
    """Refuse to add participant ``source`` as ``sub-<subject>`` when another one is that subject.

    Raises:
        BidsError: ``participants.tsv`` under ``root`` has ``sub-<subject>`` exported from a
            different participant label (the message names both).

    """
    known = subject_sources(root).get(subject)
    if known is not None and known != source:
        raise BidsError(
            f"participants {known!r} (already in {Path(root) / 'participants.tsv'}) and "
            f"{source!r} would both be BIDS subject sub-{subject}; give them labels that "
            "differ in their letters and digits, or export them into different BIDS roots"
        )


@dataclass(frozen=True)
class BidsNames:
    """Where one recording goes in a BIDS dataset.

    Attributes:
        subject: subject label (alphanumeric).
        session: session label (alphanumeric).
        task: task label (alphanumeric).
        task_name: ``TaskName`` as written in the sidecar (free text).

    """

    subject: str
    session: str
    task: str
    task_name: str

    def folder(self, root: Path) -> Path:
        """``ROOT/sub-<s>/ses-<x>/motion``."""
        return root / f"sub-{self.subject}" / f"ses-{self.session}" / "motion"

    def stem(self, tracksys: bool = True) -> str:
        """``sub-<s>_ses-<x>_task-<t>[_tracksys-<sys>]``."""
        base = f"sub-{self.subject}_ses-{self.session}_task-{self.task}"
        return f"{base}_tracksys-{TRACKSYS}" if tracksys else base


def session_label(recording: Recording, fallback: str) -> str:
    """UTC start as ``YYYYMMDDTHHMMSS``, or ``fallback`` when the start is unknown."""
    if recording.meta.start_time_s > 0:
        return datetime.fromtimestamp(recording.meta.start_time_s, UTC).strftime("%Y%m%dT%H%M%S")
    return bids_label(fallback, "session")


def channels_table(sampling_rate_hz: float) -> pd.DataFrame:
    """The ``*_channels.tsv`` rows: acc_x..z (ACCEL, m/s^2), gyr_x..z (GYRO, rad/s)."""
    rows = [
        (name, name[-1], kind, TRACKED_POINT, units, sampling_rate_hz,
         "waistband, sensor frame (mounting on the pelvis not known)")
        for names, kind, units in ((ACC, "ACCEL", "m/s^2"), (GYR, "GYRO", "rad/s"))
        for name in names
    ]
    return pd.DataFrame(rows, columns=list(CHANNELS_COLUMNS))


def motion_sidecar(
    recording: Recording, task_name: str, description: str = ""
) -> dict[str, Any]:
    """The ``*_motion.json`` content for a recording."""
    meta = recording.meta
    sidecar: dict[str, Any] = {
        "TaskName": task_name,
        "SamplingFrequency": meta.sampling_rate_hz,
        "SamplingFrequencyEffective": meta.sampling_rate_hz,
        "TrackingSystemName": TRACKSYS,
        "MotionChannelCount": len(ACC) + len(GYR),
        "ACCELChannelCount": len(ACC),
        "GYROChannelCount": len(GYR),
        "TrackedPointsCount": 1,
        "RecordingDuration": round(recording.duration_s, 6),
        "RecordingType": "continuous",
        "MissingValues": MISSING,
        "ManufacturersModelName": meta.device,
        "SoftwareVersions": f"imu {__version__}",
        "SubjectArtefactDescription": (
            f"{recording.missing_samples} samples lost in transmission, written as n/a"
        ),
    }
    if description:
        sidecar["TaskDescription"] = description
    return sidecar


def events_table(reps: pd.DataFrame) -> pd.DataFrame:
    """Events from a reps table (:mod:`imu.report.tables`), sorted by onset.

    One ``rep`` event per rep and one per phase (``concentric``, ``top_hold``, ``eccentric``,
    ``bottom_pause``). Onsets and durations in s; ``set``, ``rep`` and ``side`` (or n/a) as
    extra columns.
    """
    spans = (
        ("rep", "start_s", "ecc_end_s"),
        ("concentric", "start_s", "con_end_s"),
        ("top_hold", "con_end_s", "ecc_start_s"),
        ("eccentric", "ecc_start_s", "ecc_end_s"),
    )
    rows: list[dict[str, object]] = []
    for r in reps.to_dict(orient="records"):
        side = r["side"] if isinstance(r["side"], str) and r["side"] else MISSING
        common = {"set": int(r["set"]), "rep": int(r["rep"]), "side": side}
        for kind, start, end in spans:
            rows.append({"onset": r[start], "duration": r[end] - r[start], "trial_type": kind,
                         **common})
        if pd.notna(r["bottom_pause_s"]):
            rows.append({"onset": r["ecc_end_s"], "duration": r["bottom_pause_s"],
                         "trial_type": "bottom_pause", **common})
    table = pd.DataFrame(rows, columns=list(EVENTS_COLUMNS))
    order = {k: i for i, k in enumerate(("rep", *PHASES))}
    table = table.assign(_o=table["trial_type"].map(order))
    table = table.sort_values(["onset", "_o"], kind="stable").drop(columns="_o")
    return table.reset_index(drop=True)


EVENTS_SIDECAR: Final[dict[str, Any]] = {
    "onset": {"Description": "start of the event, from the first sample", "Units": "s"},
    "duration": {"Description": "length of the event", "Units": "s"},
    "trial_type": {
        "Description": "a whole rep, or one of its phases",
        "Levels": {
            "rep": "concentric onset to the end of the eccentric",
            "concentric": "lifting phase (pelvis curls in the exercise's concentric direction)",
            "top_hold": "hold at the top",
            "eccentric": "lowering phase",
            "bottom_pause": "pause after the eccentric before the next rep of the set",
        },
    },
    "set": {"Description": "set number, from 1"},
    "rep": {"Description": "rep number within the set, from 1"},
    "side": {"Description": "left/right for alternating exercises, else n/a"},
}


def _write_tsv(frame: pd.DataFrame, path: Path, header: bool = True) -> None:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, sep="\t", index=False, header=header, na_rep=MISSING,
                     float_format="%.6g", lineterminator="\n")


def _write_json(data: dict[str, Any], path: Path) -> None:
    write_text_atomic(path, json.dumps(data, indent=2) + "\n")


def write_dataset_files(root: str | Path, name: str = "Hip-IMU core exercise sessions") -> None:
    """Write ``dataset_description.json`` unless present (an existing one is kept)."""
    path = Path(root) / "dataset_description.json"
    if path.exists():
        return
    _write_json(
        {
            "Name": name,
            "BIDSVersion": BIDS_VERSION,
            "DatasetType": "raw",
            "GeneratedBy": [{"Name": "imu", "Version": __version__,
                             "Description": "imu export-bids"}],
        },
        path,
    )


def _add_participant(root: Path, subject: str, source: str) -> None:
    path = root / "participants.tsv"
    row = pd.DataFrame({"participant_id": [f"sub-{subject}"], "source_participant": [source]})
    if path.exists():
        old = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
        row = pd.concat([old, row], ignore_index=True).drop_duplicates("participant_id")
    _write_tsv(row.sort_values("participant_id"), path)
    _write_json(
        {"source_participant": {"Description": "participant label in the imu recordings"}},
        root / "participants.json",
    )


EXPORTS_INDEX: Final = ".imu-exports.json"
"""Under the BIDS root: which recording each export came from (:func:`record_export`)."""


@dataclass(frozen=True)
class EarlierExport:
    """A recording already in the BIDS dataset under other names.

    Attributes:
        stem: its BIDS names (``sub-<s>_ses-<x>_task-<t>_tracksys-...``).
        subject: its subject label (no ``sub-``).
        source: the file it was exported from, resolved.
        files: its files, relative to the root.

    """

    stem: str
    subject: str
    source: str
    files: tuple[str, ...]

    def motion(self, root: Path) -> Path:
        """Its ``*_motion.tsv`` (the path a message names)."""
        found = [f for f in self.files if f.endswith("_motion.tsv")]
        return root / (found[0] if found else self.files[0])


def _exports(root: Path) -> dict[str, dict[str, Any]]:
    """The index's records by stem; empty when there is none (or it cannot be read)."""
    try:
        data = json.loads((root / EXPORTS_INDEX).read_text())
    except (OSError, ValueError):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(
        data, dict) else {}


def earlier_exports(root: str | Path, content_id: str, stem: str) -> list[EarlierExport]:
    """Exports of the same recording under other names than ``stem`` (their files there).

    "The same recording" is the same file content: the path it was exported from is not
    compared, since another recording copied over that file later is another recording
    (``--replace`` deleted that earlier, different recording's export).

    Args:
        root: the BIDS root.
        content_id: the file's content hash (:func:`imu.batch.session_id`, as ``imu batch``
            tells sessions apart).
        stem: the names it gets now (an export under the same names is replaced in place).

    """
    root = Path(root)
    found = []
    for old_stem, record in sorted(_exports(root).items()):
        if old_stem == stem or record.get("content_id") != content_id:
            continue
        files = tuple(str(f) for f in record.get("files", []))
        if _present(root, files):
            found.append(EarlierExport(old_stem, str(record.get("subject", "")),
                                       str(record.get("source", "")), files))
    return found


def _present(root: Path, files: tuple[str, ...] | list[Any]) -> bool:
    """Whether any of an export's files (relative to ``root``) is still there."""
    return any((root / str(f)).exists() for f in files)


def _live_exports(root: Path) -> dict[str, dict[str, Any]]:
    """The index's records whose files are not all gone (deleted by hand: stale)."""
    return {stem: record for stem, record in _exports(root).items()
            if _present(root, record.get("files", []))}


def prune_participants(root: str | Path) -> list[str]:
    """Drop the ``participants.tsv`` rows of subjects with no ``*_motion.tsv`` left.

    For ``--replace``: an earlier export whose folder was deleted by hand still had its row.
    Returns the participant ids dropped.

    Raises:
        BidsError: ``participants.tsv`` cannot be rewritten.

    """
    root = Path(root)
    table = root / "participants.tsv"
    if not table.exists():
        return []
    try:
        old = pd.read_csv(table, sep="\t", dtype=str, keep_default_na=False)
    except (OSError, ValueError, UnicodeDecodeError):
        return []
    if "participant_id" not in old.columns:
        return []
    gone = [pid for pid in old["participant_id"]
            if re.fullmatch(r"sub-[A-Za-z0-9]+", str(pid))
            and not any((root / str(pid)).rglob("*_motion.tsv"))]
    if gone:
        try:
            _write_tsv(old[~old["participant_id"].isin(gone)], table)
        except OSError as exc:
            raise BidsError(f"cannot rewrite {table}: {exc.strerror or exc}") from exc
    return gone


def record_export(root: str | Path, content_id: str, source: str | Path, names: BidsNames,
                  written: list[Path]) -> None:
    """List an export in the root's :data:`EXPORTS_INDEX` (its earlier record replaced).

    Records whose files are all gone (an export folder deleted by hand) are dropped.
    """
    root = Path(root)
    records = _live_exports(root)
    records[names.stem()] = {
        "content_id": content_id,
        "source": str(Path(source).resolve()),
        "subject": names.subject,
        "files": [str(p.relative_to(root)) for p in written],
    }
    try:
        _write_json(dict(sorted(records.items())), root / EXPORTS_INDEX)
    except OSError as exc:
        raise BidsError(f"cannot write {root / EXPORTS_INDEX}: {exc.strerror or exc}; "
                        "choose a writable --out") from exc


def remove_export(root: str | Path, earlier: EarlierExport) -> list[Path]:
    """Remove an earlier export's files, its empty folders and its index record.

    Its subject's row leaves ``participants.tsv`` when no recording of that subject is left
    (no ``*_motion.tsv`` under ``sub-<subject>``). Returns the files removed.
    """
    root = Path(root)
    removed = []
    try:
        for name in earlier.files:
            path = root / name
            if path.exists():
                path.unlink()
                removed.append(path)
            folder = path.parent
            while folder != root and folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
                folder = folder.parent
        subject_dir = root / f"sub-{earlier.subject}"
        table = root / "participants.tsv"
        if earlier.subject and not any(subject_dir.rglob("*_motion.tsv")) and table.exists():
            old = pd.read_csv(table, sep="\t", dtype=str, keep_default_na=False)
            _write_tsv(old[old["participant_id"] != f"sub-{earlier.subject}"], table)
        records = _live_exports(root)
        records.pop(earlier.stem, None)
        _write_json(dict(sorted(records.items())), root / EXPORTS_INDEX)
    except OSError as exc:
        raise BidsError(f"cannot remove the earlier export {earlier.stem} under {root}: "
                        f"{exc.strerror or exc}") from exc
    return removed


def export_recording(
    recording: Recording,
    root: str | Path,
    names: BidsNames,
    reps: pd.DataFrame | None = None,
    description: str = "",
    source: str | None = None,
) -> list[Path]:
    """Write one recording (and its reps as events, if given) into the dataset at ``root``.

    Args:
        recording: samples and metadata.
        root: BIDS root (created).
        names: subject, session, task labels.
        reps: reps table of the recording's analysis, or None for no events file.
        description: ``TaskDescription`` (exercise, tempo).
        source: the participant label the subject was made from (``participants.tsv``
            column ``source_participant``); default the recording's participant.

    Returns:
        The files written.

    Raises:
        BidsError: the folder cannot be written, or ``participants.tsv`` has the subject
            from another participant label (:func:`check_subject`; nothing is written).

    """
    root = Path(root)
    source = source or recording.meta.participant or names.subject
    check_subject(root, names.subject, source)
    folder = names.folder(root)
    stem = names.stem()
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_dataset_files(root)
        samples = pd.DataFrame(
            np.hstack([recording.acc, recording.gyr]), columns=[*ACC, *GYR]
        )
        path = folder / f"{stem}_motion.tsv"
        _write_tsv(samples, path, header=False)
        written.append(path)
        path = folder / f"{stem}_motion.json"
        _write_json(motion_sidecar(recording, names.task_name, description), path)
        written.append(path)
        path = folder / f"{stem}_channels.tsv"
        _write_tsv(channels_table(recording.sampling_rate_hz), path)
        written.append(path)
        if reps is not None:
            events_stem = names.stem(tracksys=False)
            path = folder / f"{events_stem}_events.tsv"
            _write_tsv(events_table(reps), path)
            written.append(path)
            path = folder / f"{events_stem}_events.json"
            _write_json(EVENTS_SIDECAR, path)
            written.append(path)
        _add_participant(root, names.subject, source)
    except OSError as exc:
        raise BidsError(
            f"cannot write BIDS files under {root}: {exc.strerror or exc}; choose a writable --out"
        ) from exc
    logger.info("exported %s to %s", stem, folder)
    return written
