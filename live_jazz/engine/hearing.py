"""Hearing the human: the input's messages -> keys (``Listener``) -> notes on the session's grid.

The engine thread drains the input queue here: a clock master's messages go to the beat source
as they come, the keys' become ``Heard`` events the loop publishes (to the recording, the UI,
the turn-taking); the notes heard are kept on the grid for building calls.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.engine.beat import BeatSource
from live_jazz.engine.listener import MAX_HELD_BEATS, HeardNote, KeyEvent, Listener, quantize
from live_jazz.midi_io.ports import InputQueue

HEARD_KEPT = 4096
"""How many of the human's notes are kept for building calls."""
HELD_BEFORE_TICK = 256
"""Keys played between a master's Start and its first tick wait for it, at most this many."""


@dataclass(frozen=True)
class Heard:
    """A key the human pressed or released, placed in the session's time."""

    message: mido.Message
    """A clean note_on (velocity > 0) or note_off."""
    played: float
    """The played (swung) session tick it sounded at: what the recording holds."""
    tick: int
    """The straight grid tick nearest it: what the turn-taking counts."""
    note: HeardNote | None
    """For a release: the note it ends, in clock seconds."""


class Hearing:
    """The human's keys and the notes heard, in the engine thread."""

    def __init__(self, input_queue: InputQueue | None, beat: BeatSource,
                 now: Callable[[], float]) -> None:
        self.input_queue = input_queue
        self.beat = beat
        self.now = now
        self.keys = Listener()
        self.notes: deque[Note] = deque(maxlen=HEARD_KEPT)
        """The human's notes on the grid (session ticks), in the order they ended."""
        self._waiting: list[KeyEvent] | None = None
        """Keys heard after a master's Start, before its first tick starts the beat (None: no
        Start waits): heard, at the top, once it does."""

    def drain(self, to_beat: Callable[[mido.Message, float], None],
              control: Callable[[mido.Message], bool]) -> list[KeyEvent]:
        """What came in since the last call: the beat's messages go to ``to_beat`` at once,
        bound knobs, pads and pedals to ``control`` (which says whether it took the message:
        a control never reaches the model as a note), the keys' are returned (stuck keys
        released too)."""
        if self.input_queue is None:
            return []
        events: list[KeyEvent] = []
        for time, message in self.input_queue.drain():
            if self.beat.takes(message):
                if message.type in ("start", "continue"):
                    self._waiting = []  # keys played before its first tick wait for that tick
                elif message.type == "stop":
                    self._waiting = None
                to_beat(message, time)
            elif not control(message):
                events += self.keys.feed(time, message)
        if self.beat.started:
            events += self.keys.expire(self.now(), self.beat.seconds_per_beat)
        return events

    def due(self, events: list[KeyEvent], playing: bool) -> list[KeyEvent]:
        """The keys to hear now, of ``events`` just drained: none while the session is not
        ``playing``, except that keys played after a master's Start wait for its first tick
        (at most HELD_BEFORE_TICK of them) and are heard then, at the top."""
        if not playing:
            if self._waiting is not None:
                self._waiting = (self._waiting + events)[-HELD_BEFORE_TICK:]
            return []
        held, self._waiting = self._waiting or [], None
        return held + events

    def place(self, event: KeyEvent) -> Heard:
        """``event`` in the session's time (the beat has started); a released note is kept."""
        played = self.beat.played_tick_at(event.time)
        if event.note is not None:
            self.notes.append(quantize(event.note, self.beat.snap))
        return Heard(event.message, played, self.beat.snap(event.time), event.note)

    def call(self, start: int, end: int) -> list[Note]:
        """The human's notes of a call, keys still down included, cut at its end (only the
        latest notes are looked at: the kept ones go back a long way)."""
        notes = [quantize(note, self.beat.snap) for note in self.keys.held(self.now())]
        for note in reversed(self.notes):
            if note.onset < start - MAX_HELD_BEATS * TICKS_PER_BEAT:
                break
            notes.append(note)
        return sorted((Note(n.onset, min(n.duration, end - n.onset), n.pitch, n.velocity)
                       for n in notes if start <= n.onset < end),
                      key=lambda n: (n.onset, n.pitch))
