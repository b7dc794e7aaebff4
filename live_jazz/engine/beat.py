"""Where the music is in time: the beat source, the one owner of the tempo.

A ``BeatSource`` turns session ticks into clock seconds and back. *Session ticks* count straight
grid ticks (12 a beat) from the session's beat 0, the moment the beat first started. A tick is
placed in time in two steps, both absolute:

1. swing (``swing.swung_tick``) with the ratio in force for that beat -- a new ratio applies
   from the next beat line, so no note already under way moves;
2. the tempo map (``clock.TempoMap``): beats -> clock seconds, a tempo change starting a new
   segment where the beat position is now.

Two sources, in the manner of isobar's clock sources:

- ``InternalBeat``: the player starts it (Play) and sets its tempo (``SetTempo``);
- ``FollowedBeat``: a MIDI clock master on the input starts, stops and steers it
  (``--sync external``); the player's Play, Stop and tempo are refused.

The tempo in force (``bpm``) is the source's: what the TUI shows and the recording's tempo track
holds, whether the player or a master set it.
"""

from __future__ import annotations

import bisect
import math

import mido

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine.clock import TempoMap
from live_jazz.engine.config import TEMPO_RANGE
from live_jazz.engine.external_clock import ClockFollower, TransportEvent
from live_jazz.engine.listener import snap_played
from live_jazz.music.form import next_line
from live_jazz.music.swing import swung_tick

_UNSWING_STEPS = 24
"""Bisection steps that invert swing to well under a microsecond of a beat."""
TEMPO_EPSILON = 0.05
"""Following an external clock, tempo corrections smaller than this (BPM) are not made: a
steady master then makes few tempo changes (each is a segment of the map and an event in the
recording's tempo track), and the phase error they leave is a fraction of a millisecond."""
CLOCK_TYPES = frozenset({"clock", "start", "continue", "stop", "songpos"})
"""What a MIDI clock master sends."""


class BeatSource:
    """The tempo map (once started) and the swing in force, from the session's start."""

    follows = False
    """Whether start, stop and tempo come from outside (then the player's are refused)."""

    def __init__(self, bpm: float, swing: float) -> None:
        self.tempo: TempoMap | None = None
        """Beats <-> clock seconds, from the first start on (None before)."""
        self._bpm = bpm
        self._swing_beats = [0]
        self._swing_ratios = [swing]

    @property
    def started(self) -> bool:
        """Whether the beat has started (it keeps counting while the music is stopped)."""
        return self.tempo is not None

    def start(self, time: float, bpm: float | None = None) -> None:
        """Session beat 0 falls at clock second ``time``."""
        self.tempo = TempoMap(time, self._bpm if bpm is None else bpm)

    @property
    def bpm(self) -> float:
        """The tempo in force (the latest)."""
        return self.tempo.bpm if self.tempo is not None else self._bpm

    @property
    def seconds_per_beat(self) -> float:
        """At the latest tempo."""
        return 60.0 / self.bpm

    def set_tempo(self, now: float, bpm: float) -> None:
        """From clock second ``now`` on, play at ``bpm`` (the beat position does not jump)."""
        self._bpm = bpm
        if self.tempo is not None:
            self.tempo.set_tempo(now, bpm)

    def tempo_changes(self) -> list[tuple[float, float]]:
        """(played beat, bpm) of the tempo map: what the recording's tempo track holds."""
        if self.tempo is None:
            return [(0.0, self._bpm)]
        return self.tempo.changes_in_beats()

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

    # -- ticks <-> seconds (once started) -------------------------------------------------------

    def _map(self) -> TempoMap:
        assert self.tempo is not None, "the beat has not started"
        return self.tempo

    def swung(self, tick: float) -> float:
        """Where straight session tick ``tick`` is played, in (fractional) ticks."""
        return swung_tick(tick, self.swing_at(math.floor(tick / TICKS_PER_BEAT)))

    def time_of(self, tick: float) -> float:
        """Clock seconds of straight session tick ``tick`` (swung)."""
        return self._map().time_at(self.swung(tick) / TICKS_PER_BEAT)

    def time_of_played(self, tick: float) -> float:
        """Clock seconds of a played (already swung) session tick: a message's deadline."""
        return self._map().time_at(tick / TICKS_PER_BEAT)

    def time_of_beat(self, beat: float) -> float:
        """Clock seconds of a (swung) session beat position: beat lines, clock pulses."""
        return self._map().time_at(beat)

    def beat_at(self, time: float) -> float:
        """Session beat position (as played, swung) at clock second ``time``."""
        return self._map().beat_at(time)

    def played_tick_at(self, time: float) -> float:
        """The played (swung) session tick at clock second ``time``: what the recording holds."""
        return self.beat_at(time) * TICKS_PER_BEAT

    def snap(self, time: float) -> int:
        """The grid tick (straight) nearest what is played at clock second ``time``."""
        played = self.played_tick_at(time)
        return snap_played(played, self.swing_at(math.floor(played / TICKS_PER_BEAT)))

    def straight_tick_at(self, time: float) -> float:
        """The straight session tick played at clock second ``time`` (swing taken out)."""
        played = self.played_tick_at(time)
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

    # -- an outside master (none here) ----------------------------------------------------------

    def takes(self, message: mido.Message) -> bool:
        """Whether ``message`` from the input is for the beat rather than a key."""
        return False

    def steer(self, now: float, song_origin: int) -> None:
        """Keep in step with the master (a few times a beat); ``song_origin`` is the session
        tick of the song's top."""


class InternalBeat(BeatSource):
    """The player's beat: Play starts it, ``SetTempo`` sets it."""


class FollowedBeat(BeatSource):
    """A MIDI clock master's beat: its Start, Continue, Stop and clock (24 a beat) on the input
    start, stop and steer it."""

    follows = True

    def __init__(self, bpm: float, swing: float, follower: ClockFollower | None = None) -> None:
        super().__init__(bpm, swing)
        self.follower = follower or ClockFollower()
        self._next_check = 0.0

    def takes(self, message: mido.Message) -> bool:
        return message.type in CLOCK_TYPES

    def feed(self, message: mido.Message, time: float) -> TransportEvent | None:
        """A clock or transport message from the master: what changed, if anything."""
        return self.follower.feed(message, time)

    def start_at(self, time: float) -> int:
        """The master plays from clock second ``time``: returns the session beat that sounds
        then (0 at the first start, the next beat line after that)."""
        low, high = TEMPO_RANGE
        bpm = min(high, max(low, self.follower.bpm or self.bpm))
        self._next_check = time
        if self.tempo is None:
            self.start(time, bpm)
            return 0
        session_beat = next_line(self.tempo.beat_at(time), 1)
        self.tempo.jump(time, session_beat, bpm)
        return session_beat

    def steer(self, now: float, song_origin: int) -> None:
        """Steer the tempo onto the master's."""
        if self.tempo is None or now < self._next_check or not self.follower.running:
            return
        song_beat = self.beat_at(now) - song_origin / TICKS_PER_BEAT
        bpm = self.follower.tempo_to_follow(song_beat, now)
        if bpm is not None and abs(bpm - self.bpm) > TEMPO_EPSILON:
            self.set_tempo(now, bpm)
        self._next_check = now + self.seconds_per_beat / 4
