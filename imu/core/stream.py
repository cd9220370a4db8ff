"""Causal streaming building blocks whose output does not depend on how the input is chunked.

Each block keeps the state it needs between calls, so that processing a signal in one call or
in any sequence of smaller chunks gives *bit-identical* output. That is what lets one analyzer
serve the live stream (small chunks) and offline files (one big chunk). Floating-point sums
over windows are computed on integers (quantised far below sensor resolution), because a float
running sum depends on where it started.

All arrays are ``(m, c)``: m samples of c channels, float64.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter_zi

from imu.core import kernels

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class SosFilter:
    """Causal IIR filter in second-order sections, state carried across chunks.

    The state is initialised from the first sample (as if the signal had been constant before
    it), which removes the start-up transient. Each section runs as a compiled loop
    (:func:`imu.core.kernels.biquad`: direct form II transposed, the arithmetic of
    :func:`scipy.signal.lfilter` to the last bit), which costs far less per call than
    ``sosfilt`` on the small chunks of a live stream and half of ``lfilter`` on long ones.

    Args:
        sos: shape (n_sections, 6), e.g. from :func:`scipy.signal.butter` with ``output="sos"``.

    """

    def __init__(self, sos: FloatArray) -> None:
        self.sos = np.asarray(sos, dtype=np.float64)
        # Normalised so that a[0] == 1, as lfilter does (exact for butter's sections).
        self._sections = [(sec[:3] / sec[3], sec[3:] / sec[3]) for sec in self.sos]
        self._zi: list[FloatArray] | None = None

    def __call__(self, x: FloatArray) -> FloatArray:
        """Filter the next chunk ``x`` of shape (m, c); returns shape (m, c)."""
        if len(x) == 0:
            return x.copy()
        if self._zi is None:
            # Steady state for a constant input x[0]: each section passes its DC gain on.
            self._zi = []
            level = np.asarray(x[0], dtype=np.float64)
            for b, a in self._sections:
                self._zi.append(np.ascontiguousarray(lfilter_zi(b, a)[:, None] * level[None, :]))
                level = level * (b.sum() / a.sum())
        y = np.ascontiguousarray(x, dtype=np.float64)
        for k, (b, a) in enumerate(self._sections):
            out = np.empty_like(y)
            kernels.biquad(b, a, y, self._zi[k], out)
            y = out
        return y


class WindowRange:
    """Peak-to-peak (max - min) of each channel over the last ``window`` samples, causal.

    For the first samples of a stream the window holds what has arrived so far.
    """

    def __init__(self, window: int, n_channels: int) -> None:
        if window < 1:
            raise ValueError(f"window must be >= 1 sample, got {window}")
        self.window = window
        self._tail = np.empty((0, n_channels))

    def __call__(self, x: FloatArray) -> FloatArray:
        """Shape (m, c) in, shape (m, c) peak-to-peak out (same unit as ``x``)."""
        ext = self._extend(x)
        out = np.empty((len(x), ext.shape[1]))
        kernels.window_span(ext, len(ext) - len(x), self.window, out)
        return out

    def norm(self, x: FloatArray) -> FloatArray:
        """Shape (m, 3) in; the length of the vector of the 3 spans, shape (m,) out."""
        ext = self._extend(x)
        out = np.empty(len(x))
        kernels.window_span_norm(ext, len(ext) - len(x), self.window, out)
        return out

    def _extend(self, x: FloatArray) -> FloatArray:
        """The kept tail then ``x``, contiguous; keeps the last ``window - 1`` samples."""
        w = self.window
        ext = np.ascontiguousarray(np.concatenate((self._tail, x)), dtype=np.float64)
        self._tail = ext[max(0, len(ext) - (w - 1)) :] if w > 1 else ext[:0]
        return ext


class WindowMean:
    """Mean of each channel over the last ``window`` samples, causal and chunk-exact.

    Sums are taken over integers (the input quantised to ``resolution``), so the result is the
    same whatever the chunking. ``resolution`` must be far below the sensor's noise.
    """

    def __init__(self, window: int, n_channels: int, resolution: float = 1e-7) -> None:
        self.window = window
        self.resolution = resolution
        self._tail = np.empty((0, n_channels), dtype=np.int64)
        self._seen = 0  # samples so far

    def __call__(self, x: FloatArray) -> FloatArray:
        """Shape (m, c) in, shape (m, c) windowed mean out."""
        w = self.window
        q = np.empty(x.shape, dtype=np.int64)
        out = np.empty(x.shape)
        kernels.window_mean(np.ascontiguousarray(x, dtype=np.float64), self.resolution,
                            self._tail, w, self._seen, q, out)
        self._seen += len(q)
        ext = np.concatenate((self._tail, q)) if len(self._tail) else q
        self._tail = np.ascontiguousarray(ext[max(0, len(ext) - (w - 1)) :])
        return out


class GapFiller:
    """Fills NaN runs in a stream: short ones by linear interpolation, long ones held.

    A NaN run of at most ``max_interp`` samples is interpolated on a line from either side:
    the edge sample where the side's ``edge_n`` valid samples move one way, their mean where
    they shake (:func:`kernels.fill_runs`), so the output waits for those after the run (the
    chunk is released up to the run; a short run is held back until ``edge_n`` valid
    samples, or another run, follow it). A longer run
    is released immediately, with the last valid value held in every channel, and flagged.
    A run at the very start of the stream, before any valid sample, is held back (as a count)
    until the first valid sample, whose value it then holds, flagged: whatever the chunking
    (a stream that never has a valid sample is released as zeros at the end).

    Call :meth:`__call__` per chunk and :meth:`flush` at the end of the stream.
    """

    def __init__(self, max_interp: int, n_channels: int, edge_n: int = 1) -> None:
        if edge_n < 1:
            raise ValueError(f"edge_n must be >= 1, got {edge_n}")
        self.max_interp = max_interp
        self.edge_n = edge_n
        self._pending = np.empty((0, n_channels))
        self._last: FloatArray | None = None
        self._hist = np.empty((0, n_channels))  # valid samples just released, no gap among
        self._in_long_gap = False
        self._lead = 0  # missing samples before the first valid one, held back

    def __call__(self, x: FloatArray) -> tuple[FloatArray, BoolArray]:
        """Shape (m, c) in; returns the released samples (k, c) and a (k,) long-gap flag."""
        if self._last is None and not len(self._pending):
            missing = np.isnan(x).any(axis=1)
            if missing.all():  # nothing valid yet: wait for the first valid sample
                self._lead += len(x)
                return np.empty((0, x.shape[1])), np.zeros(0, dtype=bool)
            first = int(np.argmin(missing))
            if self._lead + first:
                n_head, self._lead = self._lead + first, 0
                head = np.repeat(np.asarray(x[first : first + 1], dtype=np.float64), n_head,
                                 axis=0)
                out, flags = self(x[first:])
                return (np.concatenate((head, out)),
                        np.concatenate((np.ones(n_head, dtype=bool), flags)))
        ext = np.concatenate((self._pending, x))
        nan = np.asarray(np.isnan(ext).any(axis=1), dtype=bool)
        if len(ext) == 0:
            return ext, np.zeros(0, dtype=bool)
        # Hold back a trailing NaN run unless it is already long (then it is a long gap).
        if nan[-1]:
            valid_idx = np.flatnonzero(~nan)
            run_start = int(valid_idx[-1]) + 1 if len(valid_idx) else 0
            run_len = len(ext) - run_start
            already_long = self._in_long_gap and run_start == 0
            if run_len <= self.max_interp and not already_long:
                out, flags = self._fill(ext[:run_start], nan[:run_start])
                self._pending = ext[run_start:]
                return out, flags
        elif self.edge_n > 1 and nan.any():
            # Hold back the last run while fewer than edge_n valid samples follow it: its
            # line needs them (a long run is not bridged, and released at once).
            run_end = int(np.flatnonzero(nan)[-1]) + 1
            if len(ext) - run_end < self.edge_n:
                valid_before = np.flatnonzero(~nan[:run_end])
                run_start = int(valid_before[-1]) + 1 if len(valid_before) else 0
                already_long = self._in_long_gap and run_start == 0
                if run_end - run_start <= self.max_interp and not already_long:
                    out, flags = self._fill(ext[:run_start], nan[:run_start])
                    self._pending = ext[run_start:]
                    return out, flags
        out, flags = self._fill(ext, nan)
        self._pending = ext[:0]
        return out, flags

    def flush(self) -> tuple[FloatArray, BoolArray]:
        """Release whatever is held back (a trailing NaN run is held at the last value)."""
        if self._lead:  # the stream never had a valid sample
            n, self._lead = self._lead, 0
            return np.zeros((n, self._pending.shape[1])), np.ones(n, dtype=bool)
        ext = self._pending
        self._pending = ext[:0]
        self._in_long_gap = True  # a trailing run at the end can only be held, not bridged
        nan = np.asarray(np.isnan(ext).any(axis=1), dtype=bool)
        return self._fill(ext, nan, end_of_stream=True)

    def _fill(
        self, x: FloatArray, nan: BoolArray, end_of_stream: bool = False
    ) -> tuple[FloatArray, BoolArray]:
        flags = np.zeros(len(x), dtype=bool)
        if not nan.any():
            if len(x):
                self._last = x[-1].copy()
                self._in_long_gap = False
                if self.edge_n > 1:
                    self._keep_history(x, None)
            return x, flags  # nothing to fill: no copy
        out = np.array(x, dtype=np.float64, order="C")
        last = self._last if self._last is not None else np.zeros(out.shape[1])
        hist = self._hist if self._last is not None else self._hist[:0]
        kernels.fill_runs(out, np.ascontiguousarray(nan), last, self._last is not None,
                          self._in_long_gap, self.max_interp, flags,
                          np.ascontiguousarray(hist), self.edge_n)
        self._in_long_gap = bool(nan[-1]) and not end_of_stream
        if not nan[-1]:
            self._in_long_gap = False
        self._last = out[-1].copy()
        self._keep_history(x, nan)
        return out, flags

    def _keep_history(self, x: FloatArray, nan: BoolArray | None) -> None:
        """Keep the last ``edge_n`` valid samples released, back to the last gap.

        ``nan``: the rows of ``x`` that were missing; None when none were.
        """
        if self.edge_n <= 1:
            return
        gaps = np.flatnonzero(nan) if nan is not None else np.empty(0, dtype=np.intp)
        if len(gaps):
            self._hist = np.array(x[gaps[-1] + 1 :][-self.edge_n :], dtype=np.float64)
        elif len(x) >= self.edge_n:
            self._hist = np.array(x[-self.edge_n :], dtype=np.float64)
        else:
            joined = np.concatenate((self._hist, np.asarray(x, dtype=np.float64)))
            self._hist = joined[-self.edge_n :]
