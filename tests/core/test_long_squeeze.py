"""A prescribed squeeze longer than the analyzer's old 30 s limit on a top hold.

Found in review: a pelvic-tilt drill at 2-40-2 found no rep at all, since a concentric with
no lowering for 30 s was abandoned whatever the prescription.
"""

from imu.core import RepAnalyzer
from imu.evaluate.sessions import stream_reps
from imu.exercises import get_profile
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo


def test_reps_with_a_40_s_squeeze_are_found_when_it_is_prescribed() -> None:
    tempo = parse_tempo("2-40-2")
    rec = simulate_session(
        SessionSpec("pelvic-tilt", tempo=tempo, reps=3, sets=1, seed=2)
    ).recording
    analyzer = RepAnalyzer(get_profile("pelvic-tilt"), rec.sampling_rate_hz, tempo)
    reps = stream_reps(analyzer, rec.acc, rec.gyr, 20)
    assert len(reps) == 3
    assert all(35.0 < r.top_hold_s < 45.0 for r in reps)
