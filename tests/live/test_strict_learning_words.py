"""A standing strict lift's learning phase and sensor-back note speak of hip drives, not reps.

The screens told a standing strict lift (curl, press) by its hip drives once its axis was
learned, but before that they still gave the general words: "counting starts once your
movement is clear, after 2-3 reps ...; every rep is counted then" under LEARNING (page and
full-screen panel), "reps: counted once learned" under the panel's "-", and after a link loss
"sensor back: 8 s lost, reps done then were not counted" (and "1 rep across it counted"),
where the lost alarm itself already said "hip drives now are not counted". Now every one of
them speaks of hip drives, and the other exercises keep their words.
"""

from __future__ import annotations

import io

from rich.console import Console

from imu.core.metrics import TempoTolerance
from imu.exercises import get_profile
from imu.live.events import (
    STRICT_HINTS,
    Connected,
    Disconnected,
    PhaseChanged,
    RepDone,
    learning_hint,
    lost_words,
)
from imu.live.views import PlainView, RichView
from imu.live.web.state import CoachingState
from imu.tempo import parse_tempo
from tests.live.test_sensor_back_note import LOSS_AT, LOST, _progress, page_after_loss
from tests.live.web_support import SENSOR, ManualClock
from tests.report.helpers import make_rep

STRICT = get_profile("standing-curl")
CRUNCH = get_profile("reverse-crunch")
TEMPO = parse_tempo("2-0-2")
REP_WORDS = ("2-3 reps", "every rep", "reps:", "reps done")
"""The general words, which a strict lift's learning and sensor-back words never use."""
HIP_AXIS = "hip drives are counted once the hip's axis is learned"


def _no_rep_words(text: str) -> None:
    assert not any(words in text for words in REP_WORDS), text


def _screen(view: RichView, width: int = 220) -> str:
    buf = io.StringIO()
    Console(file=buf, width=width, soft_wrap=True).print(view.render())
    inner = [line.strip().strip("│╭╮╰╯─ ").strip() for line in buf.getvalue().splitlines()]
    return " ".join(" ".join(part for part in inner if part).split())


def test_the_learning_words_of_a_strict_lift_speak_of_hip_drives() -> None:
    hint = learning_hint(STRICT)
    assert HIP_AXIS in hint, hint
    _no_rep_words(hint)
    assert STRICT_HINTS["learning"] == hint
    assert learning_hint(get_profile("standing-press")) == hint
    assert "after 2-3 reps" in learning_hint(CRUNCH)  # the others keep theirs


def test_the_page_while_learning_a_strict_lift() -> None:
    state = CoachingState(STRICT.title, TEMPO, clock=lambda: 100.0, profile=STRICT)
    state.apply(Connected(SENSOR, reconnect=False))
    state.apply(PhaseChanged("learning"))
    phase = state.snapshot()["phase"]
    assert phase["key"] == "learning"
    assert HIP_AXIS in phase["hint"], phase["hint"]
    _no_rep_words(phase["hint"])
    # Found by its title alone, as the page is started for an exercise name.
    by_title = CoachingState(STRICT.title, TEMPO, clock=lambda: 100.0)
    by_title.apply(Connected(SENSOR, reconnect=False))
    by_title.apply(PhaseChanged("learning"))
    assert by_title.snapshot()["phase"]["hint"] == phase["hint"]


def test_the_panel_while_learning_a_strict_lift() -> None:
    view = RichView(Console(file=io.StringIO()), TEMPO, TempoTolerance(), False, STRICT,
                    speed=1.0, clock=ManualClock())
    view(Connected(SENSOR, reconnect=False))
    view(PhaseChanged("learning"))
    view(_progress(25.0))
    text = _screen(view)
    assert "hip drives: counted once learned" in text, text
    assert HIP_AXIS in text, text
    _no_rep_words(text)
    crunch = RichView(Console(file=io.StringIO()), parse_tempo("3-1-3"), TempoTolerance(),
                      False, CRUNCH, speed=1.0, clock=ManualClock())
    crunch(Connected(SENSOR, reconnect=False))
    crunch(PhaseChanged("learning"))
    crunch(_progress(25.0))
    assert "reps: counted once learned" in _screen(crunch)


def test_the_sensor_back_words_of_a_strict_lift() -> None:
    assert lost_words(8.0, drive=True) == "sensor back: 8 s lost, hip drives then were not counted"
    assert lost_words(8.0, across=1, drive=True) == (
        "sensor back: 8 s lost, 1 hip drive across it counted, not judged")
    assert lost_words(8.0, across=2, drive=True) == (
        "sensor back: 8 s lost, 2 hip drives across it counted, not judged")
    assert lost_words(8.0) == "sensor back: 8 s lost, reps done then were not counted"


BACK = "sensor back: 8 s lost, hip drives then were not counted"
ACROSS = "sensor back: 8 s lost, 1 hip drive across it counted, not judged"
SPANNING = make_rep(1, 1, 18.5, swing=True, tempo_ok=False, in_gap=True)


def test_the_page_says_hip_drives_after_a_link_loss() -> None:
    clock = ManualClock()
    state = page_after_loss(CoachingState(STRICT.title, TEMPO, clock=clock, profile=STRICT),
                            clock)
    assert state.snapshot()["link"]["back"]["text"] == BACK
    state.apply(RepDone(SPANNING, 0.0, 0.0))
    assert state.snapshot()["link"]["back"]["text"] == ACROSS


def test_the_panel_says_hip_drives_after_a_link_loss() -> None:
    clock = ManualClock()
    view = RichView(Console(file=io.StringIO()), TEMPO, TempoTolerance(), False, STRICT,
                    speed=1.0, clock=clock)
    for event in (Connected(SENSOR, reconnect=False), _progress(20.0),
                  Disconnected(LOSS_AT)):
        view(event)
    clock.now += 8.0
    view(Connected(SENSOR, reconnect=True))
    view(_progress(29.0, lost=LOST))
    assert BACK in _screen(view)
    view(RepDone(SPANNING, 0.0, 0.0))
    text = _screen(view)
    assert ACROSS in text and BACK not in text


def test_the_plain_lines_say_hip_drives_at_a_link_loss() -> None:
    buf = io.StringIO()
    view = PlainView(Console(file=buf, width=300), TEMPO, TempoTolerance(), bell=False,
                     profile=STRICT)
    view(_progress(20.0))
    view(Disconnected(LOSS_AT))
    view(_progress(29.0, lost=LOST))
    lines = buf.getvalue().splitlines()
    assert lines[-2].startswith("SENSOR LOST at 20.0 s: reconnecting; hip drives now are not "
                                "counted"), lines
    assert lines[-1] == BACK
