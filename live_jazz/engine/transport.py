"""Where the music is in time: session ticks <-> clock seconds, and which chords sound.

*Session ticks* count straight grid ticks (12 a beat) from the session's beat 0, the moment the
transport first started. A tick is placed in time in two steps, both absolute:

1. swing (``swing.swung_tick``) with the ratio in force for that beat -- a new ratio applies
   from the next beat line, so no note already under way moves;
2. the tempo map (``clock.TempoMap``): beats -> clock seconds, a tempo change starting a new
   segment where the beat position is now.

The *form* is the progression looping from a bar line (``FormSection``); a new progression
starts a new section at a later bar line. ``Form`` answers "which chord sounds at this session
tick" for the improviser's decoder, the listener's encoder and the comping.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine.clock import TempoMap
from live_jazz.engine.listener import snap_played
from live_jazz.engine.swing import swung_tick
from live_jazz.theory import Chord, ChordTimeline, Progression

_UNSWING_STEPS = 24
"""Bisection steps that invert swing to well under a microsecond of a beat."""


class Transport:
    """The tempo map and the swing in force, from the session's start."""

    def __init__(self, start_time: float, bpm: float, swing: float) -> None:
        self.tempo = TempoMap(start_time, bpm)
        self._swing_beats = [0]
        self._swing_ratios = [swing]

    @property
    def bpm(self) -> float:
        return self.tempo.bpm

    @property
    def seconds_per_beat(self) -> float:
        """At the latest tempo."""
        return 60.0 / self.tempo.bpm

    def swing_at(self, beat: int) -> float:
        """The swing ratio of beat number ``beat``."""
        return self._swing_ratios[bisect.bisect_right(self._swing_beats, beat) - 1]

    def set_swing(self, from_beat: int, ratio: float) -> None:
        """Play beats from ``from_beat`` on (a beat line) at ``ratio``."""
        while self._swing_beats and self._swing_beats[-1] >= from_beat:
            self._swing_beats.pop()
            self._swing_ratios.pop()
        self._swing_beats.append(from_beat)
        self._swing_ratios.append(ratio)

    def set_tempo(self, now: float, bpm: float) -> None:
        """From clock second ``now`` on, play at ``bpm`` (the beat position does not jump)."""
        self.tempo.set_tempo(now, bpm)

    def swung(self, tick: float) -> float:
        """Where straight session tick ``tick`` is played, in (fractional) ticks."""
        return swung_tick(tick, self.swing_at(math.floor(tick / TICKS_PER_BEAT)))

    def time_of(self, tick: float) -> float:
        """Clock seconds of straight session tick ``tick`` (swung)."""
        return self.tempo.time_at(self.swung(tick) / TICKS_PER_BEAT)

    def time_of_beat(self, beat: float) -> float:
        """Clock seconds of a (swung) session beat position: beat lines, clock pulses."""
        return self.tempo.time_at(beat)

    def beat_at(self, time: float) -> float:
        """Session beat position (as played, swung) at clock second ``time``."""
        return self.tempo.beat_at(time)

    def snap(self, time: float) -> int:
        """The grid tick (straight) nearest what is played at clock second ``time``."""
        played = self.tempo.beat_at(time) * TICKS_PER_BEAT
        return snap_played(played, self.swing_at(math.floor(played / TICKS_PER_BEAT)))

    def straight_tick_at(self, time: float) -> float:
        """The straight session tick played at clock second ``time`` (swing taken out)."""
        played = self.tempo.beat_at(time) * TICKS_PER_BEAT
        beat = math.floor(played / TICKS_PER_BEAT)
        ratio = self.swing_at(beat)
        low, high = float(beat * TICKS_PER_BEAT), float((beat + 1) * TICKS_PER_BEAT)
        for _ in range(_UNSWING_STEPS):  # swing is monotonic within a beat: bisect it
            middle = (low + high) / 2
            if swung_tick(middle, ratio) < played:
                low = middle
            else:
                high = middle
        return (low + high) / 2


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

    def bar_line_after(self, tick: float) -> int:
        """The first bar line of the latest section at or after ``tick``."""
        section = self.sections[-1]
        bar = self.bar_ticks
        return section.origin + max(0, math.ceil((tick - section.origin) / bar - 1e-9)) * bar

    def bar_at(self, tick: float) -> tuple[int, float]:
        """(bar within the form, beat within the bar) at session tick ``tick``."""
        section = self.section_at(tick)
        beats_per_bar = section.progression.beats_per_bar
        beats = (tick - section.origin) / TICKS_PER_BEAT
        bar = math.floor(beats / beats_per_bar)
        return bar % section.progression.n_bars, beats - bar * beats_per_bar
