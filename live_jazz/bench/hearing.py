"""``live-jazz bench hearing``: how well the live tracker hears a horn, measured on solos whose
notes are known (their onsets, durations and pitches), rendered through the built-in voice.

Each solo excerpt is rendered with each program, then heard clean, with white noise at
``SNR_DB`` under the music, and in a room (a synthetic reverb); each method (the tracker with
one pitch estimator) runs over it block by block as live. A note counts as found if one heard
has its pitch and an onset within ``MATCH_S``; an octave error is a true note heard an octave
(or two) off near its onset; latency is ``known_s`` (when the note-on would have been sent)
minus the true onset. Phantoms: notes heard in noise alone at ``PHANTOM_DB`` dBFS. CPU: the
tracker's process time per second of audio. The corpus side (which solos) is in
``training/bench_hearing.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import mido
import numpy as np

from live_jazz.audio_in.notes import TrackedNote, track_notes
from live_jazz.audio_in.pitch import PitchEstimator, midi_of
from live_jazz.audio_in.tracker import Tracker, TrackerConfig
from live_jazz.bench.rooms import noise, with_noise, with_room
from live_jazz.synth.offline import render
from live_jazz.synth.voice import Voice

MATCH_S = 0.05
"""A heard note matches a true one within this many seconds of its onset."""
SNR_DB = 20.0
"""The noisy condition's signal-to-noise ratio."""
PHANTOM_DB = -40.0
"""Level of the noise alone, dBFS RMS."""
PHANTOM_S = 60.0
"""Seconds of each noise alone."""
SHOW_S = 0.15
"""How long after its onset a note's pitch is looked for in ``pitch_shows``."""
LEAD_S = 0.6
"""Silence (or noise) before an excerpt's first note: the tracker measures its floor there."""
CONDITIONS = ("clean", "noise", "room")

PROGRAMS = {
    "tenor sax": (66, 58), "alto sax": (65, 65), "trumpet": (56, 67), "trombone": (57, 55),
    "clarinet": (71, 67), "flute": (73, 77), "jazz guitar": (26, 62),
}
"""Name -> (General MIDI program, 0-based; the median pitch a solo is moved to, by octaves)."""


@dataclass(frozen=True)
class TrueNote:
    """A note as the player played it."""

    onset: float
    duration: float
    pitch: int


Method = Callable[[int], Tracker]
"""A tracker for a sample rate."""


def nsdf_tracker(rate: int) -> Tracker:
    """The shipped tracker."""
    return Tracker(rate, TrackerConfig())


def swift_tracker(rate: int) -> Tracker:
    """The same note logic on SwiftF0's pitch (ImportError where not installed)."""
    from live_jazz.audio_in.swift import SwiftF0Estimator

    config = TrackerConfig(clarity=0.5)
    return Tracker(rate, config, SwiftF0Estimator(rate, config.block_frames))


METHODS: dict[str, Method] = {"nsdf": nsdf_tracker, "swiftf0": swift_tracker}


def excerpt(notes: Sequence[TrueNote], seconds: float, median: int) -> list[TrueNote]:
    """The notes of the first ``seconds`` from the first onset, starting at LEAD_S, moved by
    octaves so that their median pitch is near ``median``, each cut at the next onset."""
    ordered = sorted(notes, key=lambda n: n.onset)
    if not ordered:
        return []
    start = ordered[0].onset
    kept = [n for n in ordered if n.onset - start < seconds]
    shift = 12 * round((median - float(np.median([n.pitch for n in kept]))) / 12)
    out = []
    for index, note in enumerate(kept):
        following = kept[index + 1].onset if index + 1 < len(kept) else note.onset + 9.0
        duration = min(note.duration, following - note.onset)
        if duration > 0.0:
            out.append(TrueNote(note.onset - start + LEAD_S, duration, note.pitch + shift))
    return [n for n in out if 0 <= n.pitch <= 127]


def rendered(voice: Voice, notes: Sequence[TrueNote], program: int,
             rng: np.random.Generator) -> np.ndarray:
    """The notes played by ``program`` on channel 0: float mono."""
    voice.reset()
    events = [(0.0, mido.Message("program_change", channel=0, program=program))]
    for note in notes:
        velocity = int(rng.integers(64, 112))
        events.append((note.onset, mido.Message("note_on", note=note.pitch, velocity=velocity)))
        events.append((note.onset + note.duration, mido.Message("note_off", note=note.pitch)))
    stereo = render(voice, events).astype(np.float32)
    return stereo.mean(axis=1) / 32768.0


@dataclass
class Score:
    """Counts for one method in one condition."""

    true: int = 0
    heard: int = 0
    found: int = 0
    octave: int = 0
    audio_s: float = 0.0
    cpu_s: float = 0.0

    def __post_init__(self) -> None:
        self.latencies: list[float] = []

    def add(self, truth: Sequence[TrueNote], heard: Sequence[TrackedNote]) -> None:
        """Match ``heard`` to ``truth`` (each note once, nearest onset first)."""
        self.true += len(truth)
        self.heard += len(heard)
        used: set[int] = set()
        for note in truth:
            near = [(abs(h.onset_s - note.onset), i) for i, h in enumerate(heard)
                    if i not in used and abs(h.onset_s - note.onset) <= MATCH_S]
            same = [(gap, i) for gap, i in near if heard[i].pitch == note.pitch]
            if same:
                index = min(same)[1]
                used.add(index)
                self.found += 1
                self.latencies.append(heard[index].known_s - note.onset)
            elif any(abs(heard[i].pitch - note.pitch) in (12, 24) for _, i in near):
                self.octave += 1

    def figures(self) -> dict[str, float]:
        """F1, octave errors (% of true notes), latency p50/p95 (ms), CPU (% of a core)."""
        p50, p95 = (np.percentile(self.latencies, [50, 95]) * 1000.0 if self.latencies
                    else (float("nan"), float("nan")))
        return {"f1": 2.0 * self.found / max(1, self.true + self.heard),
                "precision": self.found / max(1, self.heard),
                "recall": self.found / max(1, self.true),
                "octave_errors_pct": 100.0 * self.octave / max(1, self.true),
                "latency_p50_ms": float(p50), "latency_p95_ms": float(p95),
                "cpu_pct": 100.0 * self.cpu_s / max(1e-9, self.audio_s),
                "notes": self.true}


def timed_notes(method: Method, samples: np.ndarray, rate: int,
                score: Score | None = None) -> list[TrackedNote]:
    """The method's notes; its process time and the audio's length added to ``score``."""
    tracker = method(rate)
    started = time.process_time()
    notes = track_notes(samples, tracker)
    if score is not None:
        score.cpu_s += time.process_time() - started
        score.audio_s += samples.size / rate
    return notes


def pitch_shows(samples: np.ndarray, rate: int, notes: Sequence[TrueNote]) -> list[float]:
    """For each note, how long after its onset a window ending there first holds its pitch
    (to the nearest semitone, clearly): the instrument's own part of the latency, which no
    tracker that waits for the pitch can beat (notes that never show it within SHOW_S are
    left out)."""
    estimator = PitchEstimator(rate)
    config = TrackerConfig()
    hop = config.block_frames
    shown = []
    for note in notes:
        first = int(note.onset * rate) + hop
        for end in range(first, min(samples.size, first + int(SHOW_S * rate)), hop):
            frame = estimator.estimate(samples[max(0, end - estimator.size):end])
            if frame.frequency > 0 and frame.clarity >= config.clarity \
                    and abs(midi_of(frame.frequency) - note.pitch) < 0.5:
                shown.append(end / rate - note.onset)
                break
    return shown


def phantoms(method: Method, rate: int, seed: int) -> dict[str, float]:
    """Notes a minute heard in white and in pink noise alone at PHANTOM_DB."""
    rng = np.random.default_rng(seed)
    found = {}
    for colour in ("white", "pink"):
        signal = noise(int(PHANTOM_S * rate), PHANTOM_DB, colour, rng)
        found[colour] = len(timed_notes(method, signal, rate)) * 60.0 / PHANTOM_S
    return found


def measure_hearing(solos: Sequence[Sequence[TrueNote]], voice: Voice, methods: Sequence[str],
                    programs: Sequence[str], seconds: float, seed: int = 0) -> dict:
    """Every method on every solo excerpt, program and condition: the figures."""
    rate = voice.sample_rate
    rng = np.random.default_rng(seed)
    scores = {(m, c): Score() for m in methods for c in CONDITIONS}
    by_program = {(m, p): Score() for m in methods for p in programs}
    shows: list[float] = []
    for solo in solos:
        for program in programs:
            number, median = PROGRAMS[program]
            notes = excerpt(solo, seconds, median)
            clean = rendered(voice, notes, number, rng)
            shows += pitch_shows(clean, rate, notes)
            heard = {"clean": clean, "noise": with_noise(clean, SNR_DB, rng),
                     "room": with_room(clean, rate, rng)}
            for condition, samples in heard.items():
                for name in methods:
                    found = timed_notes(METHODS[name], samples, rate, scores[name, condition])
                    scores[name, condition].add(notes, found)
                    by_program[name, program].add(notes, found)
    return {
        "conditions": {m: {c: scores[m, c].figures() for c in CONDITIONS} for m in methods},
        "programs": {m: {p: by_program[m, p].figures()["f1"] for p in programs}
                     for m in methods},
        "phantoms_per_min": {m: phantoms(METHODS[m], rate, seed) for m in methods},
        "pitch_shows_p50_ms": float(np.percentile(shows, 50) * 1000.0) if shows else None,
        "pitch_shows_p95_ms": float(np.percentile(shows, 95) * 1000.0) if shows else None,
        "sample_rate": rate, "block_frames": TrackerConfig().block_frames,
        "window_ms": 1000.0 * PitchEstimator(rate).size / rate,
    }


def describe_hearing(figures: dict, heading: str) -> str:
    """The figures as a table, one row per method and condition."""
    lines = [heading, "", f"{'method':8} {'condition':9} {'F1':>5} {'prec':>5} {'recall':>6} "
             f"{'octave%':>7} {'lat p50':>7} {'lat p95':>7} {'CPU%':>5} {'notes':>6}"]
    for method, conditions in figures["conditions"].items():
        for condition, f in conditions.items():
            lines.append(f"{method:8} {condition:9} {f['f1']:5.3f} {f['precision']:5.3f} "
                         f"{f['recall']:6.3f} {f['octave_errors_pct']:7.2f} "
                         f"{f['latency_p50_ms']:5.1f}ms {f['latency_p95_ms']:5.1f}ms "
                         f"{f['cpu_pct']:5.2f} {f['notes']:6d}")
    lines.append("")
    if figures["pitch_shows_p50_ms"] is not None:
        lines.append(f"the rendered notes' own attack: a window first holds the note's pitch "
                     f"{figures['pitch_shows_p50_ms']:.1f} ms (p50), "
                     f"{figures['pitch_shows_p95_ms']:.1f} ms (p95) after its onset")
    for method, ph in figures["phantoms_per_min"].items():
        per_program = ", ".join(f"{p} {f1:.3f}" for p, f1 in figures["programs"][method].items())
        lines.append(f"{method}: phantoms/min in noise alone at {PHANTOM_DB:g} dBFS: white "
                     f"{ph['white']:.1f}, pink {ph['pink']:.1f}; F1 by program: {per_program}")
    return "\n".join(lines)
