"""The human's MIDI input, made into notes.

The input port's callback only queues ``(time, message)``; the engine thread feeds them here.
Only note-ons and note-offs (a note-on of velocity 0 is a note-off) count; everything else --
SysEx, clock, controllers, stray note-offs -- is ignored without complaint. A note-on with no
note-off is closed after ``MAX_HELD_BEATS`` so that a stuck key cannot hold a call open forever.
Every channel is heard (a keyboard may send on any); nothing is echoed to the output, so the
human's notes cannot hang on it.

``quantize`` puts a heard note on the values' grid: its clock times -> session beats (tempo
map), swing taken out, then the nearest sixteenth or eighth-triplet position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note

MAX_HELD_BEATS = 8.0
"""A key held longer than this (or a note-on that never got its note-off) counts as released."""

GRID = (0, 2, 3, 4, 6, 8, 9, 10, 12)
"""Positions within a beat (in ticks) an onset or release snaps to: sixteenths, eighth
triplets and the sixteenth triplets between them."""


@dataclass(frozen=True)
class HeardNote:
    """A note the human played, in clock seconds."""

    onset: float
    """Clock time of the note-on."""
    end: float
    """Clock time of the note-off (or of the forced release)."""
    pitch: int
    """MIDI pitch."""
    velocity: int
    """Note-on velocity."""
    channel: int
    """Channel it came on (0-based)."""


@dataclass(frozen=True)
class KeyEvent:
    """A note-on or note-off heard (what the engine records and acts on)."""

    time: float
    """Clock time it arrived."""
    message: mido.Message
    """A clean note_on (velocity > 0) or note_off."""
    note: HeardNote | None
    """For a note-off: the note it ends."""


class Listener:
    """Tracks the keys held down; used by the engine thread only."""

    def __init__(self) -> None:
        self._held: dict[tuple[int, int], tuple[float, int]] = {}
        """(channel, pitch) -> (onset time, velocity) of the keys down."""

    @property
    def sounding(self) -> int:
        """How many keys are down."""
        return len(self._held)

    def feed(self, time: float, message: mido.Message) -> KeyEvent | None:
        """One incoming message; returns the key event it makes, if any."""
        if message.type == "note_on" and message.velocity > 0:
            key = (message.channel, message.note)
            if key in self._held:  # a second note-on of a held key: the first one ends here
                return self._release(key, time)
            self._held[key] = (time, message.velocity)
            return KeyEvent(time, message, None)
        if message.type in ("note_off", "note_on"):
            key = (message.channel, message.note)
            if key in self._held:
                return self._release(key, time)
        return None

    def expire(self, now: float, seconds_per_beat: float) -> list[KeyEvent]:
        """Release keys held longer than MAX_HELD_BEATS."""
        limit = MAX_HELD_BEATS * seconds_per_beat
        stuck = [key for key, (onset, _) in self._held.items() if now - onset > limit]
        return [self._release(key, now) for key in stuck]

    def release_all(self, now: float) -> list[KeyEvent]:
        """Release every held key (the session ends)."""
        return [self._release(key, now) for key in list(self._held)]

    def _release(self, key: tuple[int, int], time: float) -> KeyEvent:
        onset, velocity = self._held.pop(key)
        channel, pitch = key
        note = HeardNote(onset, time, pitch, velocity, channel)
        return KeyEvent(time, mido.Message("note_off", channel=channel, note=pitch), note)


def snap_tick(tick: float) -> int:
    """The nearest grid position (see GRID) to a straight tick."""
    beat, within = divmod(tick, TICKS_PER_BEAT)
    nearest = min(GRID, key=lambda g: abs(g - within))
    return int(beat) * TICKS_PER_BEAT + nearest


def quantize(note: HeardNote, straight_tick_at: Callable[[float], float], origin_tick: int) -> Note:
    """``note`` on the grid, in ticks from ``origin_tick``; ``straight_tick_at(time)`` is the
    transport's clock time -> straight session tick (swing taken out)."""
    onset = snap_tick(straight_tick_at(note.onset))
    end = snap_tick(straight_tick_at(note.end))
    return Note(onset - origin_tick, max(1, end - onset), note.pitch, note.velocity)
