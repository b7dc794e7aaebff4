"""The buffer between generating and sending: MIDI messages waiting for their tick.

Sampling and decoding run a beat or two ahead and push here; the dispatcher pops what is due.
Each message has two positions in session ticks (12 a beat from the session's beat 0): ``tick``
on the straight grid where it was written, and ``at`` where it is played (swung; clock pulses
are never swung). The buffer is ordered by ``at``; the dispatcher turns ``at`` into clock
seconds only when the message is next, so a tempo change moves every waiting message at once.
A swing change re-places the messages of the beats it applies to (``replace``).

A note is pushed as a pair (its note-on and note-off share an id), so that the buffer can cut a
voice at a bar line (a turn ends, the chords change): note-ons from there on go, note-offs of
notes already started move to the cut, so nothing hangs.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import mido

from live_jazz.music.swing import MIN_LENGTH_TICKS

Voice = Literal["improviser", "comping", "clock"]
"""Who a buffered message belongs to."""

_RANK = {"note_off": 0, "start": 1, "songpos": 1, "continue": 1, "clock": 1}
"""At one tick: note-offs first (a repeated pitch is released before it sounds again), then
the clock's messages (in the order pushed: Start before the first pulse), then everything
else (note-ons)."""
_RANK_OTHER = 2


@dataclass(order=True)
class Scheduled:
    """One message waiting for its tick."""

    at: float
    """Where it is played, in session ticks (swung)."""
    rank: int
    """Order among messages of one tick (note-offs first)."""
    seq: int
    """Order of pushing, the last tie-break."""
    tick: float = field(compare=False)
    """Where it is written, in straight session ticks."""
    message: mido.Message = field(compare=False)
    """What to send."""
    voice: Voice = field(compare=False)
    """Whose message it is."""
    note_id: int | None = field(compare=False, default=None)
    """Shared by a note's note-on and note-off."""
    base_velocity: int = field(compare=False, default=0)
    """For an improviser note-on: the base velocity it was generated with (the dispatcher
    rescales to the velocity in force when it sounds)."""
    shift: float = field(compare=False, default=0.0)
    """Ticks it is played off its swung place (the players' feel): kept when swing changes."""


class EventBuffer:
    """A heap of ``Scheduled`` messages. Used by the engine thread only (no lock)."""

    def __init__(self) -> None:
        self._heap: list[Scheduled] = []
        self._seq = itertools.count()
        self._ids = itertools.count(1)

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, tick: float, at: float, message: mido.Message, voice: Voice,
             note_id: int | None = None, base_velocity: int = 0, shift: float = 0.0) -> None:
        """Queue one message written at ``tick``, played at ``at``."""
        rank = _RANK.get(message.type, _RANK_OTHER)
        if message.type == "note_on" and message.velocity == 0:
            rank = 0
        heapq.heappush(self._heap, Scheduled(at, rank, next(self._seq), tick, message, voice,
                                             note_id, base_velocity, shift))

    def push_note(self, voice: Voice, onset: float, end: float, place: Callable[[float], float],
                  channel: int, pitch: int, velocity: int, base_velocity: int = 0,
                  shift: float = 0.0, within: tuple[float, float] | None = None) -> int:
        """Queue a note-on at ``onset`` and its note-off at ``end`` (straight ticks), played
        at ``place(tick)`` moved by ``shift`` ticks, and kept ``within`` these straight ticks
        (a turn: an early note never starts in the human's); returns the note's id."""
        note_id = next(self._ids)
        end = max(end, onset)
        on_at, off_at = place(onset) + shift, place(end) + shift
        if within is not None:
            low = place(within[0])
            high = place(within[1]) if math.isfinite(within[1]) else math.inf
            on_at = min(max(on_at, low), high - MIN_LENGTH_TICKS)
            off_at = min(off_at, high)
        self.push(onset, on_at,
                  mido.Message("note_on", channel=channel, note=pitch, velocity=velocity),
                  voice, note_id, base_velocity, shift)
        self.push(end, max(off_at, on_at + MIN_LENGTH_TICKS),
                  mido.Message("note_off", channel=channel, note=pitch),
                  voice, note_id, shift=shift)
        return note_id

    def replace(self, place: Callable[[float], float], from_tick: float) -> None:
        """Re-place the non-clock messages written from ``from_tick`` on (swing changed)."""
        for item in self._heap:
            if item.voice != "clock" and item.tick >= from_tick:
                item.at = place(item.tick) + item.shift
        heapq.heapify(self._heap)

    def peek(self) -> Scheduled | None:
        """The next message, or None."""
        return self._heap[0] if self._heap else None

    def pop(self) -> Scheduled:
        """Take the next message."""
        return heapq.heappop(self._heap)

    def cut(self, voice: Voice, tick: float, at: float) -> int:
        """Drop ``voice``'s messages written from ``tick`` (played at ``at``) on, except that
        note-offs of notes whose note-on stays move there. Returns the number of notes
        dropped."""
        dropped_ons = {s.note_id for s in self._heap
                       if s.voice == voice and s.tick >= tick and s.message.type == "note_on"}
        kept: list[Scheduled] = []
        for item in self._heap:
            if item.voice != voice or item.tick < tick:
                kept.append(item)
            elif item.message.type == "note_off" and item.note_id not in dropped_ons:
                item.tick, item.at = tick, min(item.at, at)  # its note has begun: end it here
                kept.append(item)
        heapq.heapify(kept)
        self._heap = kept
        return len(dropped_ons)

    def note_off_at(self, note_id: int) -> float | None:
        """Where the note-off of note ``note_id`` is played, if it is waiting."""
        for item in self._heap:
            if item.note_id == note_id and item.message.type == "note_off":
                return item.at
        return None

    def drop_note_off(self, note_id: int) -> None:
        """Forget the note-off of a note whose note-on was never sent."""
        self._heap = [s for s in self._heap
                      if not (s.note_id == note_id and s.message.type == "note_off")]
        heapq.heapify(self._heap)

    def clear(self) -> None:
        """Drop everything (the port's own tracking releases notes already sounding)."""
        self._heap.clear()
