"""The coaching screen in the browser: ``imu live --web``.

:mod:`~imu.live.web.state` (the state model: events in, a JSON snapshot out),
:mod:`~imu.live.web.view` (the session listener that keeps the state and wakes the open
pages), :mod:`~imu.live.web.server` (aiohttp: the page, ``/state``, the event stream, the
token check, the page's URL) and ``static/`` (the page: HTML, CSS, JavaScript).
"""

from imu.live.web.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    CoachingServer,
    WebAddress,
    WebAddressError,
    page_url,
    parse_web_address,
    serve_while,
)
from imu.live.web.state import CoachingState
from imu.live.web.view import ViewGroup, WebView

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "CoachingServer",
    "CoachingState",
    "ViewGroup",
    "WebAddress",
    "WebAddressError",
    "WebView",
    "page_url",
    "parse_web_address",
    "serve_while",
]
