"""Test clients on a JACK server that hear exactly what arrives, and the checks that a stream of
MIDI ends every note it starts.

A test client must not hear through an rtmidi callback: rtmidi calls it inside JACK's process
cycle, where it waits for Python's GIL while the engine (in the same process) holds it. The
client then overruns its period and reads its port buffer after the sender has rewritten it,
and rtmidi hands over events repeated, lost or copied from their neighbours. ``JackEar`` lets
rtmidi queue what arrives (no Python in the cycle) and reads that queue from a thread.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import mido
import rtmidi

from live_jazz.midi_io import port_graph
from live_jazz.midi_io.jack_lib import rtmidi_client
from live_jazz.midi_io.ports import ALL_NOTES_OFF

POLL_SECONDS = 0.001
"""How often a test client reads rtmidi's queue (a callback would garble: see rtmidi_ports)."""
CONNECT_SECONDS = 0.05
"""How long a new test client waits before it plays (see ``Player``)."""
WAIT_SECONDS = 15.0
"""Liveness bound for what happens asynchronously (delivery, the port watcher, an answer):
generous, so a loaded machine cannot fail a test; a healthy run waits milliseconds to a second."""

_serial = itertools.count()


def unique(prefix: str) -> str:
    """A client name no other test uses (JACK renames clashing clients)."""
    return f"{prefix}-{next(_serial)}"


def close_client(rt: rtmidi.MidiIn | rtmidi.MidiOut) -> None:
    """Close a test client's port once the graph has settled, then the client."""
    port_graph.close_port(rt)
    rt.delete()


def wait_for(condition: Callable[[], bool]) -> bool:
    """Whether ``condition`` comes true within ``WAIT_SECONDS``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


class Player:
    """A test client that plays into a port by name."""

    def __init__(self, client: str, destination: str) -> None:
        self.rt = rtmidi_client(rtmidi.MidiOut, rtmidi.API_UNIX_JACK, client)
        self.rt.open_port(self.rt.get_ports().index(destination), "out")
        port_graph.changed()
        # A new client's first cycles can leave its port buffer unwritten when the receiver
        # mixes it down ("MidiBufferMixdown - invalid source buffer"): what is sent at once is
        # then lost. A few periods later it is not.
        time.sleep(CONNECT_SECONDS)

    def play(self, pitch: int, seconds: float) -> None:
        """A note held for ``seconds``."""
        self.rt.send_message([0x90, pitch, 90])
        time.sleep(seconds)
        self.rt.send_message([0x80, pitch, 0])

    def close(self) -> None:
        close_client(self.rt)


class JackEar:
    """A JACK client that keeps ``(arrival time, message)`` of what reaches its input: a virtual
    port ``<client>:in`` (``source`` None) or connected to the port named ``source``."""

    def __init__(self, client: str, source: str | None = None, timing: bool = False) -> None:
        self._lock = threading.Lock()
        self.heard: list[tuple[float, mido.Message]] = []
        self.rt = rtmidi_client(rtmidi.MidiIn, rtmidi.API_UNIX_JACK, client)
        self.rt.ignore_types(sysex=True, timing=not timing, active_sense=True)
        if source is None:
            self.rt.open_virtual_port("in")
        else:
            self.rt.open_port(self.rt.get_ports().index(source), "in")
        port_graph.changed()
        time.sleep(CONNECT_SECONDS)  # its first cycles may miss what is sent (see Player)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, name=f"ear {client}", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            event = self.rt.get_message()
            if event is None:
                time.sleep(POLL_SECONDS)
                continue
            with self._lock:
                self.heard.append((time.perf_counter(), mido.Message.from_bytes(event[0])))

    def messages(self) -> list[mido.Message]:
        with self._lock:
            return [m for _, m in self.heard]

    def close(self) -> None:
        """Stop listening (what is heard stays). Safe to call twice."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join()
        close_client(self.rt)


CLOSING = [mido.Message("control_change", channel=channel, control=ALL_NOTES_OFF)
           for channel in range(16)]
"""What a closing output sends last: All Notes Off on every channel."""


def closed(messages: list[mido.Message]) -> bool:
    """The closing All Notes Off have arrived (nothing follows them)."""
    return messages[-16:] == CLOSING


def unmatched(messages: list[mido.Message]) -> tuple[list[mido.Message], Counter]:
    """(note-offs that came before any note-on of theirs, (channel, pitch) left sounding)."""
    sounding: Counter[tuple[int, int]] = Counter()
    strays = []
    for m in messages:
        if m.type == "note_on" and m.velocity > 0:
            sounding[(m.channel, m.note)] += 1
        elif m.type in ("note_on", "note_off"):
            if sounding[(m.channel, m.note)] == 0:
                strays.append(m)
            else:
                sounding[(m.channel, m.note)] -= 1
    return strays, +sounding


def assert_ended_cleanly(messages: list[mido.Message], strays_allowed: bool = False) -> None:
    """The stream of an output that was closed: each note-on ended by its own note-off, no
    note-off without its note-on (unless ``strays_allowed``: notes begun while the receiver
    was gone end after it is back), All Notes Off on every channel last."""
    strays, left = unmatched(messages)
    assert strays_allowed or not strays, f"note-offs without their note-on: {strays[:4]}"
    assert not left, f"notes never ended: {dict(left)}"
    assert closed(messages), f"not All Notes Off on every channel last: {messages[-16:]}"


XRUN_LINE = re.compile(r"JackEngine::XRun: client = (.+) was not finished")
"""What jackd logs for each client that missed a cycle's deadline."""


@contextlib.contextmanager
def private_jack_server(name: str, realtime: bool, period: int = 256) -> Iterator[Path]:
    """A JACK server of our own (dummy driver, 48 kHz, ``period`` frames), named ``name`` so
    that it never touches the shared one: clients reach it with ``JACK_DEFAULT_SERVER=name``.
    Yields the path of its log (``xruns_by_client`` reads it); stopped at the end."""
    log = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])
    mode = "--realtime" if realtime else "--no-realtime"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            ["jackd", "-n", name, mode, "-d", "dummy", "-r", "48000", "-p", str(period)],
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            env={**os.environ, "JACK_NO_AUDIO_RESERVATION": "1"},
        )
    try:
        subprocess.run(["jack_wait", "-s", name, "-w", "-t", "10"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=15)
        yield log
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.unlink(missing_ok=True)


def xruns_by_client(log: Path, since: int = 0) -> Counter:
    """Client name -> xruns charged to it in a server's log, from byte ``since`` on."""
    with log.open("rb") as source:
        source.seek(since)
        text = source.read().decode(errors="replace")
    return Counter(match.group(1) for match in XRUN_LINE.finditer(text))
