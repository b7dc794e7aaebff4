"""Notes + chords <-> values.

``encode`` turns a monophonic line (already on the tick grid) into values against the chords
sounding under it; ``Decoder`` turns values back into concrete MIDI pitches that fit the chord,
the motion and a playable register, one value at a time (the live engine) or all at once
(``decode``).

Written durations, not articulation: a note's value lasts until the next onset unless the
silence after it is at least ``REST_THRESHOLD`` ticks (an eighth), in which case the silence
becomes rest values. A staccato eighth-note line is thus still a line of eighths, as a
transcriber would write it; decoding gives notes that last their full written length and the
player applies articulation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from live_jazz.encoding.values import (
    DURATIONS,
    MAX_DURATION,
    START,
    Motion,
    Role,
    Value,
    motion_of,
    split_duration,
)
from live_jazz.theory import Chord, ChordSource

REST_THRESHOLD = 6
"""A silence shorter than this many ticks after a note is articulation, not a rest."""

DEFAULT_REGISTER = (50, 86)
"""Default playable register for decoding (MIDI pitches, inclusive): D3 to D6."""


@dataclass(frozen=True)
class Note:
    """A note on the tick grid."""

    onset: int
    """Start, in ticks from the start of the piece."""
    duration: int
    """Length in ticks (at least 1)."""
    pitch: int
    """MIDI pitch 0-127."""
    velocity: int = 90
    """MIDI velocity 1-127."""


def role_of(pitch: int, chord: Chord) -> Role:
    """The harmonic role of a pitch over a chord (every note is SCALE under NC)."""
    if chord.is_no_chord or chord.root is None:
        return Role.SCALE
    interval = (pitch - chord.root) % 12
    if interval in chord.tones:
        return Role.CHORD
    if interval in chord.scale:
        return Role.SCALE
    if (interval + 1) % 12 in chord.tones or (interval - 1) % 12 in chord.tones:
        return Role.APPROACH
    return Role.OUTSIDE


def _nearest_duration(ticks: int, limit: int) -> int:
    """The grid duration nearest ``ticks`` that is at most ``limit`` (ties to the shorter)."""
    return min((d for d in DURATIONS if d <= limit), key=lambda d: (abs(d - ticks), d))


def _note_value(duration: int, role: Role, motion: Motion) -> list[Value]:
    """A note of ``duration`` ticks: the longest grid duration that fits, then rests for the
    remainder so that later values stay on the metrical grid."""
    written = max(d for d in DURATIONS if d <= min(duration, MAX_DURATION))
    return [Value(written, role, motion)] + [Value(r) for r in split_duration(duration - written)]


def encode(
    notes: Iterable[Note],
    chords: ChordSource,
    *,
    start_tick: int = 0,
    prev_pitch: int | None = None,
) -> list[Value]:
    """Values of a monophonic line from ``start_tick`` on.

    Notes starting together keep the highest (the melody); a note cut by the next onset ends
    there. A gap before the first note becomes rests, so the phrase keeps its place in the bar.
    ``prev_pitch`` is the note before the phrase, if any (else the first note is a START).
    """
    line: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.onset, -n.pitch)):
        if note.onset < start_tick or (line and line[-1].onset == note.onset):
            continue
        line.append(note)

    values = [Value(r) for r in split_duration(line[0].onset - start_tick)] if line else []
    previous = prev_pitch
    for i, note in enumerate(line):
        motion = motion_of(None if previous is None else note.pitch - previous)
        role = role_of(note.pitch, chords.chord_at(note.onset))
        sounding = max(1, note.duration)
        slot = line[i + 1].onset - note.onset if i + 1 < len(line) else sounding
        # Before a real rest the written length is the sounding one rounded to the grid;
        # otherwise the note lasts until the next onset.
        written = slot if slot - sounding < REST_THRESHOLD else _nearest_duration(sounding, slot)
        values += _note_value(written, role, motion)
        values += [Value(r) for r in split_duration(slot - written)]
        previous = note.pitch
    return values


@dataclass
class Decoder:
    """Realizes values as notes, one at a time, keeping the previous pitch and the position."""

    rng: np.random.Generator
    """Chooses among the pitches that fit a value equally well."""
    register: tuple[int, int] = DEFAULT_REGISTER
    """Lowest and highest MIDI pitch it may play."""
    tick: int = 0
    """Where the next value starts."""
    prev_pitch: int | None = None
    """The last pitch played (or heard), the origin of the next motion."""
    velocity: int = 90
    """Velocity given to decoded notes."""
    _center: int = field(init=False)

    def __post_init__(self) -> None:
        low, high = self.register
        if not 0 <= low < high <= 127 or high - low < 12:
            raise ValueError(f"register {low}-{high} must span at least an octave inside 0-127")
        self._center = (low + high) // 2

    def step(self, value: Value, chords: ChordSource) -> Note | None:
        """The note of ``value`` at the current position (None for a rest); advances."""
        onset = self.tick
        self.tick += value.duration
        if value.role is None or value.motion is None:
            return None
        pitch = self._choose_pitch(value.role, value.motion, chords.chord_at(onset))
        self.prev_pitch = pitch
        return Note(onset, value.duration, pitch, self.velocity)

    def _choose_pitch(self, role: Role, motion: Motion, chord: Chord) -> int:
        """A pitch with the value's role, reached by the value's motion if the chord allows,
        else by the nearest wider interval: the harmony wins over the exact leap."""
        for widen in range(13):
            fitting = [p for p in self._targets(motion, widen) if role_of(p, chord) == role]
            if fitting:
                return int(fitting[self.rng.integers(len(fitting))])
        # The chord has no pitch of this role at all (e.g. no "outside" note over a dim7).
        candidates = self._targets(motion, 0)
        return int(candidates[self.rng.integers(len(candidates))])

    def _targets(self, motion: Motion, widen: int) -> list[int]:
        """Pitches reached by ``motion`` (its interval range widened by ``widen`` semitones)
        inside the register. A leap that would leave the register turns the other way, as a
        player folds a line back into range. With no previous note: around the middle."""
        low, high = self.register
        if motion == START or self.prev_pitch is None:
            origin, intervals = self._center, list(range(-7 - widen, 8 + widen))
        elif motion.direction == 0:
            origin, intervals = self.prev_pitch, list(range(-widen, widen + 1))
        else:
            origin = self.prev_pitch
            sizes = range(max(1, motion.low - widen), motion.high + widen + 1)
            for direction in (motion.direction, -motion.direction):
                inside = [origin + direction * s for s in sizes
                          if low <= origin + direction * s <= high]
                if inside:
                    return inside
            intervals = []
        inside = [origin + i for i in intervals if low <= origin + i <= high]
        return inside or [min(max(origin, low), high)]


def decode(
    values: Sequence[Value],
    chords: ChordSource,
    rng: np.random.Generator,
    *,
    start_tick: int = 0,
    prev_pitch: int | None = None,
    register: tuple[int, int] = DEFAULT_REGISTER,
) -> list[Note]:
    """Notes of a whole value sequence (see ``Decoder``)."""
    decoder = Decoder(rng, register, tick=start_tick, prev_pitch=prev_pitch)
    notes = [decoder.step(value, chords) for value in values]
    return [n for n in notes if n is not None]
