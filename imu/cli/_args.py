"""Argument types shared by every command (light imports only: ``imu --help`` loads this)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NoReturn

from imu.errors import ImuError
from imu.tempo import parse_tempo
from imu.text import count, uncertain_note

__all__ = [
    "TEMPO_HELP",
    "TEMPO_OPTIONS",
    "OneLineParser",
    "UsageError",
    "count",
    "exercise_spelling",
    "file_arg",
    "folder_arg",
    "input_arg",
    "join_dash_values",
    "out_dir_arg",
    "tempo_text",
    "tolerance_fraction",
    "uncertain_note",
]

TEMPO_OPTIONS: tuple[str, ...] = ("--tempo",)
"""Options whose value is a tempo (``U-H-D``); see :func:`join_dash_values`."""

_TEMPO_LIKE = re.compile(r"^-[0-9.eE+]*(-[0-9.eE+]*)+$")
"""A value such as ``-1-1-1`` that argparse would take for an option."""

TEMPO_HELP = 'prescribed tempo "up-hold-down" seconds, e.g. 3-1-3 (optionally -PAUSE: 3-1-3-1)'


def tempo_text(text: str) -> str:
    """The argparse type of ``--tempo``: check ``text``, return it as ``"U-H-D"``.

    The value stays a string (normalised, e.g. ``"3-1-3"``) so commands pass it on as they
    would a recording's own ``meta.tempo``.

    Raises:
        argparse.ArgumentTypeError: not a tempo; the message names the value and the form.

    """
    try:
        return str(parse_tempo(text))
    except ImuError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def tolerance_fraction(text: str) -> float:
    """The argparse type of ``--tempo-tolerance``: a fraction in (0, 1].

    ``nan``, ``inf``, zero, negative values and values above 1 are refused (a tolerance of
    ``inf`` would pass every phase, ``0`` none).

    Raises:
        argparse.ArgumentTypeError: not a number, or not in (0, 1]; the message names the
            value.

    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 1:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a fraction in (0, 1], got {text!r}")
    return value


def exercise_spelling(text: str, names: Iterable[str]) -> str:
    """``text`` as the one of ``names`` it spells, else ``text`` unchanged (for the error).

    Case, surrounding blanks and ``_``, ``-`` or a blank between words do not matter, as
    for the analysis' profiles (:func:`imu.exercises.profile_name`): ``Reverse_Crunch`` is
    ``reverse-crunch``.
    """
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    return key if key in set(names) else text


def folder_arg(example: str = "--out out/x") -> Callable[[str], Path]:
    """An argparse type for an output folder that refuses an empty name.

    ``Path("")`` is the current folder: ``--out ''`` (an unset shell variable) wrote a whole
    cohort or a report set there silently, or made a command look for its inputs in the
    wrong place. Refused in one line that names an example.

    Args:
        example: how a good value is written for this command, e.g. ``"--out out/x"``.

    """
    here = f"{example.split()[0]} ." if example.startswith("-") else "."

    def folder(text: str) -> Path:
        if not text.strip():
            raise argparse.ArgumentTypeError(
                f"{text!r} names no folder; give one, e.g. {example} ({here} for the current "
                "folder)"
            )
        return Path(text)

    folder.__name__ = "folder"
    return folder


def file_arg(text: str) -> Path:
    """An argparse type for an input file that refuses an empty name.

    ``Path("")`` is the current folder: ``imu info ""`` (an unset shell variable) searched
    the folder for a phone export and named some other file in it, ``imu recover ""`` ended
    in a traceback.

    Raises:
        argparse.ArgumentTypeError: the name is empty or blank.

    """
    if not text.strip():
        raise argparse.ArgumentTypeError(f"{text!r} names no file; give the file's path")
    return Path(text)


def input_arg(text: str) -> str:
    """An argparse type for an input of ``imu batch``, ``progress`` and ``export-bids``.

    A file, a folder or a quoted glob; an empty name is refused: ``""`` (an unset shell
    variable) searched the current folder for recordings, and its note offered the glob
    ``/*.csv``, the root's CSV files.

    Raises:
        argparse.ArgumentTypeError: the name is empty or blank.

    """
    if not text.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} names no file or folder; give one (. for the current folder)")
    return text


out_dir_arg = folder_arg()
"""``--out DIR`` (argparse type): an empty name is refused, not read as the current folder."""


def join_dash_values(argv: Sequence[str], options: Sequence[str] = TEMPO_OPTIONS) -> list[str]:
    """Rewrite ``--tempo -1-1-1`` as ``--tempo=-1-1-1`` so argparse hands the value on.

    argparse takes any word starting with ``-`` (other than a plain negative number) for an
    option and says "expected one argument"; joined, the value reaches :func:`tempo_text`,
    which says what is wrong with it.
    """
    out: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            out.extend(argv[i:])
            break
        if word in options and i + 1 < len(argv) and _TEMPO_LIKE.match(argv[i + 1]):
            out.append(f"{word}={argv[i + 1]}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


class UsageError(Exception):
    """Bad command-line arguments; ``str()`` is the one-line message to print."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: the problem and where to read more.

    Errors raise :class:`UsageError` (``imu.cli.main`` prints it and returns 2) instead of
    printing the usage block and exiting.
    """

    def error(self, message: str) -> NoReturn:
        """Raise ``UsageError("PROG: error: MESSAGE (see 'PROG --help')")``."""
        raise UsageError(
            f"{self.prog}: error: {' '.join(message.split())} (see '{self.prog} --help')"
        )
