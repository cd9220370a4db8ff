"""``--tempo 3/1/3``: the numbers are right, the separator is not; say how to write it.

The trial: ``--tempo 3/1/3`` said "has 1 part(s)", which does not tell what is wrong.
"""

from __future__ import annotations

import pytest

from imu.cli import main
from imu.tempo import TempoError, parse_tempo


@pytest.mark.parametrize(
    ("text", "written"),
    [("3/1/3", "3-1-3"), ("3.1.3", "3-1-3"), ("3 1 3", "3-1-3"), ("3,1,3", "3-1-3"),
     ("3:1:3", "3-1-3"), ("3/1/3/1", "3-1-3-1"), ("1.5/0.5/3", "1.5-0.5-3"),
     ("3/1-3-1", "3-1-3-1"), ("3_1_3", "3-1-3")],
)
def test_another_separator_is_named(text: str, written: str) -> None:
    with pytest.raises(TempoError) as info:
        parse_tempo(text)
    message = str(info.value)
    assert f"write it with '-' between the numbers, e.g. {written}" in message
    assert "part(s)" not in message


@pytest.mark.parametrize(
    ("text", "written"),
    [("3,5-1-3", "3.5-1-3"), ("3.5-1-3,5", "3.5-1-3.5"), ("2,5-1-2,5", "2.5-1-2.5"),
     ("3-1-3-0,5", "3-1-3-0.5")],
)
def test_a_decimal_comma_is_named(text: str, written: str) -> None:
    """Trial 21: '3,5-1-3' was told to be written 3-5-1-3, another tempo; '2,5-1-2,5' was
    "not numeric"."""
    with pytest.raises(TempoError) as info:
        parse_tempo(text)
    assert f"write decimals with a point, not a comma, e.g. {written}" in str(info.value)


@pytest.mark.parametrize("text", ["3-1-3", "3 - 1 - 3", "3\u20131\u20133", "1.5-0.5-3"])
def test_dashes_still_parse(text: str) -> None:
    assert str(parse_tempo(text)) in ("3-1-3", "1.5-0.5-3")


@pytest.mark.parametrize("text", ["3010", "45", "3-1", "0-45-0", "abc"])
def test_other_mistakes_keep_their_own_advice(text: str) -> None:
    with pytest.raises(TempoError) as info:
        parse_tempo(text)
    assert "between the numbers" not in str(info.value)


def test_at_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    assert main(["analyze", "x.parquet", "--tempo", "3/1/3", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "write it with '-' between the numbers, e.g. 3-1-3" in err
