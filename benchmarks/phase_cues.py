"""Benchmark: how late the live phase cues come, and whether they match the reps.

Simulated sessions are streamed in 50 ms frames (as our sensor sends them) through a
:class:`imu.core.RepAnalyzer` with ``phase_cues=True``. For every true rep after the axis lock
(the first reps of a session have no cues: they are reported at the lock) each phase start is
matched to the cue of that phase whose ``at_s`` lies within 0.4 s of it. Printed per exercise
(never asserted):

- delay, ms: ``emitted_at_s`` (newest sample when the cue was told) minus the true phase
  start (concentric start, top reached, eccentric start, rep end); median and p90;
- missed: true phase starts with no cue; extra: cues matching no true phase start;
- ``at_s`` error: median |at_s - truth|, ms;
- the "slower" cue: share of reps whose true eccentric is too fast for the tempo tolerance
  that got it before their eccentric ended, and cues on reps whose eccentric is on tempo or
  slow;
- rep events: delay of the authoritative rep (the table row) after the eccentric ended, for
  comparison.

Exercises where the pelvis moves through the rep (the standing curl's pelvis should stay
still, and a plank is a hold: neither has phase cues), and the hanging leg raise with the
whole body swinging from the bar (``hanging-leg-raise+pendulum``).

Run: .venv/bin/python benchmarks/phase_cues.py [--seeds 1-20] [--exercise reverse-crunch ...]
The seeds default to a held-out range (70000-70019) that was not used while tuning the cues.
"""

from __future__ import annotations

import argparse

import numpy as np

from imu.core.analyzer import RepAnalyzer
from imu.core.phases import PaceWarning, PhaseCue
from imu.exercises import get_profile
from imu.sim import SessionSpec, simulate_session
from imu.sim.exercises import EXERCISE_MODELS

PHASE_TRUTH = {
    "concentric": "con_start_s",
    "top_hold": "con_end_s",
    "eccentric": "ecc_start_s",
    "bottom_pause": "ecc_end_s",
}
EXERCISES = (
    "reverse-crunch",
    "reverse-hip-raise",
    "pelvic-tilt",
    "hanging-leg-raise",
    "hanging-leg-raise+pendulum",
    "leg-raise",
    "dead-bug",
)
MATCH_S = 0.4
FRAME_S = 0.05
"""Our sensor sends a frame at least every 50 ms (firmware_protocol/SPEC.md, 2.6)."""


def _seeds(text: str) -> list[int]:
    lo, _, hi = text.partition("-")
    return list(range(int(lo), int(hi or lo) + 1))


def run_one(case: str, seed: int) -> dict[str, list[float]]:
    """Stream one simulated session; returns lists of figures keyed by name.

    ``case`` is an exercise, or ``hanging-leg-raise+pendulum`` for a body swinging from the bar.
    """
    exercise, _, variant = case.partition("+")
    wanted = {"dropped_eccentric": 0.3, "swing": 0.1, "partial_rom": 0.1, "short_hold": 0.1}
    allowed = EXERCISE_MODELS[exercise].faults
    faults = {k: v for k, v in wanted.items() if k in allowed}
    spec = SessionSpec(exercise, seed=seed, sets=2, faults=faults, sampling_rate_hz=104,
                       body_pendulum=variant == "pendulum")
    sim = simulate_session(spec)
    rec = sim.recording
    fs = rec.sampling_rate_hz
    analyzer = RepAnalyzer(get_profile(exercise), fs, sim.spec.tempo, phase_cues=True)
    cues: list[PhaseCue | PaceWarning] = []
    lock_s = None
    rep_delay: list[float] = []
    chunk = max(1, round(FRAME_S * fs))
    for i in range(0, rec.n_samples, chunk):
        reps = analyzer.update(rec.acc[i : i + chunk], rec.gyr[i : i + chunk])
        now = (min(i + chunk, rec.n_samples) - 1) / fs
        if lock_s is None and analyzer.locked_axis_ is not None:
            lock_s = now
        for rep in reps:
            if lock_s is not None and rep.con_start_s > lock_s:
                rep_delay.append(now - rep.ecc_end_s)
        cues += analyzer.pop_cues()
    analyzer.finish()
    cues += analyzer.pop_cues()
    truth = sim.truth
    out: dict[str, list[float]] = {f"delay_{p}": [] for p in PHASE_TRUTH}
    out.update({f"missed_{p}": [] for p in PHASE_TRUTH})
    out.update({f"error_{p}": [] for p in PHASE_TRUTH})
    out["rep_delay"] = rep_delay
    out["slower_hit"], out["slower_false"] = [], []
    if lock_s is None:
        return out
    later = truth[truth.con_start_s > lock_s + 0.5]
    used: set[int] = set()
    phase_cues = [c for c in cues if isinstance(c, PhaseCue)]
    for phase, column in PHASE_TRUTH.items():
        mine = [(k, c) for k, c in enumerate(phase_cues) if c.phase == phase]
        for t in later[column].to_numpy():
            if not np.isfinite(t):
                continue
            near = [(abs(c.at_s - t), k, c) for k, c in mine if abs(c.at_s - t) <= MATCH_S]
            if not near:
                out[f"missed_{phase}"].append(1.0)
                continue
            _, k, c = min(near, key=lambda x: x[0])
            used.add(k)
            out[f"missed_{phase}"].append(0.0)
            out[f"delay_{phase}"].append(c.emitted_at_s - t)
            out[f"error_{phase}"].append(abs(c.at_s - t))
    first = later.con_start_s.min() if len(later) else np.inf
    out["extra"] = [
        1.0 for k, c in enumerate(phase_cues)
        if k not in used and c.at_s > first - 1.0
        and not (c.phase == "bottom_pause" and not c.rep_ended)
        and not (c.phase == "concentric" and _resumed(phase_cues, k))
    ]
    warnings = [c for c in cues if isinstance(c, PaceWarning)]
    tempo = analyzer.tempo
    tol = analyzer.params.tempo_tolerance
    too_fast = tempo.eccentric_s - tol.slack_s(tempo.eccentric_s)
    for _, row in later.iterrows():
        got = any(row.ecc_start_s - 0.2 <= w.emitted_at_s <= row.ecc_end_s for w in warnings)
        if row.eccentric_s < too_fast:
            out["slower_hit"].append(float(got))
        elif got:
            out["slower_false"].append(1.0)
    return out


def _resumed(cues: list[PhaseCue], k: int) -> bool:
    """A concentric cue after a cancelled start or a top: told twice for one rep."""
    return k > 0 and cues[k - 1].phase in ("top_hold", "bottom_pause")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="70000-70019", help="seed range, e.g. 1-20")
    ap.add_argument("--exercise", nargs="*", default=list(EXERCISES))
    args = ap.parse_args()
    print(f"{'exercise':26} {'phase':13} {'delay med':>9} {'p90':>6} {'missed':>7} "
          f"{'at err':>7}   (ms; 104 Hz in 50 ms frames, seeds {args.seeds})")
    for exercise in args.exercise:
        total: dict[str, list[float]] = {}
        for seed in _seeds(args.seeds):
            for key, values in run_one(exercise, seed).items():
                total.setdefault(key, []).extend(values)
        for phase in PHASE_TRUTH:
            d = np.array(total[f"delay_{phase}"]) * 1e3
            e = np.array(total[f"error_{phase}"]) * 1e3
            m = np.array(total[f"missed_{phase}"])
            if len(d) == 0:
                print(f"{exercise:26} {phase:13} no cues")
                continue
            print(f"{exercise:26} {phase:13} {np.median(d):9.0f} {np.percentile(d, 90):6.0f} "
                  f"{100 * m.mean():6.1f}% {np.median(e):7.0f}")
        rd = np.array(total["rep_delay"]) * 1e3
        hit = total["slower_hit"]
        print(f"{exercise:26} extra cues {len(total.get('extra', []))}; rep row after eccentric "
              f"end: median {np.median(rd):.0f} ms, p90 {np.percentile(rd, 90):.0f} ms; "
              f"'slower' on {sum(hit):.0f}/{len(hit)} too-fast eccentrics, "
              f"{len(total['slower_false'])} on others")


if __name__ == "__main__":
    main()
