"""What a player knows besides the line itself, as the model's conditioning inputs.

For every value the model predicts, the features describe the moment the value starts at:

- ``beat_position``: where in the beat its onset falls (12 slots, one-hot);
- ``bar_beat``: which beat of the bar (downbeat, 2nd, 3rd, 4th and later; one-hot), from the
  bar lines of the meter, so other meters and meter changes count from their own bar lines;
- ``harmony``: the chord sounding there, relative to the previous pitch: which of the 12
  semitones above it are chord tones, which are scale tones, and a flag when there is no
  previous pitch (the reference is then the middle of the register);
- ``change``: how soon the chord changes (bucketed) and the next chord's tones relative to the
  same reference: players aim at the coming chord;
- ``register``: where the previous pitch lies against the middle of the register (a scalar in
  octaves and five buckets);
- ``tempo``: the tempo, bucketed;
- ``phrase``: where the line is in its phrase (``encoding.phrase``): ticks and notes since the
  last rest, and how long that rest was (bucketed);
- ``contour``: the phrase's shape so far: how far the previous pitch is below the phrase's
  peak and above its lowest note (octaves), and the directions of its last two intervals.

Pure functions of (onset tick, previous pitch, chords, meter, tempo, middle of the register,
the phrase so far): training computes them from a transcribed solo, the live path from the
decoder's position and pitch and the improviser's phrase context, so both see the same
numbers. ``FeatureEncoder.fill`` writes into a caller's buffer and
allocates no array.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from live_jazz.encoding.codec import Played
from live_jazz.encoding.phrase import PhraseContext
from live_jazz.encoding.values import TICKS_PER_BEAT
from live_jazz.theory import Chord

FORMAT = "live-jazz-features/1"
FEATURES_FILE = "features.json"

GROUP_SIZES: dict[str, int] = {
    "beat_position": TICKS_PER_BEAT,
    "bar_beat": 4,
    "harmony": 25,
    "change": 18,
    "register": 6,
    "tempo": 5,
    "phrase": 17,
    "contour": 4,
}
"""Every feature group and its width, in the order they are laid out."""

CONDITIONED_GROUPS = ("beat_position", "bar_beat", "harmony", "change", "register", "tempo",
                      "phrase")
"""The groups of the conditioned model (the default). ``contour`` is trained only on request
(``live-jazz train --arch phrase``): retrained with it, the model measured no better on the
tune split (weights/README.md)."""

CHANGE_BUCKETS = (3, 6, 12, 24, 48)
"""Ticks until the next chord change: at most 3, 6, 12, 24, 48, or later (or never)."""
REGISTER_BUCKETS = (-9, -3, 3, 9)
"""Semitones of the previous pitch from the middle: below -9, -9..-4, -3..2, 3..8, 9 up."""
TEMPO_BUCKETS = (90.0, 130.0, 170.0, 220.0)
"""BPM: below 90, 90-129, 130-169, 170-219, 220 up."""
SINCE_REST_BUCKETS = (1, 12, 24, 48, 96, 192)
"""Ticks since the last rest: none (the phrase starts here), under a beat, 1-2, 2-4, 4-8,
8-16 beats, longer."""
NOTES_BUCKETS = (1, 2, 4, 8, 16)
"""Notes since the last rest: 0, 1, 2-3, 4-7, 8-15, 16 up."""
REST_BUCKETS = (12, 24, 48)
"""Ticks of the last rest: under a beat, 1-2, 2-4 beats, longer."""
REGISTER_SPAN = 2.0
"""The register scalar (octaves from the middle) is clipped to this many octaves."""


class Harmony(Protocol):
    """Chords in time: what sounds at a tick and when it next changes (``ChordTimeline``, the
    engine's form)."""

    def chord_at(self, tick: int) -> Chord:
        """The chord sounding at ``tick``."""
        ...

    def next_change_after(self, tick: int) -> tuple[int, Chord] | None:
        """(tick, chord) of the next change strictly after ``tick``, None if there is none."""
        ...


class Meter(Protocol):
    """Where the bar lines are."""

    def bar_offset(self, tick: int) -> int:
        """Ticks from the last bar line at or before ``tick``."""
        ...


@dataclass(frozen=True)
class RegularMeter:
    """Bars of ``bar_ticks`` from a bar line at ``origin``, on both sides of it."""

    bar_ticks: int = 4 * TICKS_PER_BEAT
    """Length of a bar in ticks."""
    origin: int = 0
    """A bar line."""

    def bar_offset(self, tick: int) -> int:
        return (tick - self.origin) % self.bar_ticks


@dataclass(frozen=True)
class BarLines:
    """Explicit bar lines (a transcription with meter changes); before the first and after
    the last, bars of the first's and the last's length go on."""

    starts: tuple[int, ...]
    """Ticks of the bar lines, strictly increasing; at least two."""

    def __post_init__(self) -> None:
        if len(self.starts) < 2 or any(b <= a for a, b in zip(self.starts, self.starts[1:],
                                                                 strict=False)):
            raise ValueError("bar lines need two or more strictly increasing ticks")

    def bar_offset(self, tick: int) -> int:
        starts = self.starts
        if tick < starts[0]:
            return (tick - starts[0]) % (starts[1] - starts[0])
        index = bisect_right(starts, tick) - 1
        if index == len(starts) - 1:
            return (tick - starts[-1]) % (starts[-1] - starts[-2])
        return tick - starts[index]


@dataclass(frozen=True)
class FeatureSpec:
    """Which feature groups a model was trained with (empty: the seed-exact model, values
    only). Saved as ``features.json`` beside the weights."""

    groups: tuple[str, ...] = CONDITIONED_GROUPS
    """Group names, in ``GROUP_SIZES`` order."""

    def __post_init__(self) -> None:
        unknown = [g for g in self.groups if g not in GROUP_SIZES]
        if unknown:
            raise ValueError(f"unknown feature groups: {', '.join(unknown)}")
        if list(self.groups) != [g for g in GROUP_SIZES if g in self.groups]:
            raise ValueError(f"feature groups out of order: {', '.join(self.groups)}")

    @property
    def size(self) -> int:
        """Width of the feature vector."""
        return sum(GROUP_SIZES[g] for g in self.groups)

    def offsets(self) -> dict[str, int]:
        """Where each group starts in the vector."""
        found, at = {}, 0
        for group in self.groups:
            found[group] = at
            at += GROUP_SIZES[group]
        return found

    def without(self, group: str) -> FeatureSpec:
        """The same spec less ``group`` (for the ablations)."""
        return FeatureSpec(tuple(g for g in self.groups if g != group))

    def save(self, directory: Path) -> None:
        """Write ``features.json`` into ``directory``."""
        document = {"format": FORMAT, "ticks_per_beat": TICKS_PER_BEAT,
                    "groups": list(self.groups), "size": self.size}
        (Path(directory) / FEATURES_FILE).write_text(json.dumps(document, indent=1) + "\n",
                                                     encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> FeatureSpec:
        """Read ``features.json``; a folder without one holds a values-only (seed) model."""
        path = Path(directory) / FEATURES_FILE
        if not path.is_file():
            return SEED_SPEC
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT or document.get("ticks_per_beat") != TICKS_PER_BEAT:
            raise ValueError(f"{path}: not a {FORMAT} file with {TICKS_PER_BEAT} ticks a beat")
        spec = cls(tuple(document["groups"]))
        if spec.size != document.get("size"):
            raise ValueError(f"{path}: size {document.get('size')} does not match its groups")
        return spec


SEED_SPEC = FeatureSpec(())
"""No features: the exercise's model, one-hot values only."""


FRESH_PHRASE = PhraseContext()
"""The phrase context of a value with no line before it (never advanced)."""


def _bucket(value: float, edges: Sequence[float]) -> int:
    return bisect_right(edges, value) if edges else 0


class FeatureEncoder:
    """Writes the features of one moment into a buffer (see the module doc)."""

    def __init__(self, spec: FeatureSpec, center: int) -> None:
        self.spec = spec
        self.center = center
        """The middle of the register (the reference with no previous pitch)."""
        self._offsets = spec.offsets()

    def fill(self, out: np.ndarray, tick: int, prev_pitch: int | None, chords: Harmony,
             meter: Meter, tempo: float, phrase: PhraseContext = FRESH_PHRASE) -> None:
        """The features of a value starting at ``tick`` after ``prev_pitch`` and ``phrase``
        (the phrase so far), into ``out``."""
        out.fill(0.0)
        at = self._offsets
        if "beat_position" in at:
            out[at["beat_position"] + tick % TICKS_PER_BEAT] = 1.0
        if "bar_beat" in at:
            out[at["bar_beat"] + min(meter.bar_offset(tick) // TICKS_PER_BEAT, 3)] = 1.0
        reference = self.center if prev_pitch is None else prev_pitch
        if "harmony" in at:
            base = at["harmony"]
            chord = chords.chord_at(tick)
            if chord.root is not None:
                shift = chord.root - reference
                for interval in chord.tones:
                    out[base + (shift + interval) % 12] = 1.0
                for interval in chord.scale:
                    out[base + 12 + (shift + interval) % 12] = 1.0
            if prev_pitch is None:
                out[base + 24] = 1.0
        if "change" in at:
            base = at["change"]
            change = chords.next_change_after(tick)
            if change is None:
                out[base + len(CHANGE_BUCKETS)] = 1.0
            else:
                out[base + _bucket(change[0] - tick - 1, CHANGE_BUCKETS)] = 1.0
                following = change[1]
                if following.root is not None:
                    shift = following.root - reference
                    for interval in following.tones:
                        out[base + 6 + (shift + interval) % 12] = 1.0
        if "register" in at and prev_pitch is not None:
            base = at["register"]
            offset = prev_pitch - self.center
            out[base] = max(-REGISTER_SPAN, min(REGISTER_SPAN, offset / 12.0))
            out[base + 1 + _bucket(offset, REGISTER_BUCKETS)] = 1.0
        if "tempo" in at:
            out[at["tempo"] + _bucket(tempo, TEMPO_BUCKETS)] = 1.0
        if "phrase" in at:
            base = at["phrase"]
            out[base + _bucket(phrase.since_rest, SINCE_REST_BUCKETS)] = 1.0
            out[base + 7 + _bucket(phrase.notes, NOTES_BUCKETS)] = 1.0
            out[base + 13 + _bucket(phrase.last_rest, REST_BUCKETS)] = 1.0
        if "contour" in at and phrase.last is not None:
            base = at["contour"]
            out[base] = min(REGISTER_SPAN, (phrase.peak - phrase.last) / 12.0)
            out[base + 1] = min(REGISTER_SPAN, (phrase.last - phrase.low) / 12.0)
            out[base + 2] = phrase.direction
            out[base + 3] = phrase.direction_before

    def line(self, played: Sequence[Played], start_tick: int, chords: Harmony, meter: Meter,
             tempo: float, prev_pitch: int | None = None) -> np.ndarray:
        """(len(played), size) float32: row k the features of value k of a line starting at
        ``start_tick`` (each value at the running position, after the last pitch before it and
        the phrase so far; the line starts a phrase: a solo's first value is its count-in)."""
        rows = np.zeros((len(played), self.spec.size), np.float32)
        tick, previous, phrase = start_tick, prev_pitch, PhraseContext()
        for k, item in enumerate(played):
            self.fill(rows[k], tick, previous, chords, meter, tempo, phrase)
            tick += item.value.duration
            phrase.advance(item.value.duration, item.pitch)
            if item.pitch is not None:
                previous = item.pitch
        return rows
