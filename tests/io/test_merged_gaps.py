"""A stretch of missing data is one gap, however its pieces were found (new-user trial)."""

import numpy as np

from imu.io.load import merged_gaps, sanitize
from imu.io.recording import Gap, Recording, RecordingMeta


def test_nan_around_listed_gaps_is_one_gap() -> None:
    n = 1000
    acc = np.tile([0.0, 0.0, 9.81], (n, 1))
    gyr = np.zeros((n, 3))
    acc[:400] = np.nan
    gyr[:400] = np.nan
    acc[700:706] = np.nan
    gyr[700:706] = np.nan
    listed = (Gap(100, 106), Gap(250, 256), Gap(700, 706))  # lost frames, listed live
    rec = Recording(acc, gyr, RecordingMeta(sampling_rate_hz=100.0, gaps=listed))
    fixed, _ = sanitize(rec, "test")
    assert [(g.start, g.end) for g in fixed.meta.gaps] == [(0, 400), (700, 706)]
    assert fixed.meta.gaps[0].reason.startswith("missing values")


def test_merged_gaps_keeps_apart_what_does_not_touch_and_each_reason_once() -> None:
    gaps = merged_gaps((Gap(10, 20, "a"), Gap(0, 10, "b"), Gap(15, 30, "a"), Gap(31, 32, "c")))
    assert [(g.start, g.end, g.reason) for g in gaps] == [(0, 30, "b; a"), (31, 32, "c")]
