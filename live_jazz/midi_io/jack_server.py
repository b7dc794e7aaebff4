"""What a running JACK server allows our own real-time thread: asked of the server itself.

A JACK server runs its own threads and its clients' process threads at a real-time priority
(``jackd -P``, clients a few steps below). A thread of ours at a higher SCHED_FIFO priority
preempts them and makes the server miss its deadlines (xruns: a click in every audio program on
it); against a server without real-time (``jackd --no-realtime``) any SCHED_FIFO thread starves
it. So the engine's timing thread takes real-time priority only below the clients' priority of
a real-time server, and none at all against a server without real-time.

``ServerWatch`` hears the server go away (rtmidi does not say): a stopped server leaves nothing
to play into, and the player must be told.

Both ask through clients that are never activated (``jack_lib.PassiveClient``): the question
is a client that connects, reads two numbers and closes, once at start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from live_jazz.midi_io.jack_lib import SHUTDOWN_CALLBACK, PassiveClient

log = logging.getLogger(__name__)

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
    client = _open_client("live-jazz ask")
    if client is None:
        return None
    try:
        realtime = bool(client.jack.jack_is_realtime(client.handle))
        priority = client.jack.jack_client_real_time_priority(client.handle) if realtime else 0
    finally:
        client.close(quiet=False)  # the TUI may be drawing on fd 2 meanwhile
    return JackServer(realtime, max(0, int(priority)))


class PortConnections:
    """Counts the connections of a JACK port, through a client that is never activated."""

    def __init__(self, client_name: str) -> None:
        self._client = _open_client(client_name)

    def others(self, port: str, own_client: str) -> int | None:
        """Connections of the port named ``port`` to ports of clients other than
        ``own_client``; None if that cannot be known."""
        if self._client is None:
            return None
        names = self._client.connections(port)
        if names is None:
            return None
        return sum(not name.startswith(f"{own_client}:") for name in names)

    def close(self) -> None:
        if self._client is not None:
            self._client.close(quiet=False)  # the TUI may be drawing on fd 2 meanwhile
            self._client = None


class ServerWatch:
    """Hears the JACK server go away (stopped, crashed, killed): a client that is never
    activated (no part in the server's cycle) registers libjack's shutdown callback.
    ``on_gone(reason)`` is called once, from libjack's thread, and must return at once. Without
    a server or libjack it watches nothing."""

    def __init__(self, client_name: str, on_gone: Callable[[str], None]) -> None:
        self._on_gone = on_gone
        self._callback = SHUTDOWN_CALLBACK(self._shutdown)  # kept: libjack holds its address
        self._client = _open_client(client_name)
        self.gone = False
        """The server went away."""
        if self._client is not None:
            self._client.jack.jack_on_info_shutdown(self._client.handle, self._callback, None)

    def _shutdown(self, code: int, reason: bytes | None, arg: object) -> None:
        self.gone = True
        text = (reason or b"").decode(errors="replace").strip() or f"code {code}"
        try:
            self._on_gone(text)
        except Exception:  # from a C thread an exception would only print
            log.exception("JACK server watch")

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()  # a gone server: libjack says so, as noise (logged)


def _open_client(name: str) -> PassiveClient | None:
    """A client that is never activated, or None where no server runs."""
    return PassiveClient.open(name)
