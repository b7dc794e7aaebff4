"""The port interface the engine talks to, in the style of mido's ``BaseOutput``: a base class
that holds the safety once (closed-port checks, a lock, open-note tracking, note-offs and All
Notes Off) and small hooks that subclasses fill in (``_send``, ``_close``).

``RecordingPort`` collects ``(time, message)`` for tests; ``live_jazz.midi_io.rtmidi_ports``
opens real ports. Input ports share a base too (``InputPort``, as mido's ``BaseInput``): they
fill a thread-safe queue that the engine drains.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, TypeVar

import mido

log = logging.getLogger(__name__)

ALL_NOTES_OFF = 123
"""Control change number of All Notes Off."""
SUSTAIN = 64
"""Control change number of the sustain pedal (value 0: off)."""


class PortError(OSError):
    """A port could not be opened or has gone away."""


@dataclass(frozen=True)
class PortChange:
    """A watched port went away or came back."""

    kind: Literal["output", "input"]
    """Which side of live-jazz it is."""
    port: str
    """The system's name of the port."""
    connected: bool
    """False: it vanished (sends are counted as lost); True: it is back and reconnected."""

    @property
    def text(self) -> str:
        """One line for a log."""
        if self.connected:
            return f"MIDI {self.kind} port {self.port!r} is back: reconnected"
        return f"MIDI {self.kind} port {self.port!r} vanished: reconnecting when it returns"


OnPortChange = Callable[[PortChange], None]
"""Called from a port watcher's thread; must return at once."""



class Port:
    """What every port has, as mido's ``BasePort``: a name, a lock, ``closed``; ``close`` (safe
    to call twice) also on leaving a ``with`` block."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False
        self._lock = threading.RLock()

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: P) -> P:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<{type(self).__name__} {self.name!r} {state}>"


P = TypeVar("P", bound=Port)


class OutputPort(Port):
    """Base of every output port. Thread-safe; every note-on it passes is tracked until its
    note-off, so ``all_notes_off`` / ``close`` leave nothing hanging.

    Subclasses implement ``_send(message)`` (may raise ``PortError`` when the port has gone)
    and optionally ``_close()``.
    """

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._open_notes: dict[tuple[int, int], int] = {}
        """(channel, pitch) -> how many note-ons are sounding."""
        self.errors = 0
        """Sends that failed (the port was gone)."""

    # -- hooks ------------------------------------------------------------------------------

    def _send(self, message: mido.Message) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        """Release the backend's resources."""

    # -- the safe API -----------------------------------------------------------------------

    def send(self, message: mido.Message) -> bool:
        """Send one message; returns False if the backend failed (counted in ``errors``).
        Note-ons and note-offs are tracked whether or not the backend took them, so the
        bookkeeping stays right across a lost port."""
        if self.closed:
            raise ValueError(f"send on closed port {self.name!r}")
        with self._lock:
            self._track(message)
            return self._send_safely(message)

    def _send_safely(self, message: mido.Message) -> bool:
        try:
            self._send(message)
        except (PortError, OSError, RuntimeError) as error:
            self.errors += 1
            if self.errors == 1 or self.errors % 1000 == 0:
                log.debug("port %s: send failed (%s)", self.name, error)
            return False
        return True

    def _track(self, message: mido.Message) -> None:
        if message.type == "note_on" and message.velocity > 0:
            key = (message.channel, message.note)
            self._open_notes[key] = self._open_notes.get(key, 0) + 1
        elif message.type in ("note_off", "note_on"):
            key = (message.channel, message.note)
            count = self._open_notes.get(key, 0)
            if count <= 1:
                self._open_notes.pop(key, None)
            else:
                self._open_notes[key] = count - 1

    @property
    def open_notes(self) -> set[tuple[int, int]]:
        """(channel, pitch) of the notes sounding now."""
        with self._lock:
            return set(self._open_notes)

    def notes_off(self) -> None:
        """A note-off for every note sounding (one per note-on)."""
        with self._lock:
            for (channel, pitch), count in list(self._open_notes.items()):
                for _ in range(count):
                    self._send_safely(mido.Message("note_off", channel=channel, note=pitch))
            self._open_notes.clear()

    def all_notes_off(self, channels: Iterable[int] = range(16)) -> None:
        """Note-offs for open notes, then All Notes Off (CC 123) on ``channels``."""
        if self.closed:
            return
        with self._lock:
            self.notes_off()
            for channel in channels:
                self._send_safely(
                    mido.Message("control_change", channel=channel, control=ALL_NOTES_OFF)
                )

    def reset(self, channels: Iterable[int]) -> None:
        """Sustain off and All Notes Off on ``channels``, as DAWs send when a port opens:
        releases what a previous run, killed before it could, left hanging at the synth."""
        with self._lock:
            for channel in channels:
                for control in (SUSTAIN, ALL_NOTES_OFF):
                    self._send_safely(mido.Message("control_change", channel=channel,
                                                   control=control, value=0))

    def panic(self) -> None:
        """All notes off on every channel."""
        self.all_notes_off(range(16))

    def close(self) -> None:
        """All notes off, then close. Safe to call twice."""
        with self._lock:
            if self.closed:
                return
            self.panic()
            self.closed = True
            try:
                self._close()
            except (OSError, RuntimeError) as error:
                log.debug("port %s: close failed (%s)", self.name, error)


class RecordingPort(OutputPort):
    """Collects ``(time, message)`` (time from ``clock``, or None) instead of sending: tests."""

    def __init__(self, name: str = "recording", clock: Callable[[], float] | None = None) -> None:
        super().__init__(name)
        self.clock = clock
        self.sent: list[tuple[float | None, mido.Message]] = []
        self.fail = False
        """Set to make sends fail as if the port had vanished."""

    def _send(self, message: mido.Message) -> None:
        if self.fail:
            raise PortError(f"port {self.name!r} is gone")
        self.sent.append((self.clock() if self.clock else None, message))

    @property
    def messages(self) -> list[mido.Message]:
        return [m for _, m in self.sent]


class NullPort(OutputPort):
    """Sends nowhere (benchmarks of the engine alone, a lost port's stand-in)."""

    def _send(self, message: mido.Message) -> None:
        pass


class InputPort(Port):
    """Base of every input port, in the manner of mido's ``BaseInput``: it fills an
    ``InputQueue`` that the engine thread drains. Thread-safe; ``close`` is safe to call twice.

    Subclasses implement ``_close()``; a port whose backend queues for us to read (``polled``:
    JACK, where no Python may run in the backend's cycle) implements ``_poll()``, which every
    ``drain`` of its queue calls first.
    """

    polled = False
    """Whether the queue's reader reads the backend (``_poll``) rather than a callback filling
    the queue."""

    def __init__(self, name: str, queue: InputQueue) -> None:
        super().__init__(name)
        self.queue = queue
        queue.port = self

    # -- hooks ------------------------------------------------------------------------------

    def _poll(self) -> None:
        """Queue what the backend holds (polled ports)."""

    def _close(self) -> None:
        """Release the backend's resources."""

    # -- the safe API -----------------------------------------------------------------------

    def poll(self) -> None:
        """Queue what the backend holds, unless closed (``InputQueue.drain`` calls it)."""
        with self._lock:
            if not self.closed:
                self._poll()

    def close(self) -> None:
        """Stop listening. Safe to call twice."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
        self._close()


class InputQueue:
    """Where incoming messages wait for the engine: a backend's callback only ``put``s
    ``(time, message)``; the engine thread ``drain``s. ``on_put`` (optional) wakes the reader;
    a polled port (``InputPort.polled``) is read first by every ``drain``. The port ``report``s
    what the input lost; the engine logs ``take_reports``."""

    def __init__(self, clock: Callable[[], float], maxsize: int = 4096) -> None:
        self.clock = clock
        self._queue: queue.Queue[tuple[float, mido.Message]] = queue.Queue(maxsize)
        self.on_put: Callable[[], None] | None = None
        self.port: InputPort | None = None
        """The port that fills it (set by the port)."""
        self.dropped = 0
        self._reports: deque[str] = deque(maxlen=16)

    def report(self, text: str) -> None:
        """A line for the log about the input (any thread)."""
        self._reports.append(text)

    def take_reports(self) -> list[str]:
        """The lines reported since the last call, oldest first."""
        lines = []
        while self._reports:
            lines.append(self._reports.popleft())
        return lines

    @property
    def polled(self) -> bool:
        """Whether ``drain`` reads an open port's backend (then the reader must drain often)."""
        return self.port is not None and self.port.polled and not self.port.closed

    def put(self, message: mido.Message, time: float | None = None) -> None:
        try:
            self._queue.put_nowait((self.clock() if time is None else time, message))
        except queue.Full:
            self.dropped += 1
            return
        if self.on_put is not None:
            self.on_put()

    def drain(self) -> list[tuple[float, mido.Message]]:
        if self.port is not None and self.port.polled:
            self.port.poll()
        items = []
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                return items
