"""Long runs: does the improviser keep its character over hours of playing?

Independent runs of the ``Improviser`` (the live path: features from the form, the decoder's
pitches, the loop guard) over a looping form, from a reset, without re-priming. The statistics
of the first ``window`` values are compared with those of the last ``window``: mean entropy,
share of rests, share of chord tones, and the profile of note onsets over the 12 positions of
the beat (its change is the total variation distance between the two profiles).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from live_jazz.encoding import TICKS_PER_BEAT, Role
from live_jazz.encoding.features import RegularMeter
from live_jazz.model.bundle import Weights
from live_jazz.music.improviser import Improviser
from live_jazz.theory import preset

LONG_RUN_FORM = "rhythm-changes"
"""The form the long runs loop over (32 bars, many changes)."""
LONG_RUN_TEMPO = 180.0
"""Their tempo (BPM)."""


@dataclass(frozen=True)
class RunStats:
    """Output statistics of a stretch of sampled values."""

    entropy: float
    """Mean entropy (nats) of the distributions sampled from."""
    rest_share: float
    """Share of rest values."""
    chord_tone_share: float
    """Share of chord-tone note values."""
    onset_profile: tuple[float, ...]
    """Share of note onsets at each of the 12 positions of the beat."""

    def as_dict(self) -> dict[str, object]:
        return {"entropy": self.entropy, "rest_share": self.rest_share,
                "chord_tone_share": self.chord_tone_share,
                "onset_profile": list(self.onset_profile)}


@dataclass(frozen=True)
class LongRunReport:
    """Statistics of the first ``window`` values of many runs beside those of the last
    ``window`` values (from step ``late_start`` on)."""

    early: RunStats
    late: RunStats
    window: int
    late_start: int
    runs: int

    def relative_changes(self) -> dict[str, float]:
        """|late - early| / early for each scalar statistic, and the total variation distance
        between the onset profiles."""
        changes = {}
        for key in ("entropy", "rest_share", "chord_tone_share"):
            early, late = getattr(self.early, key), getattr(self.late, key)
            changes[key] = abs(late - early) / early if early else float(late != 0)
        early_profile = np.array(self.early.onset_profile)
        late_profile = np.array(self.late.onset_profile)
        changes["onset_profile"] = 0.5 * float(np.abs(late_profile - early_profile).sum())
        return changes

    def within(self, tolerance: float = 0.1) -> bool:
        """Whether every change stays within ``tolerance``."""
        return all(change <= tolerance for change in self.relative_changes().values())


def _stats(entropy: np.ndarray, rest: np.ndarray, chord: np.ndarray,
           onsets: np.ndarray) -> RunStats:
    profile = onsets.sum(axis=0)
    profile = profile / max(profile.sum(), 1.0)
    return RunStats(float(entropy.mean()), float(rest.mean()), float(chord.mean()),
                    tuple(float(p) for p in profile))


def long_run_stats(
    weights: Weights,
    seed: int = 0,
    runs: int = 8,
    steps: int = 40000,
    window: int = 2000,
    temperature: float = 1.0,
) -> LongRunReport:
    """Sample ``runs`` independent streams of ``steps`` values with the ``Improviser`` over
    ``LONG_RUN_FORM`` and compare the first ``window`` values with the last ``window``."""
    if steps < 2 * window:
        raise ValueError(f"steps ({steps}) must be at least twice the window ({window})")
    progression = preset(LONG_RUN_FORM)
    timeline = progression.timeline(TICKS_PER_BEAT)
    meter = RegularMeter(progression.beats_per_bar * TICKS_PER_BEAT)
    seeds = np.random.SeedSequence(seed).spawn(runs)
    late_start = steps - window
    entropy = np.zeros((2, runs, window))
    rest = np.zeros((2, runs, window), bool)
    chord = np.zeros((2, runs, window), bool)
    onsets = np.zeros((2, runs, TICKS_PER_BEAT))
    for run, run_seed in enumerate(seeds):
        improviser = Improviser(weights, timeline, np.random.default_rng(run_seed),
                                meter=meter, tempo=LONG_RUN_TEMPO, temperature=temperature)
        for step in range(steps):
            if window <= step < late_start:
                improviser.step()
                continue
            part, k = (0, step) if step < window else (1, step - late_start)
            played = improviser.step()
            entropy[part, run, k] = played.entropy
            rest[part, run, k] = played.value.is_rest
            chord[part, run, k] = played.value.role == Role.CHORD
            if played.note is not None:
                onsets[part, run, played.tick % TICKS_PER_BEAT] += 1
    early, late = (_stats(entropy[p], rest[p], chord[p], onsets[p]) for p in (0, 1))
    return LongRunReport(early, late, window, late_start, runs)
