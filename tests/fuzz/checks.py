"""What every recording a reader returns must satisfy, however damaged its file was."""

from __future__ import annotations

import math

import numpy as np

from imu.frames import STANDARD_GRAVITY
from imu.io.load import LoadedRecording
from imu.io.repairs import REPAIRS_NOTE


def assert_sane(loaded: LoadedRecording) -> None:
    """Samples outside gaps are finite and within any sensor's full scale; gaps are NaN.

    The repairs in the report are the ones stored in the recording's notes.
    """
    rec = loaded.recording
    in_gap = np.zeros(rec.n_samples, dtype=bool)
    for g in rec.meta.gaps:
        assert 0 <= g.start < g.end <= rec.n_samples
        in_gap[g.start : g.end] = True
    both = np.hstack([rec.acc, rec.gyr])
    assert np.all(np.isnan(both[in_gap]))
    good = both[~in_gap]
    assert np.all(np.isfinite(good)), "a NaN or inf sample outside the listed gaps"
    assert np.all(np.abs(good[:, :3]) <= 64 * STANDARD_GRAVITY * 1.0001)
    assert np.all(np.abs(good[:, 3:]) <= math.radians(8000) * 1.0001)
    assert rec.sampling_rate_hz > 0
    if loaded.repairs:
        assert loaded.repairs.line().startswith(loaded.repairs.source)
        assert rec.meta.notes.get(REPAIRS_NOTE, "").endswith(loaded.repairs.text())
