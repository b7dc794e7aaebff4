"""A connection to a port of the system, kept alive across the other side vanishing and coming
back: a small thread checks it every ``CHECK_SECONDS`` (the send path only reads a flag, never
lists ports) and re-makes it once a port of that name is back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Literal

import rtmidi

from live_jazz.midi_io import port_graph
from live_jazz.midi_io.backends import UnknownPortError, find_port
from live_jazz.midi_io.jack_lib import JackPortLister, PassiveClient
from live_jazz.midi_io.ports import OnPortChange, PortChange, PortError
from live_jazz.midi_io.quiet import quiet_stderr

log = logging.getLogger(__name__)

CHECK_SECONDS = 0.5
"""How often a connection to a port of the system is checked (and re-made once it is back)."""
OPEN_ATTEMPTS = 3
"""Tries at opening a port by index while the system's list of ports keeps changing."""


class Connection:
    """An rtmidi client's link to one port of the system, watched by a thread that marks it lost
    when the port disappears and re-opens it when a port of that name is back.

    The watcher lists ports through a client of its own (no ports, so nobody sees it), so the
    check never holds up a send; only re-opening takes ``lock``, the port's own lock. Under
    JACK that client is never activated (``jack_lib``): rtmidi would activate it, and the
    server would wake it every period for nothing (such a client was charged thousands of xruns
    in a row: see ARCHITECTURE.md, "JACK clients").
    """

    def __init__(
        self,
        rt: rtmidi.MidiIn | rtmidi.MidiOut,
        wanted: str,
        kind: Literal["output", "input"],
        client_name: str,
        port_name: str,
        lock: threading.RLock,
        on_change: OnPortChange | None,
        reopened: Callable[[], None] | None = None,
        interval: float = CHECK_SECONDS,
    ) -> None:
        self._rt = rt
        self._wanted = wanted
        self.kind = kind
        self._client_name = client_name
        self._port_name = port_name
        self._lock = lock
        self.on_change = on_change
        self._reopened = reopened
        """Called after the port is re-opened (python-rtmidi's close_port drops the input
        callback, which has to be set again)."""
        self.interval = interval
        for attempt in range(OPEN_ATTEMPTS):
            names = rt.get_ports()
            index = find_port(names, wanted, kind, client_name)
            self.target = names[index]
            """The system's name of the port connected to (or last connected to)."""
            try:
                self._open(index)
                break
            except PortError:
                # Other clients came or went between listing and opening: the index moved.
                if attempt == OPEN_ATTEMPTS - 1 or rt.get_ports() == names:
                    raise
        self.connected = True
        self._back_seen = False
        """The lost port was listed again at the last check (re-made at the next one)."""
        self._lister = _lister(rt, kind, f"{client_name} watch")
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, name=f"live-jazz {kind} port watcher", daemon=True
        )
        self._thread.start()

    def _open(self, index: int) -> None:
        try:
            with quiet_stderr():
                self._rt.open_port(index, self._port_name)
        except (rtmidi.RtMidiError, OverflowError) as error:
            raise PortError(f"cannot open MIDI {self.kind} port {self.target!r}: {error}") from None
        finally:
            port_graph.changed()  # even a failed open may have registered our port

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except (PortError, rtmidi.RtMidiError) as error:
                log.debug("%s port watcher: %s", self.kind, error)

    def check(self) -> None:
        """Mark the connection lost if its port is gone; re-make it if the port is back."""
        if self._stop.is_set():
            return
        names = self._lister.get_ports()
        if self.connected:
            if self.target not in names:
                self.connected = False
                self._notify(PortChange(self.kind, self.target, connected=False))
            return
        if self._locate(names) is None:
            self._back_seen = False
            return
        if not self._back_seen:
            # Its client has only just come: re-made at the next check, once the server's
            # notices of its arrival are handled (see port_graph).
            self._back_seen = True
            return
        port_graph.settle()  # not while holding the port's lock, which every send takes
        with self._lock:
            if self._stop.is_set():
                return
            names = self._rt.get_ports()  # the indices open_port means
            index = self._locate(names)
            if index is None:
                return
            port_graph.close_port(self._rt)
            self.target = names[index]
            self._open(index)
            if self._reopened is not None:
                self._reopened()
            self.connected = True
            self._back_seen = False
        self._notify(PortChange(self.kind, self.target, connected=True))

    def _locate(self, names: list[str]) -> int | None:
        """The port the user asked for, if it is back (ALSA renumbers a restarted client, so
        the name is also compared without its numbers)."""
        try:
            return find_port(names, self._wanted, self.kind, self._client_name)
        except UnknownPortError:
            pass
        key = _without_numbers(self.target)
        for index, name in enumerate(names):
            if _without_numbers(name) == key:
                return index
        return None

    def _notify(self, change: PortChange) -> None:
        """Tell the listener (who logs it), or else log it here: once either way."""
        if self.on_change is not None:
            log.debug("%s", change.text)
            self.on_change(change)
        elif change.connected:
            log.info("%s", change.text)
        else:
            log.warning("%s", change.text)

    def stop(self) -> None:
        """Stop watching (no re-opening after this returns). Safe to call twice."""
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=2 * self.interval + 1)

    def close(self) -> None:
        """Stop watching and close the watcher's client (the caller closes its port first:
        ``stop``, close the port, ``close``)."""
        self.stop()
        self._lister.delete()


def _lister(rt: rtmidi.MidiIn | rtmidi.MidiOut, kind: Literal["output", "input"],
            name: str) -> rtmidi.MidiIn | rtmidi.MidiOut | JackPortLister:
    """A client that lists the ports ``rt`` lists: under JACK one that is never activated."""
    if rt.get_current_api() == rtmidi.API_UNIX_JACK:
        client = PassiveClient.open(name)
        if client is not None:
            return JackPortLister(client, kind)
    with quiet_stderr():
        return type(rt)(rt.get_current_api(), name)


def _without_numbers(port_name: str) -> str:
    """``FLUID Synth (123):Synth input port (123:0) 130:0`` -> without the trailing ALSA
    ``client:port`` numbers."""
    head, _, tail = port_name.rpartition(" ")
    if head and tail.replace(":", "").isdigit() and tail.count(":") == 1:
        return head
    return port_name
