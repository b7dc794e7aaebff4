"""What a microphone adds to a clean rendering, for ``bench hearing``: noise and a room."""

from __future__ import annotations

import numpy as np

RT60_S = 0.6
"""The room's reverberation time (a living room to a small club)."""
WET = 0.7
"""The reverb's level against the direct sound (RMS ratio)."""


def _rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0


def noise(frames: int, level_db: float, colour: str, rng: np.random.Generator) -> np.ndarray:
    """White or pink (1/f power) noise of ``frames`` samples at ``level_db`` dBFS RMS."""
    white = rng.standard_normal(frames)
    if colour == "pink":
        spectrum = np.fft.rfft(white)
        spectrum[1:] /= np.sqrt(np.arange(1, spectrum.size))
        spectrum[0] = 0.0
        white = np.fft.irfft(spectrum, frames)
    return (white / max(1e-12, _rms(white)) * 10 ** (level_db / 20)).astype(np.float32)


def with_noise(samples: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """``samples`` plus white noise ``snr_db`` under their level while they sound."""
    active = samples[np.abs(samples) > 1e-3]
    level = 20 * np.log10(max(1e-9, _rms(active))) - snr_db
    return (samples + noise(samples.size, level, "white", rng)).astype(np.float32)


def with_room(samples: np.ndarray, rate: int, rng: np.random.Generator) -> np.ndarray:
    """``samples`` heard in a room: the direct sound, a few early reflections and an
    exponentially decaying diffuse tail (RT60_S), through one FFT convolution."""
    length = int(RT60_S * rate)
    t = np.arange(length) / rate
    tail = rng.standard_normal(length) * 10 ** (-3 * t / RT60_S)
    tail[: int(0.005 * rate)] = 0.0
    for delay, gain in ((0.007, 0.5), (0.011, 0.4), (0.017, 0.3), (0.023, 0.25)):
        tail[int(delay * rate)] += gain * 8.0
    tail *= WET / max(1e-12, np.sqrt(np.sum(tail ** 2)))
    response = np.concatenate(([1.0], tail[1:]))
    size = 1 << (samples.size + length).bit_length()
    wet = np.fft.irfft(np.fft.rfft(samples, size) * np.fft.rfft(response, size), size)
    out = wet[: samples.size]
    return (out / max(1.0, float(np.abs(out).max()) / 0.99)).astype(np.float32)
