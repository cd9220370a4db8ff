"""``imu info FILE``: summarise a Parquet recording or a CSV file."""

from __future__ import annotations

import argparse
import math
import sys
import textwrap
from datetime import UTC, datetime
from typing import Any

from rich import box
from rich.table import Table

from imu.cli._args import file_arg
from imu.cli._csvargs import (
    PHONE_HELP,
    UNITS_HELP,
    add_csv_options,
    console,
    load,
    print_repairs,
)
from imu.io.gravity import NOISE_MAX_LAG1_CORR
from imu.io.recording import Recording, pauses_s
from imu.io.summary import RecordingSummary, summarize

EPILOG = f"""\
examples:
  imu info session.parquet
  imu info phone_export.csv --time-unit ms --acc-unit g --gyr-unit deg/s
  imu info wle_belt_dev.csv --acc-cols accel_belt_x,accel_belt_y,accel_belt_z \\
      --acc-unit counts --gyr-cols gyros_belt_x,gyros_belt_y,gyros_belt_z \\
      --split-by user_name,classe --participant-col user_name \\
      --counts-scale-by user_name --rate 25

{PHONE_HELP}
{UNITS_HELP}"""


def register(subparsers: Any) -> None:
    """Add the ``info`` command."""
    parser = subparsers.add_parser(
        "info",
        help="summarise a recording (Parquet) or a CSV file",
        description=textwrap.fill(
            "Print a summary of a recording: duration, rate, samples, gaps, device, participant,"
            " exercise, annotations, notes, channel ranges, |acc| (about 9.81 m/s^2 at rest) and"
            " gyro statistics. A CSV file or plain Parquet table is imported first (default"
            " layout, or the same flags as 'imu convert') and its import report is printed too."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", type=file_arg, metavar="FILE", help="a .parquet recording or a CSV")
    add_csv_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the summary of every recording in FILE; returns the exit code."""
    out = console("info", None)
    loaded = load(args.file, args)
    for i, item in enumerate(loaded):
        recording, imported = item.recording, item.imported
        print_repairs("info", item.repairs)
        for note in item.notes:  # import options a recording of imu does not use
            print(f"imu info: note: {args.file}: {note}", file=sys.stderr)
        if i:
            out.print()
        title = str(args.file) if imported is None else f"{args.file} [{imported.name}]"
        out.print(title, markup=False)
        if imported is not None:
            out.print("import report:")
            for line in imported.report.summary_lines():
                out.print(f"  {line}")
        summary = summarize(recording)
        out.print(_overview(recording, summary))
        out.print(_channels(summary))
    return 0


def _fmt(value: float | None, spec: str = ".3g", unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:{spec}}{unit}"


def _overview(recording: Recording, s: RecordingSummary) -> Table:
    meta = recording.meta
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        "duration",
        f"{s.duration_s:.2f} s ({s.n_samples} samples at {s.sampling_rate_hz:g} Hz)",
    )
    if s.n_gaps:
        table.add_row(
            "gaps",
            f"{s.n_gaps}, {s.gap_total_s:.2f} s in total ({s.missing_share:.1%} of samples), "
            f"longest {s.longest_gap_s:.2f} s",
        )
    else:
        table.add_row("gaps", "none")
    pauses = pauses_s(meta)
    if pauses:  # gaps with no sample lost: the measurement was paused (in phyphox)
        spans = ", ".join(f"{a:.1f}-{b:.1f} s" for a, b, _ in pauses[:5])
        more = f" and {len(pauses) - 5} more" if len(pauses) > 5 else ""
        table.add_row(
            "paused",
            f"{pauses[0][2]}: {sum(b - a for a, b, _ in pauses):.2f} s of the gaps "
            f"({spans}{more}); no data, nothing lost",
        )
    if meta.start_time_s:
        start = datetime.fromtimestamp(meta.start_time_s, tz=UTC)
        table.add_row("start", f"{start:%Y-%m-%d %H:%M:%S.%f} UTC ({meta.start_time_s:.3f})")
    table.add_row(
        "device",
        f"{meta.device}"
        + (f" ({meta.device_address})" if meta.device_address else "")
        + f", firmware {meta.firmware_version or '-'}, protocol {meta.protocol_version or '-'}",
    )
    if meta.acc_range_g is not None or meta.gyr_range_dps is not None:
        table.add_row(
            "ranges",
            f"acc ±{_fmt(meta.acc_range_g, 'g', ' g')}, "
            f"gyro ±{_fmt(meta.gyr_range_dps, 'g', ' deg/s')}",
        )
    else:
        table.add_row("ranges", "unknown")
    if meta.clock.offset_s or meta.clock.drift_ppm:
        table.add_row(
            "clock", f"offset {meta.clock.offset_s:.6f} s, drift {meta.clock.drift_ppm:g} ppm"
        )
    table.add_row(
        "who/what",
        f"participant {meta.participant or '-'}, exercise {meta.exercise or '-'}, "
        f"tempo {meta.tempo or '-'}",
    )
    if meta.source:
        table.add_row("source", meta.source)
    for i, a in enumerate(meta.annotations):
        extra = "".join(
            f", {k} {v}"
            for k, v in (("exercise", a.exercise), ("set", a.set))
            if v is not None and f"{k} {v}" not in a.label  # the label may already say it
        )
        table.add_row(
            "annotations" if i == 0 else "",
            f"[{a.start_s:.2f}, {a.end_s:.2f}) s {a.label}{extra}",
        )
    for i, (k, v) in enumerate(sorted(meta.notes.items())):
        table.add_row("notes" if i == 0 else "", f"{k}: {v}")
    g = s.gravity
    table.add_row(
        "|acc|",
        f"median {_fmt(s.acc_magnitude_median, '.3f')}, min {_fmt(s.acc_magnitude_min, '.3f')}, "
        f"max {_fmt(s.acc_magnitude_max, '.3f')} m/s^2; at rest {_fmt(g.magnitude, '.3f')} "
        f"m/s^2 ({g.method}, {g.n_samples} samples; expect 9.81)",
    )
    if s.rest_change is not None:
        c = s.rest_change
        table.add_row(
            "WARNING",
            f"|acc| at rest changes at sample {c.index} "
            f"({c.index / s.sampling_rate_hz:.2f} s) from {c.before:.4g} to {c.after:.4g} "
            "m/s^2: the recording mixes units",
        )
    if g.method != "still" and s.acc_lag1_correlation < NOISE_MAX_LAG1_CORR:
        table.add_row(
            "WARNING",
            "no still moment and successive samples barely correlate "
            f"({s.acc_lag1_correlation:.2f}): it looks like random noise",
        )
    table.add_row(
        "|gyro|",
        f"median {_fmt(s.gyr_norm_median_rad_s, '.3f')}, 95% "
        f"{_fmt(s.gyr_norm_p95_rad_s, '.3f')}, max {_fmt(s.gyr_norm_max_rad_s, '.3f')} rad/s "
        f"(max {_fmt(math.degrees(s.gyr_norm_max_rad_s), '.0f')} deg/s)",
    )
    return table


def _channels(summary: RecordingSummary) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    for name in ("channel", "unit", "min", "max", "mean", "std"):
        table.add_column(name, justify="left" if name in ("channel", "unit") else "right")
    for c in summary.channels:
        table.add_row(c.name, c.unit, *(_fmt(v, ".4g") for v in (c.min, c.max, c.mean, c.std)))
    return table
