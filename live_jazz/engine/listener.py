"""The human's MIDI input, made into notes.

The input port's callback only queues ``(time, message)``; the engine thread feeds them here.
Only note-ons and note-offs (a note-on of velocity 0 is a note-off) count; everything else --
SysEx, clock, controllers, stray note-offs -- is ignored without complaint. A note-on with no
note-off is closed after ``MAX_HELD_BEATS`` so that a stuck key cannot hold a call open forever.
Every channel is heard (a keyboard may send on any); nothing is echoed to the output, so the
human's notes cannot hang on it.

``quantize`` puts a heard note on the values' grid: its clock times -> played session ticks
(tempo map), then the grid position whose swung place is nearest (so swing is taken out).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import mido

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.music.swing import swung_tick

MAX_HELD_BEATS = 8.0
"""A key held longer than this (or a note-on that never got its note-off) counts as released."""

PREFERENCE = (0, 12, 6, 3, 9, 4, 8, 2, 10)
"""Positions within a beat (in ticks; 12 is the next downbeat) an onset or release snaps to,
coarsest first: beats, eighths, sixteenths, eighth triplets, sixteenth triplets."""


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

    def feed(self, time: float, message: mido.Message) -> list[KeyEvent]:
        """One incoming message; returns the key events it makes (none for most)."""
        if message.type == "note_on" and message.velocity > 0:
            key = (message.channel, message.note)
            # A second note-on of a held key: the first note ends where the second begins.
            events = [self._release(key, time)] if key in self._held else []
            self._held[key] = (time, message.velocity)
            return [*events, KeyEvent(time, message, None)]
        if message.type in ("note_off", "note_on"):
            key = (message.channel, message.note)
            if key in self._held:
                return [self._release(key, time)]
        return []

    def held(self, now: float) -> list[HeardNote]:
        """The keys down now, as notes lasting until ``now`` (a call closes while a key is
        still down at its end)."""
        return [HeardNote(onset, now, pitch, velocity, channel)
                for (channel, pitch), (onset, velocity) in self._held.items()]

    def expire(self, now: float, seconds_per_beat: float) -> list[KeyEvent]:
        """Release keys held longer than MAX_HELD_BEATS."""
        limit = MAX_HELD_BEATS * seconds_per_beat
        stuck = [key for key, (onset, _) in self._held.items() if now - onset > limit]
        return [self._release(key, now) for key in stuck]

    def _release(self, key: tuple[int, int], time: float) -> KeyEvent:
        onset, velocity = self._held.pop(key)
        channel, pitch = key
        note = HeardNote(onset, time, pitch, velocity, channel)
        return KeyEvent(time, mido.Message("note_off", channel=channel, note=pitch), note)


def snap_played(played: float, ratio: float) -> int:
    """The straight grid tick (see GRID) whose swung position at ``ratio`` is nearest the
    played position ``played`` (session ticks). Where swing puts two grid positions on one
    spot (at 2/3 the off-beat eighth falls on the third triplet), the coarser one wins: a
    swung eighth is heard as an eighth."""
    beat = math.floor(played / TICKS_PER_BEAT)
    within = played - beat * TICKS_PER_BEAT
    best = min(PREFERENCE, key=lambda g: (round(abs(swung_tick(g, ratio) - within), 6),
                                          PREFERENCE.index(g)))
    return beat * TICKS_PER_BEAT + best


def quantize(note: HeardNote, snap: Callable[[float], int]) -> Note:
    """``note`` on the grid, in straight session ticks: ``snap`` is the transport's clock time
    -> nearest grid tick (``BeatSource.snap``)."""
    onset, end = snap(note.onset), snap(note.end)
    return Note(onset, max(1, end - onset), note.pitch, note.velocity)
