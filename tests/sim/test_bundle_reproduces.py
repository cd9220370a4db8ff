"""The bundled recordings are what ``make recordings`` makes: the simulator's output, today.

The standing curl's default tempo changed in the simulator (2-1-2 -> 2-0-2) and the bundled
file kept the old one, so its truth no longer matched what the simulator made; the bundled
files also predated the page checksums every recording now carries.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imu.errors import RecordingError
from imu.io.recording import read_recording
from imu.sim.bundle import main
from tests.io.helpers import damage_acc_x_page

BUNDLED = Path(__file__).resolve().parents[2] / "recordings"


def test_the_bundled_recordings_are_the_simulators_output(tmp_path: Path) -> None:
    assert main([str(tmp_path)]) == 0
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in BUNDLED.iterdir())
    for name in made:
        ours, theirs = BUNDLED / name, tmp_path / name
        if name.endswith(".parquet"):
            a, b = read_recording(ours), read_recording(theirs)
            assert a.meta == b.meta, name
            np.testing.assert_array_equal(a.acc, b.acc, err_msg=name)
            np.testing.assert_array_equal(a.gyr, b.gyr, err_msg=name)
            _damage_is_found(ours, tmp_path / f"damaged-{name}")
        else:
            assert ours.read_text() == theirs.read_text(), name


def _damage_is_found(path: Path, copy: Path) -> None:
    """Written with page checksums, as every recording is: a flipped byte is found on read."""
    damage_acc_x_page(path, copy)
    with pytest.raises(RecordingError, match="does not match its checksum"):
        read_recording(copy)
