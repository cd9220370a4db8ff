"""Getting a phone ready as the live sensor: the phyphox experiment served on the LAN, QR codes.

phyphox loads an experiment from a QR code that holds a link starting with ``http://``,
``https://`` or ``phyphox://``: after scanning it downloads the file
(https://phyphox.org/wiki/index.php/Transferring_phyphox_experiments, "Online QR-Codes").
That works offline on a LAN when the link points at this computer, so
:func:`serve_experiment` serves the bundled ``hip-imu.phyphox`` over HTTP and the CLI prints
a QR code of its URL (:func:`qr_text`, segno's terminal output). The experiment records the
accelerometer with gravity and the gyroscope at the highest rate (``rate="0"``), into the
buffers :data:`imu.io.recorders.phyphox.DEFAULT_BUFFERS` names (phyphox's own buffer names, so
its built-in experiments' exports also import offline), with export sets named like
phyphox's "Acceleration with g" and "Gyroscope" (``imu convert`` reads them).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import io
import logging
import socket
import xml.etree.ElementTree as ET
from collections.abc import Callable
from importlib import resources

import segno
from aiohttp import web

from imu.errors import ImuError
from imu.io.phone import PX_SENSOR_ACC, PX_SENSOR_GYR
from imu.io.recorders.phyphox import DEFAULT_BUFFERS
from imu.io.recorders.timed import Stream

logger = logging.getLogger(__name__)

EXPERIMENT_NAME = "hip-imu.phyphox"


def lan_address() -> str:
    """The address of this computer on the LAN as the phone sees it (a guess; sends nothing)."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # UDP connect sends nothing; it picks the route
        return str(s.getsockname()[0])
    return "127.0.0.1"


def listen_problem(exc: BaseException, host: str, port: int, port_option: str,
                   host_option: str) -> str:
    """Why listening on ``host:port`` failed and what to change, for an error message.

    Args:
        exc: the error of the bind (``OSError``, or ``OverflowError`` for a port over 65535).
        host: the address asked for.
        port: the port asked for.
        port_option: how the user chooses another port, e.g. ``--port 8766``.
        host_option: how the user listens on every interface instead, e.g. ``--host 0.0.0.0``.

    """
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    code = getattr(exc, "errno", None)
    if isinstance(exc, OverflowError) or not 0 < port < 65536:
        fix = f"give a port in 1-65535, e.g. {port_option}"
    elif code == errno.EADDRINUSE:
        fix = f"another program uses port {port}: choose another, e.g. {port_option}"
    elif code == errno.EACCES:
        fix = f"ports under 1024 need administrator rights: choose another, e.g. {port_option}"
    elif isinstance(exc, socket.gaierror) or code == errno.EADDRNOTAVAIL:
        fix = (f"{host!r} is not an address of this computer: leave the host out to listen on "
               f"every interface ({host_option}), or give one of this computer's addresses")
    else:
        fix = f"choose another port, e.g. {port_option}"
    return f"({reason}); {fix}"


def experiment_file() -> bytes:
    """The bundled phyphox experiment (XML)."""
    return resources.files("imu.live.sources").joinpath(EXPERIMENT_NAME).read_bytes()


def experiment_buffers(xml: bytes) -> dict[Stream, tuple[str, str, str, str]]:
    """Buffer names (x, y, z, t) of the accelerometer and gyroscope inputs of an experiment.

    Raises:
        ImuError: not phyphox XML, or a sensor or one of its outputs missing.

    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ImuError(f"not a phyphox experiment file: {exc}") from exc
    found: dict[Stream, tuple[str, str, str, str]] = {}
    for sensor in root.iter("sensor"):
        stream = {PX_SENSOR_ACC: Stream.ACC, PX_SENSOR_GYR: Stream.GYR}.get(
            sensor.get("type", "")
        )
        if stream is None:
            continue
        outs = {o.get("component"): (o.text or "").strip() for o in sensor.iter("output")}
        if all(outs.get(c) for c in "xyzt"):
            found[stream] = (outs["x"], outs["y"], outs["z"], outs["t"])
    missing = [s.name.lower() for s in Stream if s not in found]
    if missing:
        raise ImuError(f"the phyphox experiment lacks {missing} with x, y, z and t outputs")
    return found


def check_bundled_experiment() -> None:
    """The bundled experiment writes the buffers the live source reads (raises if not)."""
    if experiment_buffers(experiment_file()) != DEFAULT_BUFFERS:
        raise ImuError(f"{EXPERIMENT_NAME} and the phyphox recorder disagree on buffer names")


def qr_text(data: str) -> str:
    """A QR code of ``data`` for a terminal (segno's compact output, quiet zone included)."""
    out = io.StringIO()
    segno.make(data, error="m").terminal(out=out, compact=True)
    return out.getvalue()


async def serve_experiment(
    host: str,
    port: int,
    ready: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
    on_download: Callable[[str], None] | None = None,
) -> None:
    """Serve the experiment at ``/hip-imu.phyphox`` until ``stop`` is set (or forever).

    Args:
        host: the address to listen on.
        port: the TCP port.
        ready: set once the port is open.
        stop: serving ends when it is set.
        on_download: called with the address of whoever downloaded the experiment, each time
            it is served.

    Raises:
        ImuError: the port cannot be opened (the message names it and the fix).

    """
    body = experiment_file()

    async def handle(request: web.Request) -> web.Response:
        logger.info("phyphox experiment downloaded by %s", request.remote)
        if on_download is not None:
            on_download(request.remote or "?")
        disposition = f'attachment; filename="{EXPERIMENT_NAME}"'
        return web.Response(body=body, content_type="application/octet-stream",
                            headers={"Content-Disposition": disposition})

    app = web.Application()
    app.router.add_get(f"/{EXPERIMENT_NAME}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except (OSError, OverflowError) as exc:  # OverflowError: a port beyond 65535
            problem = listen_problem(exc, host, port, f"--port {port + 1}", "--host 0.0.0.0")
            raise ImuError(
                f"cannot serve the phyphox experiment on {host}:{port} {problem}"
            ) from exc
        if ready is not None:
            ready.set()
        await (stop.wait() if stop is not None else asyncio.Event().wait())
    finally:
        await runner.cleanup()
