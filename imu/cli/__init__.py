"""Command line: ``imu COMMAND ...``. Each command lives in its own module with ``register``."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from typing import IO, TYPE_CHECKING, Any

from firmware_protocol import ProtocolError
from imu import __version__
from imu.cli._args import OneLineParser, UsageError, join_dash_values
from imu.errors import ImuError

COMMANDS: dict[str, tuple[str, str]] = {
    "info": ("info", "summarise a recording (Parquet) or a CSV file"),
    "convert": (
        "convert",
        "import a CSV file (or Parquet table, phone export) into Parquet recordings",
    ),
    "simulate": ("simulate", "simulate a session with ground truth"),
    "simulate-cohort": (
        "simulate_cohort",
        "simulate a cohort of participants over weeks (recordings and manifest) for research",
    ),
    "analyze": (
        "analyze",
        "find reps, phases, tempo, swings and faults; write tables and an HTML report",
    ),
    "eval": ("eval", "measure accuracy on generated sessions with ground truth"),
    "batch": (
        "batch",
        "analyse many recordings in parallel (Dask) into a partitioned Parquet dataset",
    ),
    "progress": (
        "progress",
        ("a personal progress page over many sessions (weeks, clean reps, descent, swings; "
         "planks: time held)"),
    ),
    "export-bids": (
        "export_bids",
        "write recordings (and their reps as events) as a Motion-BIDS dataset",
    ),
    "scan": (
        "scan",
        "list hip IMU and Polar sensors in range (name, type, address, RSSI, battery)",
    ),
    "live": (
        "live",
        "stream a set from a sensor (or the simulator): live rep count, tempo, faults",
    ),
    "replay": (
        "replay",
        "stream a recording through the live path (virtual sensor, bleak, analyzer)",
    ),
    "phone-setup": (
        "phone_setup",
        "get a phone app ready as the live sensor (phyphox experiment and QR code, steps)",
    ),
    "recover": (
        "recover",
        "turn a live session's journal (left by a crash) into a Parquet recording",
    ),
}
"""Command name -> (module of :mod:`imu.cli` with ``register(subparsers)``, one-line help).

The order is the --help order. A command's module (and the libraries it needs: numpy, pandas,
bleak, dask...) is imported only when that command runs or shows its own help, so ``imu
--help`` and ``imu --version`` answer at once. The help line here is the one the module
registers (a test checks they agree).
"""

ALIASES: dict[str, str] = {"analyse": "analyze"}
"""Other names of a command (alias -> command): ``imu analyse``, as the README spells it."""

if TYPE_CHECKING:
    _SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    _SubParsers = argparse._SubParsersAction


class _Commands(_SubParsers):
    """The subcommands' action: each command also answers to its :data:`ALIASES`."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """Add the command ``name``'s parser, with its aliases."""
        kwargs.setdefault("aliases", [alias for alias, of in ALIASES.items() if of == name])
        return super().add_parser(name, **kwargs)


DESCRIPTION = """\
Analyse core-exercise reps from a hip-worn IMU (accelerometer + gyroscope clipped to the
waistband): record, import, simulate and analyse sessions.

Run 'imu COMMAND --help' for the options of one command.
"""


def build_parser(command: str | None = "*") -> argparse.ArgumentParser:
    """Build the top-level parser.

    Args:
        command: the command whose module is imported and registered in full; the others get
            a placeholder with their help line only. ``"*"`` registers every command (slow:
            imports everything), None none of them.

    """
    parser = OneLineParser(
        prog="imu", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"imu {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=OneLineParser,
        action=_Commands,
    )
    for name, (module, help_text) in COMMANDS.items():
        if command in ("*", name):
            import_module(f"imu.cli.{module}").register(sub)
        else:
            sub.add_parser(name, help=help_text, add_help=False)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the first word that is not a top-level option).

    An alias gives its command (``analyse``: ``analyze``); None for no or an unknown command.
    """
    word = _first_word(argv)
    word = ALIASES.get(word, word) if word is not None else None
    return word if word in COMMANDS else None


def _first_word(argv: Sequence[str]) -> str | None:
    """The first word of ``argv`` that is not a top-level option (None after ``--``)."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


TASK_WORDS: dict[str, str] = {
    "report": "the reports are written by imu analyze (a recording) and imu live (a session)",
    "reports": "the reports are written by imu analyze (a recording) and imu live (a session)",
    "record": "a session is recorded by imu live",
    "import": "a file is imported by imu convert (or read directly by imu analyze)",
    "export": "imu convert writes a recording, imu export-bids a BIDS dataset",
    "stats": "per-session figures come from imu analyze, trends over weeks from imu progress",
}
"""Words a new user tries as a command for a task, and the command that does it (the
closest spelling misled: ``imu report`` was asked "did you mean recover?")."""


def unknown_command(word: str) -> str:
    """The one-line error for a command ``imu`` does not have, with the closest one.

    ``imu analyz`` gives "... invalid choice: 'analyz'; did you mean analyze? ...". difflib is
    imported here only, on this error: ``imu --help`` and every command start as fast.
    """
    import difflib

    task = TASK_WORDS.get(word.casefold())
    names = [*COMMANDS, *ALIASES]
    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    hint = (f"; {task}" if task
            else f"; did you mean {ALIASES.get(close[0], close[0])}?" if close else "")
    return (
        f"imu: error: argument COMMAND: invalid choice: {word!r}{hint} (choose from "
        f"{', '.join(COMMANDS)}; see 'imu --help')"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``imu`` console script; returns the process exit code.

    Ctrl-C ends any command with one line and exit code 130, also while the command's
    modules are still loading (the first second or so). Characters stdout's encoding
    cannot write are printed escaped (:func:`escape_unwritable_stdout`).
    """
    restore = escape_unwritable_stdout()
    try:
        return _run(argv)
    except KeyboardInterrupt:
        print("imu: interrupted", file=sys.stderr)
        return 130
    finally:
        restore()


def escape_unwritable_stdout() -> Callable[[], None]:
    r"""Let stdout write what its encoding lacks escaped (``run_\xfc``), as stderr does.

    Python's stderr writes a character its encoding cannot hold as ``\xfc``
    (``backslashreplace``), so notes naming ``run_ü.parquet`` printed under
    ``PYTHONIOENCODING=ascii`` (or a C locale) were fine; stdout (``strict``) raised
    ``UnicodeEncodeError``: ``imu info`` ended in a traceback, ``imu simulate`` and ``imu
    convert`` after writing their files. stdout gets stderr's handler for the command's
    run; a stream that cannot be reconfigured is left as it is.

    Returns:
        a function that puts stdout's handler back.

    """
    stream = sys.stdout
    if getattr(stream, "errors", None) != "strict" or not hasattr(stream, "reconfigure"):
        return lambda: None
    try:
        stream.reconfigure(errors="backslashreplace")
    except (ValueError, OSError):
        return lambda: None

    def restore() -> None:
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(errors="strict")

    return restore


def not_utf8_name(name: str) -> str:
    """Why a file or folder name that is not UTF-8 is refused ("" for a UTF-8 name).

    :func:`imu.io.load.not_utf8_name`, whose module (pandas, pyarrow) is loaded only for such
    a name: every command checks its words before any work.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        from imu.io.load import not_utf8_name as why

        return why(name)
    return ""


def _run(argv: Sequence[str] | None) -> int:
    words = join_dash_values(sys.argv[1:] if argv is None else argv)
    command = _command_of(words) or "imu"
    for word in words:
        why = not_utf8_name(word)
        if why:  # before any work: it failed at the end of an analysis, on writing
            where = "imu" if command == "imu" else f"imu {command}"
            print(f"{where}: error: {why}", file=sys.stderr)
            return 2
    named = _first_word(words)
    if named is not None and named not in COMMANDS and named not in ALIASES:
        print(unknown_command(named), file=sys.stderr)
        return 2
    parser = build_parser(_command_of(words))
    try:
        args, extra = parser.parse_known_args(words)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    args.command = ALIASES.get(args.command, args.command)  # notes say "imu analyze"
    # -v after the command, as an error's advice ("run it again with -v") is taken: it was
    # "unrecognized arguments: -v", the option being the program's, before the command.
    flags = {"-v": 1, "-vv": 2, "--verbose": 1}
    args.verbose += sum(flags.get(word, 0) for word in extra)
    extra = [word for word in extra if word not in flags]
    if extra:  # named by the command's own help, where its options are
        where = f"imu {args.command}"
        print(f"{where}: error: unrecognized arguments: {' '.join(extra)} "
              f"(see '{where} --help')", file=sys.stderr)
        return 2
    # A closed stderr (imu analyze ... 2>&1 | head -1) drops the notes that follow, as a
    # closed stdout drops the tables: the command still writes its files. Every command
    # loads rich (and so this module's neighbour) anyway; --help and usage errors do not.
    # stdout too, for the commands that print plain lines (imu simulate ... | true ended in
    # "internal error (BrokenPipeError)", its file written).
    from imu.cli._output import PipeSafeStream

    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stderr = PipeSafeStream(real_stderr)
    if not isinstance(real_stdout, PipeSafeStream):
        sys.stdout = PipeSafeStream(real_stdout)
    try:
        return _dispatch(args)
    finally:
        sys.stdout, sys.stderr = real_stdout, real_stderr


def _dispatch(args: argparse.Namespace) -> int:
    """Run the parsed command: one line and an exit code for every error it may meet."""
    logging.basicConfig(level=logging.WARNING - 10 * min(args.verbose, 2))
    if not args.verbose:
        # The virtual sensor's radio stack (Bumble) logs its own timeouts as warnings, with
        # raw colour codes ("!!! GATT Request timeout", 89 lines in a replay broken off at
        # 1000x): the session says what the link did in its own words; -v shows them.
        logging.getLogger("bumble").setLevel(logging.ERROR)
    for handler in logging.getLogger().handlers:
        if type(handler) is logging.StreamHandler:  # basicConfig's, not a host's (pytest)
            handler.setFormatter(CommandFormatter(args.command, detailed=args.verbose > 0))
    try:
        code: int = args.func(args)
    except (ImuError, ProtocolError) as exc:
        print(f"imu {args.command}: error: {one_line(exc)}", file=sys.stderr)
        return 2
    except UnicodeEncodeError as exc:
        if "surrogates not allowed" not in str(exc):
            raise
        # A name found inside a folder given (a phone export's files).
        from imu.io.load import raw_name

        bad = raw_name(exc.object[exc.start])
        print(
            f"imu {args.command}: error: a file or folder name holds the byte 0x{bad.hex()}, "
            "which is not UTF-8, and Parquet files cannot be read or written under such a "
            "name; rename it with letters your system writes as UTF-8",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt as exc:
        # A command may say what the stop leaves (imu batch: the sessions stored, how to go
        # on) as the interrupt's message.
        detail = one_line(exc)
        print_wrapped(f"imu {args.command}: interrupted{': ' + detail if detail else ''}",
                      sys.stderr)
        return 130
    except PermissionError as exc:  # met inside a folder given: said, not called a bug
        if args.verbose:
            raise
        from imu.cli._output import permission_text

        print(f"imu {args.command}: error: {permission_text(exc)}", file=sys.stderr)
        return 2
    except Exception as exc:  # not foreseen: a bug, said in one line (-v: the traceback)
        if args.verbose:
            raise
        from imu.cli._output import bug_text

        print(f"imu {args.command}: error: {bug_text(exc)}", file=sys.stderr)
        return 3
    return code


class CommandFormatter(logging.Formatter):
    """Log lines on stderr: the program's own warnings in its voice, the rest as they are.

    ``imu batch: warning: ...``, like every other note a command prints, rather than
    ``WARNING imu.batch: ...``; with ``-v`` (and for other libraries' loggers, such as
    Bumble's) the level and the logger's name, which say where the line comes from.
    """

    def __init__(self, command: str, detailed: bool) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")
        self.command = command
        self.detailed = detailed

    def format(self, record: logging.LogRecord) -> str:
        """One record as a line (see the class docstring)."""
        own = record.name == "imu" or record.name.startswith("imu.")
        if self.detailed or not own or record.levelno < logging.WARNING:
            return super().format(record)
        level = "warning" if record.levelno < logging.ERROR else "error"
        text = f"imu {self.command}: {level}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def print_wrapped(text: str, file: IO[str]) -> None:
    """Print a line, word-wrapped to the terminal's width when ``file`` is a terminal.

    As the advice lines are (:func:`imu.report.terminal.wrap_words`): the terminal broke
    ``imu batch``'s Ctrl-C message mid-sentence at its edge ("...the 28 recordings" /
    " left", trial 24). A pipe or file gets the line whole (for grep).
    """
    try:
        tty = file.isatty()
    except (AttributeError, ValueError, OSError):
        tty = False
    if not tty:
        print(text, file=file)
        return
    import os

    from imu.report.terminal import wrap_words

    columns = os.environ.get("COLUMNS", "")
    try:
        width = (int(columns) if columns.isdigit() and int(columns) > 0
                 else os.get_terminal_size(file.fileno()).columns)
    except (ValueError, OSError):
        width = 80
    for line in wrap_words(text, width):
        print(line, file=file)


def one_line(exc: BaseException) -> str:
    """The exception's message on one line (newlines and runs of blanks become one blank)."""
    return " ".join(str(exc).split())


if __name__ == "__main__":
    sys.exit(main())
