"""Benchmark: sustained 833 Hz streaming through the Bumble link, decode and analysis.

Prints (never asserts):
- CPU seconds per second of data for the whole stack in one process (virtual sensor, two
  Bumble controllers on an in-process link, bleak client, decode, recorder, RepAnalyzer),
  and for the host side alone (decode + recorder + analyzer with phase cues, measured separately);
- latency from the notification that completed a rep to the rep event, ms.

Run: .venv/bin/python benchmarks/live_stream.py [--seconds 60] [--mtu 247]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from firmware_protocol.frames import encode_stream
from firmware_protocol.virtual_sensor import Faults, SampleSource
from imu.ble.client import StreamConfig
from imu.ble.sim import sim_bench
from imu.core.analyzer import RepAnalyzer
from imu.exercises import get_profile
from imu.io.recorders.base import StreamHeader
from imu.io.recorders.hip import StreamRecorder
from imu.live.events import RepDone
from imu.live.sources.virtual import run_session_on_bench
from imu.sim import SessionSpec, simulate_session
from imu.tempo import parse_tempo


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60.0, help="data to stream, s")
    ap.add_argument("--mtu", type=int, default=247)
    args = ap.parse_args()
    reps = max(3, int(args.seconds / 7))
    sim = simulate_session(SessionSpec("reverse-crunch", tempo=parse_tempo("2-1-2"), reps=reps,
                                       sets=1, seed=1, sampling_rate_hz=833,
                                       acc_range_g=8, gyr_range_dps=500))
    rec = sim.recording
    data_s = rec.duration_s
    source = SampleSource.from_si(rec.acc, rec.gyr, 833)
    profile = get_profile("reverse-crunch")
    config = StreamConfig(833, 8, 500, mtu=args.mtu)
    events: list[object] = []

    async def run() -> object:
        async with sim_bench(source, speed=1.0, faults=Faults(max_mtu=args.mtu)) as bench:
            return await run_session_on_bench(bench, profile=profile, config=config,
                                              listener=events.append)

    cpu0, wall0 = time.process_time(), time.perf_counter()
    result = asyncio.run(run())
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    lat = [1e3 * (e.emitted_s - e.received_s) for e in events if isinstance(e, RepDone)]

    # Host side alone: the same frames through decode + recorder + analyzer.
    payloads = encode_stream(source.counts(8, 500)[0], mtu=args.mtu, sampling_rate_hz=833)
    recorder = StreamRecorder(StreamHeader(833, 8, 500))
    analyzer = RepAnalyzer(profile, 833, phase_cues=True)  # as the live session runs it
    per = 44 // 4 or 1  # about what one consumer wake-up sees at 833 Hz
    c0 = time.process_time()
    for i in range(0, len(payloads), per):
        chunk = payloads[i : i + per]
        block = recorder.frames([i * 0.001] * len(chunk), chunk)
        analyzer.update(block.acc, block.gyr)
    analyzer.finish()
    host_cpu = time.process_time() - c0

    print(f"833 Hz, MTU {args.mtu}: {data_s:.0f} s of data, {len(result.reps)} reps")
    print(f"whole stack (sensor + 2 Bumble controllers + bleak + decode + analysis, one process): "
          f"{cpu / data_s:.3f} CPU s per s of data, wall {wall:.1f} s")
    print(f"host side only (decode + recorder + analyzer): {host_cpu / data_s:.4f} CPU s per s")
    if lat:
        print(f"notification -> rep event latency: median {statistics.median(lat):.2f} ms, "
              f"max {max(lat):.2f} ms over {len(lat)} reps")


if __name__ == "__main__":
    main()
