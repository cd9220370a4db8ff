"""The one exception type of the protocol package."""


class ProtocolError(Exception):
    """Bytes or values that do not follow the protocol (the message says which and why)."""
