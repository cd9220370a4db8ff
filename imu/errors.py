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


class MixedExportsError(ImportOptionsError):
    """A folder holds the exports of two phone apps (Sensor Logger and phyphox).

    Attributes:
        sensor_logger: the folder's entries (files or zips) of the Sensor Logger export.
        phyphox: the folder's entries of the phyphox exports.

    """

    def __init__(self, message: str, sensor_logger: tuple[str, ...],
                 phyphox: tuple[str, ...]) -> None:
        super().__init__(message)
        self.sensor_logger = sensor_logger
        self.phyphox = phyphox


class SimulationError(ImuError):
    """The simulator was asked for something it cannot produce (unknown exercise, bad rate...)."""


class AnalysisError(ImuError):
    """The analysis cannot run on the data or parameters given."""
