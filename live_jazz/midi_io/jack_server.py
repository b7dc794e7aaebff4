"""What a running JACK server allows our own real-time thread: asked of the server itself.

A JACK server runs its own threads and its clients' process threads at a real-time priority
(``jackd -P``, clients a few steps below). A thread of ours at a higher SCHED_FIFO priority
preempts them and makes the server miss its deadlines (xruns: a click in every audio program on
it); against a server without real-time (``jackd --no-realtime``) any SCHED_FIFO thread starves
it. So the engine's timing thread takes real-time priority only below the clients' priority of
a real-time server, and none at all against a server without real-time.

``ServerWatch`` hears the server go away (rtmidi does not say): a stopped server leaves nothing
to play into, and the player must be told.

libjack is reached through ctypes (the copy python-rtmidi loaded, else the system's): the
question is a client that connects, reads two numbers and closes, once at start.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from live_jazz.midi_io.backends import quiet_stderr

log = logging.getLogger(__name__)

JACK_NO_START_SERVER = 0x01
"""``JackNoStartServer``: asking must never start a server."""


@dataclass(frozen=True)
class JackServer:
    """What a running JACK server told us."""

    realtime: bool
    """Whether it runs its threads with real-time scheduling."""
    client_priority: int
    """The SCHED_FIFO priority of its clients' process threads (0 without real-time)."""


@dataclass(frozen=True)
class TimingPriority:
    """The SCHED_FIFO priority the timing thread may take, and why."""

    priority: int | None
    """None: stay at normal priority."""
    reason: str
    """Words for the log: which server was found and what that allows."""


def timing_priority(wanted: int, server: JackServer | None) -> TimingPriority:
    """Pure: the priority for a thread that would like ``wanted``, given the JACK server running
    (None: none runs). Below the server's clients, so that its cycle always comes first."""
    if server is None:
        return TimingPriority(wanted, "no JACK server running")
    if not server.realtime:
        return TimingPriority(None, "the JACK server runs without real-time: taking none, "
                                    "which would starve it")
    below = min(wanted, server.client_priority - 1)
    if below < 1:
        return TimingPriority(None, f"the JACK server's clients run at SCHED_FIFO "
                                    f"{server.client_priority}: no room below them")
    return TimingPriority(below, f"below the JACK server's clients "
                                 f"(SCHED_FIFO {server.client_priority})")


def query_server() -> JackServer | None:
    """The running JACK server's real-time settings; None if no server runs (or libjack is
    missing, which amounts to the same)."""
    opened = _open_client("live-jazz ask")
    if opened is None:
        return None
    jack, client = opened
    try:
        realtime = bool(jack.jack_is_realtime(client))
        priority = jack.jack_client_real_time_priority(client) if realtime else 0
    finally:
        jack.jack_client_close(client)
    return JackServer(realtime, max(0, int(priority)))


class PortConnections:
    """Counts the connections of a JACK port, through a client that is never activated: it
    takes no part in the server's cycle, so it costs the server nothing."""

    def __init__(self, client_name: str) -> None:
        self._opened = _open_client(client_name)

    def others(self, port: str, own_client: str) -> int | None:
        """Connections of the port named ``port`` to ports of clients other than
        ``own_client``; None if that cannot be known."""
        if self._opened is None:
            return None
        jack, client = self._opened
        handle = jack.jack_port_by_name(client, port.encode())
        if not handle:
            return None
        names = jack.jack_port_get_all_connections(client, handle)
        if not names:
            return 0
        try:
            count = 0
            for index in itertools.count():
                name = names[index]
                if name is None:
                    return count
                count += not name.decode(errors="replace").startswith(f"{own_client}:")
        finally:
            jack.jack_free(names)
        return count

    def close(self) -> None:
        if self._opened is not None:
            jack, client = self._opened
            jack.jack_client_close(client)
            self._opened = None


SHUTDOWN_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
"""libjack's ``JackInfoShutdownCallback(code, reason, arg)``."""


class ServerWatch:
    """Hears the JACK server go away (stopped, crashed, killed): a client that is never
    activated (no part in the server's cycle) registers libjack's shutdown callback.
    ``on_gone(reason)`` is called once, from libjack's thread, and must return at once. Without
    a server or libjack it watches nothing."""

    def __init__(self, client_name: str, on_gone: Callable[[str], None]) -> None:
        self._on_gone = on_gone
        self._callback = SHUTDOWN_CALLBACK(self._shutdown)  # kept: libjack holds its address
        self._opened = _open_client(client_name)
        self.gone = False
        """The server went away."""
        if self._opened is not None:
            jack, client = self._opened
            jack.jack_on_info_shutdown(client, self._callback, None)

    def _shutdown(self, code: int, reason: bytes | None, arg: object) -> None:
        self.gone = True
        text = (reason or b"").decode(errors="replace").strip() or f"code {code}"
        try:
            self._on_gone(text)
        except Exception:  # from a C thread an exception would only print
            log.exception("JACK server watch")

    def close(self) -> None:
        if self._opened is not None:
            jack, client = self._opened
            self._opened = None
            with quiet_stderr():  # a gone server: libjack says so, as noise
                jack.jack_client_close(client)


def _open_client(name: str) -> tuple[ctypes.CDLL, int] | None:
    """(libjack, a client that is not activated), or None where no server runs."""
    jack = _libjack()
    if jack is None:
        return None
    status = ctypes.c_int(0)
    with quiet_stderr():
        client = jack.jack_client_open(name.encode(), JACK_NO_START_SERVER,
                                       ctypes.byref(status))
    return (jack, client) if client else None


def _libjack() -> ctypes.CDLL | None:
    path = _loaded_libjack() or ctypes.util.find_library("jack")
    if path is None:
        return None
    try:
        jack = ctypes.CDLL(path)
    except OSError as error:
        log.debug("cannot load %s: %s", path, error)
        return None
    jack.jack_client_open.restype = ctypes.c_void_p
    jack.jack_client_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    for name in ("jack_is_realtime", "jack_client_real_time_priority", "jack_client_close"):
        function = getattr(jack, name)
        function.restype = ctypes.c_int
        function.argtypes = [ctypes.c_void_p]
    jack.jack_on_info_shutdown.restype = None
    jack.jack_on_info_shutdown.argtypes = [ctypes.c_void_p, SHUTDOWN_CALLBACK, ctypes.c_void_p]
    jack.jack_port_by_name.restype = ctypes.c_void_p
    jack.jack_port_by_name.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    jack.jack_port_get_all_connections.restype = ctypes.POINTER(ctypes.c_char_p)
    jack.jack_port_get_all_connections.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    jack.jack_free.restype = None
    jack.jack_free.argtypes = [ctypes.c_void_p]
    return jack


def _loaded_libjack() -> str | None:
    """The libjack this process already uses (python-rtmidi's wheel brings its own copy): the
    one known to speak the running server's protocol."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/maps").read_text().splitlines():
            path = line.split()[-1]
            if "/libjack" in path and "libjackserver" not in path:
                return path
    return None
