"""One exception hierarchy for the host package.

Every error the tool raises on bad input derives from :class:`ImuError`, and its message names
the bad value and how to fix it. The CLI turns these into a one-line message and exit code 2;
anything else is a bug.

The firmware protocol package keeps its own :class:`firmware_protocol.ProtocolError` (it must
not import from :mod:`imu`); the CLI handles both.
"""


class ImuError(Exception):
    """Base class of all errors raised by :mod:`imu` on bad input or bad state."""


class RecordingError(ImuError):
    """A recording file is missing, corrupt, truncated or inconsistent."""


class ImportOptionsError(ImuError):
    """A CSV import cannot proceed with the options given (missing column, bad unit, ...)."""


class SimulationError(ImuError):
    """The simulator was asked for something it cannot produce (unknown exercise, bad rate...)."""


class AnalysisError(ImuError):
    """The analysis cannot run on the data or parameters given."""
