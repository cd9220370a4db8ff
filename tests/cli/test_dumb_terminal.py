"""On a terminal that cannot redraw (TERM=dumb: Emacs' shell, IDE consoles) the live and
replay screens fall back to plain lines: the redrawn screen showed nothing there until the
session ended (trial 20)."""

from __future__ import annotations

import argparse
import io

import pytest
from rich.console import Console

import imu.cli.live as live_cli
from imu.exercises import get_profile
from imu.live.views import PlainView, RichView


def _view(monkeypatch: pytest.MonkeyPatch, term: str, plain: bool = False) -> object:
    monkeypatch.setenv("TERM", term)
    monkeypatch.setattr(live_cli.sys.stdout, "isatty", lambda: True, raising=False)
    out = Console(file=io.StringIO(), force_terminal=True)
    args = argparse.Namespace(plain=plain, bell=False, speed=1.0, sim=None)
    profile = get_profile("reverse-crunch")
    return live_cli.make_view(args, out, profile, profile.default_tempo)


def test_a_dumb_terminal_gets_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(_view(monkeypatch, "dumb"), PlainView)


def test_a_terminal_that_redraws_gets_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(_view(monkeypatch, "xterm-256color"), RichView)
    assert isinstance(_view(monkeypatch, "xterm-256color", plain=True), PlainView)
