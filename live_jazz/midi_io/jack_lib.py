"""libjack through ctypes, for what needs no part in the server's cycle: a client that is never
activated can list ports, count connections, ask the server's settings and hear it go away.

An activated client (every client rtmidi makes: it activates each one, even a ``MidiOut`` made
only to list ports) is one more process thread the server must wake, in time, every period, at a
real-time priority; a client that is late is charged an xrun, a click in every audio program on
the server. So live-jazz activates only the clients that carry its ports; everything else is a
``PassiveClient``.

The library is the copy python-rtmidi loaded (its wheel brings its own libjack), imported first
so that it is found: two copies of libjack in one process would be two sets of client tables
speaking to one server.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import itertools
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

import rtmidi  # (also loads python-rtmidi's libjack, the copy used here)

from live_jazz.midi_io.quiet import quiet_stderr

log = logging.getLogger(__name__)

JACK_NO_START_SERVER = 0x01
"""``JackNoStartServer``: asking must never start a server."""
JACK_PORT_IS_INPUT = 0x1
JACK_PORT_IS_OUTPUT = 0x2
JACK_MIDI_TYPE = b"8 bit raw midi"
"""``JACK_DEFAULT_MIDI_TYPE`` (``jack_get_ports`` takes it as a pattern)."""

WAKE_ATTEMPTS = 4
"""Tries at making an activated client that its server can wake (see ``wakeable_client``)."""

SHUTDOWN_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
"""libjack's ``JackInfoShutdownCallback(code, reason, arg)``."""


class PassiveClient:
    """A JACK client that is never activated: it takes no part in the server's cycle, so it
    costs the server nothing while it lists ports or waits for news."""

    def __init__(self, jack: ctypes.CDLL, handle: int, name: str) -> None:
        self.jack = jack
        """libjack (the copy rtmidi uses)."""
        self.handle: int | None = handle
        """``jack_client_t *`` (None once closed)."""
        self.name = name

    @classmethod
    def open(cls, name: str, quiet: bool = True) -> PassiveClient | None:
        """A client named ``name`` (JACK may add a number); None where no server runs or
        libjack is missing. ``quiet``: libjack's words on fd 2 meanwhile are logged, not
        printed; False while a TUI draws on fd 2 (Textual does), whose frames would be lost."""
        jack = libjack()
        if jack is None:
            return None
        status = ctypes.c_int(0)
        with quiet_stderr() if quiet else contextlib.nullcontext():
            handle = jack.jack_client_open(name.encode(), JACK_NO_START_SERVER,
                                           ctypes.byref(status))
        return cls(jack, handle, name) if handle else None

    def midi_ports(self, direction: Literal["output", "input"]) -> list[str]:
        """The MIDI ports an rtmidi ``MidiOut`` (``output``: ports that take input) or
        ``MidiIn`` (``input``: ports that give output) lists, in the same order."""
        if self.handle is None:
            return []
        flags = JACK_PORT_IS_INPUT if direction == "output" else JACK_PORT_IS_OUTPUT
        return self._names(self.jack.jack_get_ports(self.handle, None, JACK_MIDI_TYPE, flags))

    def connections(self, port: str) -> list[str] | None:
        """The ports ``port`` is connected to; None if there is no such port."""
        if self.handle is None:
            return None
        found = self.jack.jack_port_by_name(self.handle, port.encode())
        if not found:
            return None
        return self._names(self.jack.jack_port_get_all_connections(self.handle, found))

    def _names(self, names: ctypes.Array | None) -> list[str]:
        """A NULL-terminated array of names from libjack, as strings (the array freed)."""
        if not names:
            return []
        try:
            found: list[str] = []
            for index in itertools.count():
                name = names[index]
                if name is None:
                    return found
                found.append(name.decode(errors="replace"))
        finally:
            self.jack.jack_free(names)
        return found

    def close(self, quiet: bool = True) -> None:
        """Close the client (``quiet``: libjack's words about a gone server are logged, not
        printed; see ``open``). Safe to call twice."""
        handle, self.handle = self.handle, None
        if handle is not None:
            with quiet_stderr() if quiet else contextlib.nullcontext():
                self.jack.jack_client_close(handle)


class JackPortLister:
    """What a port watcher needs of an rtmidi client (``get_ports``, ``delete``), from a
    ``PassiveClient``: a watcher under JACK lists ports without a process cycle."""

    def __init__(self, client: PassiveClient, direction: Literal["output", "input"]) -> None:
        self._client = client
        self._direction: Literal["output", "input"] = direction

    def get_ports(self) -> list[str]:
        return self._client.midi_ports(self._direction)

    def delete(self) -> None:
        self._client.close()


def server_running() -> bool:
    """Whether a JACK client can connect to a server now (never starts one, never activates)."""
    client = PassiveClient.open("live-jazz probe")
    if client is None:
        return False
    client.close()
    return True


def list_midi_ports(client_name: str) -> tuple[list[str], list[str]] | None:
    """(inputs, outputs) as rtmidi's ``MidiIn`` and ``MidiOut`` list them, through one passive
    client; None where no server runs."""
    client = PassiveClient.open(client_name)
    if client is None:
        return None
    try:
        return client.midi_ports("input"), client.midi_ports("output")
    finally:
        client.close()


Client = TypeVar("Client")


def wakeable_client(make: Callable[[], Client], name: str, delete: Callable[[Client], None]
                    ) -> Client:
    """``make()`` an activated JACK client named ``name`` (an rtmidi client), made again if
    its process thread would wait where the server never wakes it.

    libjack keeps one table per process of every client's wake-up futex (a file in /dev/shm
    named after the client), by reference number, filled and emptied by each client's
    notification thread as clients come and go. A client of this process that is still
    opening when another program's client closes misses that removal (jack2 issue #721), and
    the table keeps the closed client's futex. The next client of ours that gets the freed
    reference number finds it "already connected" and waits on the dead client's futex while
    the server wakes its own: it never runs its cycle, and the server charges it an xrun every
    period until it closes (thousands in a row). Such a client never maps its own futex, so it
    is told from a sound one by the process's memory map, and made again: closing it clears
    the stale entry. A few periods of xruns at most, instead of a storm."""
    client = make()
    for _ in range(WAKE_ATTEMPTS - 1):
        if maps_own_futex(name) is not False:
            return client
        log.debug("JACK client %r waits on a stale futex (libjack): made again", name)
        delete(client)
        client = make()
    return client


def rtmidi_client(kind: type[Client], api: int, name: str, **options: object) -> Client:
    """``kind(api, name, **options)`` (``rtmidi.MidiIn`` or ``MidiOut``); under JACK one the
    server can wake (``wakeable_client``). Raises rtmidi's errors."""
    def make() -> Client:
        return kind(api, name, **options)  # type: ignore[call-arg]

    if api != rtmidi.API_UNIX_JACK:
        return make()
    return wakeable_client(make, name, lambda client: client.delete())  # type: ignore[attr-defined]


def maps_own_futex(name: str, maps: str | None = None) -> bool | None:
    """Whether this process maps the wake-up futex of its JACK client ``name`` (JACK may have
    added ``-NN`` to it); None where that cannot be told (no /proc, or a JACK that keeps no
    futex files: jack1, PipeWire's). ``maps``: the text of
    /proc/self/maps (read if None)."""
    if maps is None:
        try:
            maps = Path("/proc/self/maps").read_text()
        except OSError:
            return None
    futexes = [line for line in maps.splitlines() if "/jack_sem." in line]
    if not futexes:  # not jack2's futexes (jack1, PipeWire's JACK, another system): unknown
        return None
    own = re.compile(r"/jack_sem\.\d+_.*_" + re.escape(name) + r"(-\d+)?$")
    return any(own.search(line) for line in futexes)


@functools.cache
def libjack() -> ctypes.CDLL | None:
    """libjack with the signatures used here; None where it is missing."""
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
    jack.jack_port_connected.restype = ctypes.c_int
    jack.jack_port_connected.argtypes = [ctypes.c_void_p]
    jack.jack_port_get_all_connections.restype = ctypes.POINTER(ctypes.c_char_p)
    jack.jack_port_get_all_connections.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    jack.jack_get_ports.restype = ctypes.POINTER(ctypes.c_char_p)
    jack.jack_get_ports.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p,
                                    ctypes.c_ulong]
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
