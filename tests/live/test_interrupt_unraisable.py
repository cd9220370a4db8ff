"""A Ctrl-C that lands where Python cannot raise it is kept, not printed as a traceback."""

from __future__ import annotations

import gc
import sys

import pytest

from imu.live.session import InterruptHold


class _RaisesOnDelete:
    def __del__(self) -> None:
        raise KeyboardInterrupt  # as the handler does when a Ctrl-C lands in a finalizer


def test_a_ctrl_c_in_a_finalizer_is_kept_for_the_next_step(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Before, "Exception ignored in: … KeyboardInterrupt" and a traceback reached stderr
    at the end of a live session, and the Ctrl-C was lost."""
    before = sys.unraisablehook
    with InterruptHold("live") as hold:
        hold.hold()
        hold.release()
        obj = _RaisesOnDelete()
        del obj
        gc.collect()
        assert hold.interrupted
    assert "Exception ignored" not in capsys.readouterr().err
    assert sys.unraisablehook is before  # put back on leaving


def test_other_unraisable_errors_still_reach_the_previous_hook() -> None:
    seen: list[type[BaseException] | None] = []

    def hook(unraisable: object) -> None:
        seen.append(getattr(unraisable, "exc_type", None))

    before = sys.unraisablehook
    sys.unraisablehook = hook
    try:
        with InterruptHold("live") as hold:
            hold.hold()

            class _Fails:
                def __del__(self) -> None:
                    raise ValueError("boom")

            obj = _Fails()
            del obj
            gc.collect()
            assert not hold.interrupted
        assert seen == [ValueError]
    finally:
        sys.unraisablehook = before
