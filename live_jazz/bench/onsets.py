"""Onsets in rendered audio, to check that the voice sounds each note where the MIDI says.

Spectral flux (the rise of each frequency bin's magnitude from one frame to the next, summed),
peaks above a moving median, each onset taken back to where the rise began (half the peak's
flux). Tuned on the built-in voice's piano: a percussive attack whose start is unambiguous. A
slow attack (a saxophone's breath) is found where it has grown, later than the MIDI note-on:
that is the instrument's envelope, not the timing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

HOP = 24
"""Samples between analysis frames (0.5 ms at 48 kHz)."""
WINDOW = 1024
"""Samples a frame."""
LAG = 4
"""Frames between the two spectra compared."""
NEIGHBOURHOOD_SECONDS = 0.04
"""A peak is the largest flux within this of it, either side."""
MEDIAN_FACTOR, FLOOR = 1.5, 0.05
"""A peak exceeds this many moving medians plus this share of the largest flux."""


def detect_onsets(audio: np.ndarray, rate: int) -> np.ndarray:
    """Onset times (seconds) in ``audio``: int16 or float, mono or (frames, channels)."""
    mono = np.asarray(audio, dtype=np.float64)
    if mono.ndim == 2:
        mono = mono.mean(axis=1)
    frames = (len(mono) - WINDOW) // HOP
    if frames <= LAG:
        return np.zeros(0)
    windows = sliding_window_view(mono, WINDOW)[::HOP][:frames] * np.hanning(WINDOW)
    spectra = np.abs(np.fft.rfft(windows, axis=1))
    flux = np.concatenate([np.zeros(LAG),
                           np.maximum(0.0, spectra[LAG:] - spectra[:-LAG]).sum(axis=1)])
    width = max(1, int(NEIGHBOURHOOD_SECONDS * rate / HOP))
    padded = sliding_window_view(np.pad(flux, (width, width), mode="edge"), 2 * width + 1)
    threshold = MEDIAN_FACTOR * np.median(padded, axis=1) + FLOOR * flux.max()
    peaks = np.nonzero((flux >= threshold) & (flux == padded.max(axis=1)) & (flux > 0))[0]
    times = []
    for peak in peaks:
        start = peak
        while start > 0 and flux[start - 1] > 0.5 * flux[peak]:
            start -= 1
        times.append((start * HOP + WINDOW / 2) / rate)
    return np.asarray(times)


def onset_errors(expected: Sequence[float], detected: np.ndarray) -> np.ndarray:
    """For each expected onset (seconds), the nearest detected one minus it (seconds)."""
    if len(detected) == 0:
        return np.full(len(expected), np.inf)
    found = np.asarray(detected)
    return np.asarray([found[np.argmin(np.abs(found - t))] - t for t in expected])
