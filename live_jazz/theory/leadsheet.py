"""Lead-sheet progressions: parse "| Dm7 G7 | Cmaj7 | % |" text into bars of chords.

Text format:

* Bars sit between ``|``; the leading and trailing ``|`` of a line are optional, and a
  double bar line ``||`` counts as one. Lines break between bars.
* Chords in a bar are separated by whitespace and share the bar evenly (``| C7 F7 |`` in 4/4:
  two beats each; three chords get 4/3 beat each).
* ``/`` in place of a chord repeats the chord before it, for uneven bars:
  ``| C7 / / F7 |`` is three beats of C7 and one of F7.
* ``%`` alone in a bar repeats the previous bar.
* An empty bar, ``%`` or ``/`` with nothing to repeat, or a bad chord symbol raise
  LeadSheetError naming the bar (1-based).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from live_jazz.theory.chords import Chord, ChordSymbolError, parse_chord
from live_jazz.theory.presets import PRESETS
from live_jazz.theory.timeline import ChordTimeline

__all__ = [
    "PRESETS",
    "LeadSheetError",
    "Progression",
    "parse_progression",
    "preset",
    "preset_names",
]

REPEAT_BAR = "%"
"""A bar holding only this repeats the previous bar."""
REPEAT_CHORD = "/"
"""A slot holding only this repeats the chord before it."""

_BARS_PER_LINE = 4  # to_text layout: four bars a line, the way lead sheets are printed


class LeadSheetError(ValueError):
    """Bad lead-sheet text; the message names the bar, e.g. "bar 3: unknown chord symbol 'X'"."""


@dataclass(frozen=True)
class Progression:
    """A chord progression: bars of chords, looping over the form."""

    bars: tuple[tuple[Chord, ...], ...]
    """The chords of each bar; the chords of a bar share it evenly."""
    beats_per_bar: int = 4
    """Beats in every bar."""
    name: str = ""
    """A title, e.g. the preset name."""

    def __post_init__(self) -> None:
        if not self.bars:
            raise LeadSheetError("a progression needs at least one bar")
        for number, bar in enumerate(self.bars, start=1):
            if not bar:
                raise LeadSheetError(f"bar {number}: empty bar")
        if self.beats_per_bar < 1:
            raise LeadSheetError(f"beats_per_bar must be at least 1, not {self.beats_per_bar}")

    @property
    def n_bars(self) -> int:
        """Number of bars in the form."""
        return len(self.bars)

    def bar_chords(self, bar: int) -> tuple[Chord, ...]:
        """Return the chords of bar `bar` (0-based, wrapping around the form)."""
        return self.bars[bar % self.n_bars]

    def chord_at_beat(self, beat: Fraction | int | float) -> Chord:
        """Return the chord at `beat` (0 = the form's first downbeat), looping over the form.

        Beats before 0 (a count-in) sound the first chord, as in ChordTimeline.
        """
        position = Fraction(beat)
        if position < 0:
            return self.bars[0][0]
        bar_index = math.floor(position / self.beats_per_bar)
        chords = self.bar_chords(bar_index)
        offset = position - bar_index * self.beats_per_bar
        return chords[math.floor(offset * len(chords) / self.beats_per_bar)]

    def timeline(self, ticks_per_beat: int) -> ChordTimeline:
        """Return a looping ChordTimeline of the form at `ticks_per_beat`.

        Repeats of the same chord merge into one change, so `next_change_after` finds real
        changes. Raises LeadSheetError if a chord would start between ticks (three chords in
        a 4/4 bar need ticks_per_beat divisible by 3).
        """
        if ticks_per_beat < 1:
            raise LeadSheetError(f"ticks_per_beat must be at least 1, not {ticks_per_beat}")
        bar_ticks = self.beats_per_bar * ticks_per_beat
        changes: list[tuple[int, Chord]] = []
        for index, chords in enumerate(self.bars):
            if bar_ticks % len(chords):
                raise LeadSheetError(
                    f"bar {index + 1}: {len(chords)} chords do not fall on ticks at "
                    f"{ticks_per_beat} ticks per beat"
                )
            for slot, chord in enumerate(chords):
                if not changes or changes[-1][1] != chord:
                    changes.append((index * bar_ticks + slot * bar_ticks // len(chords), chord))
        return ChordTimeline(changes=tuple(changes), loop_ticks=self.n_bars * bar_ticks)

    def to_text(self) -> str:
        """Return lead-sheet text (four bars a line) that parses back to these bars."""
        cells = [
            REPEAT_BAR if index and bar == self.bars[index - 1] else _bar_text(bar)
            for index, bar in enumerate(self.bars)
        ]
        lines = [
            "| " + " | ".join(cells[start : start + _BARS_PER_LINE]) + " |"
            for start in range(0, len(cells), _BARS_PER_LINE)
        ]
        return "\n".join(lines)


def _bar_text(chords: tuple[Chord, ...]) -> str:
    """Write one bar, with '/' for a chord repeated within the bar."""
    words = [
        REPEAT_CHORD if slot and chord == chords[slot - 1] else chord.symbol
        for slot, chord in enumerate(chords)
    ]
    return " ".join(words)


def parse_progression(text: str, beats_per_bar: int = 4, name: str = "") -> Progression:
    """Parse lead-sheet text (see the module doc) into a Progression.

    Raises LeadSheetError naming the (1-based) bar of the first problem.
    """
    bars: list[tuple[Chord, ...]] = []
    for line in text.splitlines():
        line = line.strip().replace("||", "|")  # a double bar line is still one bar line
        if not line:
            continue
        for cell in line.strip("|").split("|"):
            number = len(bars) + 1
            bars.append(_parse_bar(cell.split(), bars, number))
    if not bars:
        raise LeadSheetError("bar 1: no bars in the lead sheet")
    return Progression(bars=tuple(bars), beats_per_bar=beats_per_bar, name=name)


def _parse_bar(
    words: list[str], previous: list[tuple[Chord, ...]], number: int
) -> tuple[Chord, ...]:
    """Parse the words of bar `number`, given the bars before it."""
    if not words:
        raise LeadSheetError(f"bar {number}: empty bar")
    if words == [REPEAT_BAR]:
        if not previous:
            raise LeadSheetError(f"bar {number}: '%' has no previous bar to repeat")
        return previous[-1]
    chords: list[Chord] = []
    for word in words:
        if word == REPEAT_CHORD:
            before = chords[-1] if chords else previous[-1][-1] if previous else None
            if before is None:
                raise LeadSheetError(f"bar {number}: '/' has no chord before it to repeat")
            chords.append(before)
            continue
        try:
            chords.append(parse_chord(word))
        except ChordSymbolError as error:
            raise LeadSheetError(f"bar {number}: {error}") from None
    return tuple(chords)


def preset(name: str) -> Progression:
    """Return the built-in progression `name`; LeadSheetError lists the known names if unknown."""
    if name not in PRESETS:
        raise LeadSheetError(f"unknown preset {name!r}; known presets: {', '.join(preset_names())}")
    return parse_progression(PRESETS[name], name=name)


def preset_names() -> list[str]:
    """Return the names of the built-in progressions, sorted."""
    return sorted(PRESETS)
