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

from live_jazz.encoding.articulation import LEGATO, Articulation
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

DEFAULT_REGISTER = (48, 84)
"""Default playable register for decoding (MIDI pitches, inclusive): C3 to C6. Its middle (66,
F#4) is where the WJazzD training solos sit: the median of their median pitches is 66 (the
model's register feature is measured from each solo's median). Centred on 68 (D3 to D6), the
generated lines sat 3 semitones above the players' (live-jazz bench music --split tune)."""


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


def _note_value(duration: int, role: Role, motion: Motion, pitch: int, sounding: int) -> (
        list[Played]):
    """A note of ``duration`` ticks (``sounding`` of them heard): the longest grid duration
    that fits, then rests for the remainder so that later values stay on the metrical grid."""
    written = max(d for d in DURATIONS if d <= min(duration, MAX_DURATION))
    return [Played(Value(written, role, motion), pitch, min(sounding, written))] + _rests(
        duration - written)


def _rests(ticks: int) -> list[Played]:
    return [Played(Value(r), None) for r in split_duration(ticks)]


@dataclass(frozen=True, slots=True)
class Played:
    """A value with the pitch that realized it (None for a rest)."""

    value: Value
    pitch: int | None
    sounding: int | None = None
    """Ticks the note was heard, when known (a transcription: its articulation)."""


def encode_line(
    notes: Iterable[Note],
    chords: ChordSource,
    *,
    start_tick: int = 0,
    prev_pitch: int | None = None,
) -> list[Played]:
    """Values of a monophonic line from ``start_tick`` on, each with its pitch.

    Notes starting together keep the highest (the melody); a note cut by the next onset ends
    there. A gap before the first note becomes rests, so the phrase keeps its place in the bar.
    ``prev_pitch`` is the note before the phrase, if any (else the first note is a START).
    """
    line: list[Note] = []
    for note in sorted(notes, key=lambda n: (n.onset, -n.pitch)):
        if note.onset < start_tick or (line and line[-1].onset == note.onset):
            continue
        line.append(note)

    played = _rests(line[0].onset - start_tick) if line else []
    previous = prev_pitch
    for i, note in enumerate(line):
        motion = motion_of(None if previous is None else note.pitch - previous)
        role = role_of(note.pitch, chords.chord_at(note.onset))
        sounding = max(1, note.duration)
        slot = line[i + 1].onset - note.onset if i + 1 < len(line) else sounding
        # Before a real rest the written length is the sounding one rounded to the grid;
        # otherwise the note lasts until the next onset.
        written = slot if slot - sounding < REST_THRESHOLD else _nearest_duration(sounding, slot)
        played += _note_value(written, role, motion, note.pitch, sounding)
        played += _rests(slot - written)
        previous = note.pitch
    return played


def encode(
    notes: Iterable[Note],
    chords: ChordSource,
    *,
    start_tick: int = 0,
    prev_pitch: int | None = None,
) -> list[Value]:
    """The values of ``encode_line`` without their pitches."""
    return [p.value for p in encode_line(notes, chords, start_tick=start_tick,
                                         prev_pitch=prev_pitch)]


ROLE_ORDER = (Role.CHORD, Role.SCALE, Role.APPROACH, Role.OUTSIDE)
"""Roles from the most to the least consonant: when the motion has no pitch of the sampled
role, the decoder takes the pitch of the nearest role along this order."""

REGISTER_PULL = 1.0
"""How strongly the decoder prefers, among pitches that fit a value equally well, those near
the middle of the register: weight exp(-REGISTER_PULL * octaves from the middle), so a pitch an
octave off the middle counts 0.37 of one there. Gentle: it chooses within the motion class the
model sampled, never changes it. Chosen on ``live-jazz bench music --split tune`` (solo range
of the shipped weights, real 18.0 semitones: 21.0 without the pull, 20.0 at 0.35, 19.1 at 1,
21.0 at 2; the other figures within noise of each other)."""


@dataclass
class Decoder:
    """Realizes values as notes, one at a time, keeping the previous pitch and the position.

    The motion the model sampled is kept exactly: a step stays that step, a third that third,
    and a binned leap stays inside its bin (a leap that would leave the register turns the
    other way, as a player folds a line back into range). The role chooses among the pitches
    of the motion; when none has the sampled role the nearest role (``ROLE_ORDER``) is taken,
    never a wider interval.
    """

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
    pull: float = REGISTER_PULL
    """Preference for pitches near the middle of the register (0: none)."""
    articulation: Articulation = LEGATO
    """How long each note sounds within its value (legato: to its end)."""
    _center: int = field(init=False)

    def __post_init__(self) -> None:
        low, high = self.register
        if not 0 <= low < high <= 127 or high - low < 12:
            raise ValueError(f"register {low}-{high} must span at least an octave inside 0-127")
        self._center = (low + high) // 2

    @property
    def center(self) -> int:
        """The middle of the register."""
        return self._center

    def step(self, value: Value, chords: ChordSource) -> Note | None:
        """The note of ``value`` at the current position (None for a rest); advances."""
        onset = self.tick
        self.tick += value.duration
        if value.role is None or value.motion is None:
            return None
        pitch = self._choose_pitch(value.role, value.motion, chords.chord_at(onset))
        self.prev_pitch = pitch
        return Note(onset, self.articulation.length(value.duration, self.rng), pitch,
                    self.velocity)

    def _choose_pitch(self, role: Role, motion: Motion, chord: Chord) -> int:
        """A pitch reached by the value's motion, of its role if the motion has one, else of
        the nearest role; near the middle of the register, gently."""
        candidates = self._targets(motion)
        wanted = ROLE_ORDER.index(role)
        distance = [abs(ROLE_ORDER.index(role_of(p, chord)) - wanted) for p in candidates]
        nearest = min(distance)
        fitting = [p for p, d in zip(candidates, distance, strict=True) if d == nearest]
        if len(fitting) == 1:
            return fitting[0]
        weights = np.exp([-self.pull * abs(p - self._center) / 12.0 for p in fitting])
        choice = self.rng.random() * float(weights.sum())
        return fitting[min(int(np.searchsorted(np.cumsum(weights), choice, "right")),
                           len(fitting) - 1)]

    def _targets(self, motion: Motion) -> list[int]:
        """Pitches reached by ``motion`` inside the register. A leap that would leave the
        register turns the other way. With no previous note: within a fifth of the middle."""
        low, high = self.register
        if motion == START or self.prev_pitch is None:
            return list(range(self._center - 7, self._center + 8))
        origin = min(max(self.prev_pitch, low), high)
        if motion.direction == 0:
            return [origin]
        sizes = range(motion.low, motion.high + 1)
        for direction in (motion.direction, -motion.direction):
            inside = [origin + direction * s for s in sizes
                      if low <= origin + direction * s <= high]
            if inside:
                return inside
        return [origin]


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
