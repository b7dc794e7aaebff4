"""A monophonic player's notes from audio blocks, as they come: the live tracker.

Each hop of ``block_frames`` samples gives one frame: its level (dBFS), an attack (the level
crossing the gate, or jumping ``attack_db`` above its recent low) and the pitch of the last
``window_s`` (``pitch.PitchEstimator``). A note starts when the pitch holds still for
``start_frames`` frames; it ends when the sound stops (``release_frames`` frames under the gate
or without a pitch), at a new attack (a tongued or picked note on the same pitch is a new note),
or when another pitch holds for ``slur_s`` (a slur). Vibrato and bends within
``bend_semitones`` of the note, scoops into it (the pitch still moving) and a jump of an octave
that does not last ``octave_s`` (the estimator's octave slips) make no new note.

Times are seconds of audio from the first sample fed: ``onset_s`` is where the note's attack
began, ``known_s`` the end of the hop in which the tracker decided (when the live path sends
its note-on). The gate: ``gate_db`` if given, else the floor measured over the first
``floor_s`` (a low percentile of the levels) plus ``gate_margin_db``.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from live_jazz.audio_in.pitch import PitchConfig, PitchEstimator, midi_of

SILENT_DB = -120.0
"""The level of digital silence (a hop of zeros)."""


@dataclass(frozen=True)
class TrackerConfig:
    """How the tracker hears notes."""

    block_frames: int = 256
    """Samples a hop: one decision each (5.3 ms at 48 kHz)."""
    tuning: float = 440.0
    """A4 in Hz (``--tuning``)."""
    gate_db: float | None = None
    """Level (dBFS) under which nothing is a note (``--audio-gate``); None: measured."""
    gate_margin_db: float = 8.0
    """The measured gate lies this far above the noise floor."""
    gate_min_db: float = -65.0
    """The gate never lies lower than this (dBFS), measured or not yet."""
    floor_s: float = 0.5
    """The noise floor is measured over the first this many seconds."""
    floor_percentile: float = 20.0
    """... as this percentile of their levels (a note played at once does not raise it)."""
    clarity: float = 0.75
    """A frame has a pitch if its periodicity reaches this (0-1)."""
    start_frames: int = 2
    """Frames of a steady pitch that start a note."""
    steady_semitones: float = 0.35
    """A pitch is steady if it spans at most this over those frames ..."""
    drift_semitones: float = 0.06
    """... and moved at most this from the first of them to the last (a scoop still moves)."""
    bend_semitones: float = 0.7
    """A pitch this close to the note's is the same note (vibrato, bends)."""
    slur_s: float = 0.03
    """Another pitch held this long, without an attack, is a new note."""
    octave_s: float = 0.08
    """A pitch an octave off held this long is a new note (shorter: an octave slip)."""
    release_frames: int = 2
    """Frames under the gate or without a pitch that end a note."""
    attack_db: float = 7.0
    """A rise of the level by this much above its low over ``attack_s`` is an attack."""
    attack_s: float = 0.035
    """How far back the attack's low is looked for."""
    retrigger_s: float = 0.06
    """An attack this soon after a note's onset belongs to the note (its own rise)."""
    settle_share: float = 0.5
    slur_share: float = 1.0
    """A slurred note began this share of the window before its pitch was first heard (it
    must outweigh the last note's ringing in the window first)."""
    depart_semitones: float = 0.3
    """... else it began as its pitch left the last note by this much (or lost its pitch) ..."""
    dip_db: float = 3.0
    """A slurred note began after a dip in the level this deep, where there is one."""
    backtrack_s: float = 0.08
    """A note's onset is looked for this far back from the frame that started it ..."""
    backtrack_db: float = 10.0
    """... as the end of the latest hop this far under the level it started at."""
    """After an attack, the pitch counts once this share of the window is new."""
    pitch: PitchConfig = field(default_factory=PitchConfig)
    """The pitch estimator's settings."""


@dataclass(frozen=True)
class NoteOn:
    """A note started."""

    pitch: int
    velocity: int
    onset_s: float
    """Where its attack began."""
    known_s: float
    """When the tracker decided (the end of the hop)."""


@dataclass(frozen=True)
class NoteOff:
    """The sounding note ended."""

    pitch: int
    end_s: float
    """Where it stopped sounding."""
    known_s: float
    """When the tracker decided."""


@dataclass(frozen=True)
class Frame:
    """What one hop held (for a level meter and the pitch heard)."""

    level_db: float
    midi: float | None
    """The pitch heard (fractional MIDI), None where none."""


@dataclass
class _Sounding:
    pitch: int
    onset_s: float


def level_db(samples: np.ndarray) -> float:
    """RMS level of ``samples`` (full scale 1.0) in dBFS."""
    power = float(np.dot(samples, samples)) / max(1, samples.size)
    return 10.0 * math.log10(power) if power > 1e-12 else SILENT_DB


def velocity_of(level: float) -> int:
    """A MIDI velocity for a note heard at ``level`` dBFS (-50 -> 20, -10 -> 120)."""
    return int(min(127, max(1, round(20 + 2.5 * (level + 50.0)))))


class Tracker:
    """Feed it float mono blocks (any length); it returns the notes' starts and ends."""

    def __init__(self, sample_rate: int, config: TrackerConfig | None = None,
                 estimator: PitchEstimator | None = None) -> None:
        self.config = config or TrackerConfig()
        self.sample_rate = sample_rate
        self.estimator = estimator or PitchEstimator(sample_rate, self.config.pitch)
        self.hop = self.config.block_frames
        self._window = np.zeros(max(self.estimator.size, self.hop), dtype=np.float64)
        self._pending = np.zeros(0, dtype=np.float64)
        self._samples = 0
        self._floor_levels: list[float] | None = [] if self.config.gate_db is None else None
        self.gate_db = self.config.gate_db if self.config.gate_db is not None \
            else self.config.gate_min_db
        self._levels: deque[float] = deque(maxlen=max(1, round(
            self.config.attack_s * sample_rate / self.hop)))
        self._history: deque[tuple[float, float, float | None]] = deque(maxlen=max(1, round(
            self.config.backtrack_s * sample_rate / self.hop)))
        """(hop end, level, pitch heard) of the latest hops, for finding an onset."""
        self._note: _Sounding | None = None
        self._steady: list[tuple[float, float]] = []  # (hop end, midi) while no note sounds
        self._other: list[tuple[float, float]] = []  # (hop end, midi) of another pitch
        self._quiet_since: float | None = None
        self._quiet_frames = 0
        self._attack_at: float | None = None
        self._ended_at: float | None = None
        """Where the last note ended."""
        self._rose_at: float | None = None
        """Where the latest attack began (kept: a rise within attack_s of it is the same)."""
        self._settle_until = 0.0
        self._loudest = SILENT_DB
        self.last = Frame(SILENT_DB, None)
        """The latest frame (the meter reads it from another thread: one reference swap)."""

    @property
    def sounding(self) -> int | None:
        """The pitch of the note sounding, if any."""
        return self._note.pitch if self._note else None

    def feed(self, samples: np.ndarray) -> list[NoteOn | NoteOff]:
        """The notes' starts and ends decided in the hops ``samples`` completes."""
        data = np.concatenate((self._pending, np.asarray(samples, dtype=np.float64).ravel()))
        events: list[NoteOn | NoteOff] = []
        whole = data.size - data.size % self.hop
        for start in range(0, whole, self.hop):
            events += self._hop(data[start:start + self.hop])
        self._pending = data[whole:]
        return events

    def finish(self) -> list[NoteOff]:
        """End the note still sounding (the stream stopped)."""
        if self._note is None:
            return []
        now = self._samples / self.sample_rate
        return [self._end(now, now)]

    # -- one hop ------------------------------------------------------------------------------

    def _hop(self, hop: np.ndarray) -> list[NoteOn | NoteOff]:
        window = self._window
        window[:-self.hop] = window[self.hop:]
        window[-self.hop:] = hop
        self._samples += self.hop
        now = self._samples / self.sample_rate
        level = level_db(hop)
        self._measure_floor(level, now)
        midi = None
        if level > self.gate_db:
            frame = self.estimator.estimate(window[-self.estimator.size:])
            if frame.frequency > 0.0 and frame.clarity >= self.config.clarity:
                midi = midi_of(frame.frequency, self.config.tuning)
        self.last = Frame(level, midi)
        self._history.append((now, level, midi))
        attack = self._attack(level, now)
        events: list[NoteOn | NoteOff] = []
        if self._note is not None:
            events += self._while_sounding(midi, attack, now)
        if self._note is None:
            events += self._while_quiet(midi, level, now)
        return events

    def _measure_floor(self, level: float, now: float) -> None:
        if self._floor_levels is None:
            return
        self._floor_levels.append(level)
        if now >= self.config.floor_s:
            floor = float(np.percentile(self._floor_levels, self.config.floor_percentile))
            self.gate_db = max(self.config.gate_min_db, floor + self.config.gate_margin_db)
            self._floor_levels = None

    def _attack(self, level: float, now: float) -> bool:
        """Whether this hop starts an attack (the first hop of a rise, not within
        ``attack_s`` of the last one: a ragged rise is one attack); remembers where."""
        low = min(self._levels) if self._levels else SILENT_DB
        self._levels.append(level)
        rising = level > self.gate_db and (low <= self.gate_db
                                           or level - low >= self.config.attack_db)
        start = now - self.hop / self.sample_rate
        starts = rising and (self._rose_at is None
                             or start - self._rose_at > self.config.attack_s)
        if rising:
            self._rose_at = start if starts else self._rose_at
        if starts:
            self._attack_at = self._rise_start(start)
            # its pitch counts once the window holds enough of it (a scoop shows as moving)
            self._settle_until = start + self.config.settle_share * self.config.pitch.window_s
        return starts

    def _rise_start(self, start: float) -> float:
        """Where the rise that ends in the hop beginning at ``start`` began: back over the hops
        that each were louder than the one before (a smeared attack, a room's)."""
        levels = [(end, level) for end, level, _ in self._history]
        index = len(levels) - 1
        while index > 0 and levels[index - 1][1] < levels[index][1] \
                and start - levels[index - 1][0] < self.config.attack_s:
            index -= 1
        return min(start, levels[index - 1][0]) if index > 0 else start

    # -- the two states -----------------------------------------------------------------------

    def _while_sounding(self, midi: float | None, attack: bool,
                        now: float) -> list[NoteOn | NoteOff]:
        note = self._note
        assert note is not None
        config = self.config
        if attack and self._attack_at is not None \
                and self._attack_at - note.onset_s >= config.retrigger_s:
            return [self._end(self._attack_at, now)]
        if midi is None:
            self._other = []
            if self._quiet_since is None:
                self._quiet_since = now - self.hop / self.sample_rate
            self._quiet_frames += 1
            if self._quiet_frames >= config.release_frames:
                return [self._end(self._quiet_since, now)]
            return []
        self._quiet_since, self._quiet_frames = None, 0
        if abs(midi - note.pitch) <= config.bend_semitones:
            self._other = []
            return []
        self._other.append((now, midi))
        return self._slur(now)

    def _slur(self, now: float) -> list[NoteOn | NoteOff]:
        """A new note if another pitch has held long enough and steadily."""
        config, note = self.config, self._note
        assert note is not None
        pitches = np.array([m for _, m in self._other])
        target = round(float(np.median(pitches)))
        if target == note.pitch:
            self._other = self._other[1:]
            return []
        hold = config.octave_s if abs(target - note.pitch) == 12 else config.slur_s
        seen = self._other[0][0]
        if now - seen < hold:
            return []
        recent = pitches[-config.start_frames:]
        if np.ptp(recent) > config.steady_semitones or np.abs(pitches - target).max() > 0.5:
            self._other = self._other[1:]
            return []
        began = self._slur_onset(seen)
        level = self.last.level_db
        self._other = []
        return [self._end(began, now), self._start(target, began, now, level)]

    def _slur_onset(self, seen: float) -> float:
        """Where a slurred note began, its pitch first heard at ``seen``: at an attack heard
        since the last note began; else after the lowest hop since it (the dip between the
        notes) if that lies ``dip_db`` under the level now; else once the new pitch could
        outweigh the last note's ringing in the window."""
        config, note = self.config, self._note
        assert note is not None
        attack = self._attack_at
        if attack is not None and attack > note.onset_s:
            return attack
        since = [(level, end) for end, level, _ in self._history
                 if end > note.onset_s + config.retrigger_s and end <= seen]
        if since:
            level, end = min(since)
            if level <= self.last.level_db - config.dip_db:
                return end
        left = seen  # back over the frames whose pitch had already left the note
        for end, _, midi in reversed(self._history):
            if end >= seen:
                continue
            if end <= note.onset_s or (midi is not None
                                       and abs(midi - note.pitch) <= config.depart_semitones):
                break
            left = end
        return max(note.onset_s, left - config.slur_share * config.pitch.window_s)

    def _while_quiet(self, midi: float | None, level: float,
                     now: float) -> list[NoteOn | NoteOff]:
        config = self.config
        if midi is None or now < self._settle_until:
            self._steady = []
            return []
        self._steady.append((now, midi))
        self._steady = self._steady[-config.start_frames:]
        if len(self._steady) < config.start_frames:
            return []
        pitches = np.array([m for _, m in self._steady])
        if np.ptp(pitches) > config.steady_semitones \
                or abs(pitches[-1] - pitches[0]) > config.drift_semitones:
            return []
        onset = self._onset(level)
        self._steady = []
        return [self._start(round(float(np.median(pitches))), onset, now, level)]

    def _onset(self, level: float) -> float:
        """Where the note starting now began: after the latest quiet hop (``backtrack_db``
        under ``level``) of the last ``backtrack_s``; else at the attack heard (the start of
        its rise); else where the last note ended, if that was lately (the next note of a
        line); else where its steady pitch began to fill the window."""
        config = self.config
        quiet = [end for end, heard, _ in self._history
                 if heard < level - config.backtrack_db]
        if quiet:
            return quiet[-1]
        first = self._steady[0][0] - config.pitch.window_s
        attack = self._attack_at
        if attack is not None and attack >= first - config.attack_s:
            return attack
        ended = self._ended_at  # a line's next note: where the last one lost its pitch
        if ended is not None and first - config.backtrack_s <= ended <= first:
            return ended
        return first

    def _start(self, pitch: int, onset: float, now: float, level: float) -> NoteOn:
        self._note = _Sounding(pitch, onset)
        self._quiet_since, self._quiet_frames = None, 0
        self._attack_at = None
        return NoteOn(pitch, velocity_of(level), onset, now)

    def _end(self, end: float, now: float) -> NoteOff:
        note = self._note
        assert note is not None
        self._note = None
        self._ended_at = end
        self._other, self._steady = [], []
        return NoteOff(note.pitch, max(end, note.onset_s), now)
