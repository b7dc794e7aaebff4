"""Test signals made with numpy: horn-like tones (harmonics, an attack, vibrato, a scoop) and
noise, at known times."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RATE = 48000


@dataclass(frozen=True)
class Tone:
    """One note of a test signal."""

    pitch: float
    """MIDI pitch (fractional allowed)."""
    onset: float
    """Seconds."""
    duration: float
    """Seconds."""
    vibrato: float = 0.0
    """Depth in semitones (5.5 Hz)."""
    scoop: float = 0.0
    """Semitones below the pitch it starts at, gliding up over 60 ms."""
    level: float = 0.3
    """Peak amplitude."""


def tone(note: Tone, rate: int = RATE, tuning: float = 440.0) -> np.ndarray:
    """The note's samples: five harmonics, 10 ms attack, 20 ms release."""
    n = int(note.duration * rate)
    t = np.arange(n) / rate
    midi = note.pitch + note.vibrato * np.sin(2 * np.pi * 5.5 * t)
    if note.scoop:
        midi = midi - note.scoop * np.clip(1.0 - t / 0.06, 0.0, 1.0)
    frequency = tuning * 2.0 ** ((midi - 69.0) / 12.0)
    phase = 2 * np.pi * np.cumsum(frequency) / rate
    wave = sum(np.sin(k * phase) / k for k in range(1, 6))
    envelope = np.minimum(1.0, np.minimum(t / 0.01, (note.duration - t) / 0.02))
    return note.level * np.clip(envelope, 0.0, 1.0) * wave / 1.6


def render(notes: list[Tone], length: float, rate: int = RATE, noise_db: float | None = None,
           seed: int = 0, tuning: float = 440.0) -> np.ndarray:
    """The notes mixed into ``length`` seconds, with white noise at ``noise_db`` dBFS RMS."""
    out = np.zeros(int(length * rate))
    for note in notes:
        start = int(note.onset * rate)
        samples = tone(note, rate, tuning)[: out.size - start]
        out[start:start + samples.size] += samples
    if noise_db is not None:
        out += np.random.default_rng(seed).normal(0.0, 10 ** (noise_db / 20), out.size)
    return out.astype(np.float32)
