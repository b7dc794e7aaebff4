"""The form: which chords sound at a session tick, and where the bar lines fall.

*Session ticks* count straight grid ticks (12 a beat) from the session's beat 0. The *form* is
the progression looping from a bar line (``FormSection``); a new progression starts a new
section at a later bar line. ``Form`` answers "which chord sounds at this session tick" for the
improviser's decoder, the listener's encoder and the comping.

``next_line`` is the one place a "next beat or bar line" is computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.theory import Chord, ChordTimeline, Progression

LINE_EPSILON = 1e-6
"""A hair before a line (this fraction of the distance between lines) counts as on it: a
position computed in floating point from a line's own time lands a hair either side."""


def next_line(tick: float, every: int, origin: int = 0) -> int:
    """The first line at or after ``tick`` of lines every ``every`` ticks from ``origin``
    (beat lines: ``every`` a beat; bar lines: a bar)."""
    return origin + math.ceil((tick - origin) / every - LINE_EPSILON) * every


@dataclass(frozen=True)
class FormSection:
    """A progression looping from session tick ``origin`` (a bar line)."""

    origin: int
    progression: Progression
    timeline: ChordTimeline


class Form:
    """The progressions over the session: each section loops its form from its bar line until
    the next section starts. Ticks are session ticks."""

    def __init__(self, progression: Progression, origin: int = 0) -> None:
        self.sections: list[FormSection] = []
        self.start(progression, origin)

    def start(self, progression: Progression, origin: int) -> None:
        """Play ``progression`` from its first bar at session tick ``origin``, dropping any
        section that would start later."""
        while self.sections and self.sections[-1].origin >= origin:
            self.sections.pop()
        timeline = progression.timeline(TICKS_PER_BEAT)
        self.sections.append(FormSection(origin, progression, timeline))

    def section_at(self, tick: float) -> FormSection:
        for section in reversed(self.sections):
            if section.origin <= tick:
                return section
        return self.sections[0]

    @property
    def bar_ticks(self) -> int:
        """Ticks in a bar of the latest section."""
        return self.sections[-1].progression.beats_per_bar * TICKS_PER_BEAT

    def chord_at(self, tick: int) -> Chord:
        """The chord sounding at session tick ``tick``."""
        section = self.section_at(tick)
        return section.timeline.chord_at(int(tick) - section.origin)

    def next_change_after(self, tick: int) -> tuple[int, Chord] | None:
        """(session tick, chord) of the next chord change strictly after ``tick`` (a new
        section counts as a change)."""
        section = self.section_at(tick)
        found = section.timeline.next_change_after(int(tick) - section.origin)
        later = [s for s in self.sections if s.origin > tick]
        if later and (found is None or later[0].origin <= found[0] + section.origin):
            return later[0].origin, later[0].timeline.chord_at(0)
        return None if found is None else (found[0] + section.origin, found[1])

    def bar_offset(self, tick: int) -> int:
        """Ticks from the last bar line at or before session tick ``tick`` (the improviser's
        meter)."""
        section = self.section_at(tick)
        bar = section.progression.beats_per_bar * TICKS_PER_BEAT
        return (int(tick) - section.origin) % bar

    def next_bar_line(self, tick: float) -> int:
        """The first bar line of the latest section at or after ``tick`` (its origin at the
        earliest)."""
        section = self.sections[-1]
        return next_line(max(tick, section.origin), self.bar_ticks, section.origin)

    def bar_at(self, tick: float) -> tuple[int, float]:
        """(bar within the form, beat within the bar) at session tick ``tick``."""
        section = self.section_at(tick)
        beats_per_bar = section.progression.beats_per_bar
        beats = (tick - section.origin) / TICKS_PER_BEAT
        bar = math.floor(beats / beats_per_bar)
        return bar % section.progression.n_bars, beats - bar * beats_per_bar
