"""A solo of a corpus: notes on the tick grid over chords, bar lines and a tempo, whatever file
it came from; and the errors of reading corpora."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

import numpy as np

from live_jazz.encoding import COUNT_IN, Note, Value
from live_jazz.encoding.codec import Played, encode_line
from live_jazz.encoding.features import FeatureEncoder, FeatureSpec, Meter, RegularMeter
from live_jazz.theory import ChordTimeline

DEFAULT_TEMPO = 120.0
"""Tempo of a solo whose file does not say."""


class CorpusError(Exception):
    """The corpus as a whole cannot be used (missing, empty, nothing readable)."""


class SoloError(Exception):
    """One solo cannot be read; it is skipped with a warning."""


@dataclass(frozen=True)
class Solo:
    """One monophonic solo."""

    name: str
    """Where it came from (file stem), for messages and the train/validation split."""
    notes: tuple[Note, ...]
    """The line, on the grid of ``live_jazz.encoding.TICKS_PER_BEAT``."""
    chords: ChordTimeline
    """The chords under it."""
    meter: Meter = field(default_factory=RegularMeter)
    """Its bar lines (4/4 from tick 0 unless the file says otherwise)."""
    tempo: float = DEFAULT_TEMPO
    """Its tempo in BPM (the median beat)."""

    def played(self) -> list[Played]:
        """The solo as values with their pitches, after the count-in."""
        line = encode_line(self.notes, self.chords, start_tick=self.notes[0].onset)
        return [Played(COUNT_IN, None), *line]

    def values(self) -> list[Value]:
        """The solo as values, after the count-in."""
        return [p.value for p in self.played()]

    @property
    def center(self) -> int:
        """The middle of the soloist's register here: the median pitch."""
        return round(median(n.pitch for n in self.notes))

    def features(self, spec: FeatureSpec) -> np.ndarray:
        """(len(values()), spec.size): the features of each value (row 0: the count-in's)."""
        start = self.notes[0].onset - COUNT_IN.duration
        return FeatureEncoder(spec, self.center).line(self.played(), start, self.chords,
                                                      self.meter, self.tempo)
