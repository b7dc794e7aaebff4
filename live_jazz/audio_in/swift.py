"""SwiftF0 (MIT; a 14k-parameter CNN run by onnxruntime, wheels for Linux, macOS and Windows)
as the tracker's pitch estimator: the alternative ``bench hearing`` measures beside the NSDF.

Run causally: once per model frame (16 ms), the model reads the last ``CONTEXT_FRAMES`` of audio
(downsampled to its 16 kHz), and the frame ``LAG_FRAMES`` from the end is the pitch heard (the
very last ones, without their right context, have no confidence). Its own stream waits for ten
frames (160 ms) to give the batch result, too late for a note-on; this trades some accuracy for
a latency near the NSDF's. Not on the default install (the ``bench`` extra).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from live_jazz.audio_in.pitch import PitchFrame

MODEL_RATE = 16000
"""The model's sample rate."""
MODEL_HOP = 256
"""The model's frame, samples at MODEL_RATE."""
CONTEXT_FRAMES = 12
"""Frames of context the model reads each hop (its receptive field reaches about 11)."""
LAG_FRAMES = 2
"""Frames from the end of the context the pitch is read at."""
TAPS = 63
"""Length of the low-pass filter taken before downsampling."""


class SwiftF0Estimator:
    """``estimate(window)`` as ``PitchEstimator``'s, by SwiftF0; ImportError where missing."""

    def __init__(self, sample_rate: int, hop: int = 256, fmin: float = 65.0,
                 fmax: float = 2093.0) -> None:
        import onnxruntime  # noqa: F401 - fail here, not in the middle of a run
        from swift_f0 import SwiftF0

        self._model: Any = SwiftF0(threads=1, spin=False)
        self.sample_rate = sample_rate
        self.factor = max(1, round(sample_rate / MODEL_RATE))
        self.size = self.factor * MODEL_HOP * CONTEXT_FRAMES + TAPS
        self._fmin, self._fmax = fmin, fmax
        cutoff = 0.45 / self.factor
        n = np.arange(TAPS) - (TAPS - 1) / 2
        self._taps = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(TAPS)
        self._stride = max(1, round(self.factor * MODEL_HOP / hop))
        self._calls = 0
        self._last = PitchFrame(0.0, 0.0)

    def estimate(self, window: np.ndarray) -> PitchFrame:
        """The pitch of ``window``'s model frame LAG_FRAMES from its end (computed once a
        model frame: the hops in between reuse it)."""
        self._calls += 1
        if self._calls % self._stride:
            return self._last
        low = np.convolve(window, self._taps, mode="valid")[:: self.factor]
        result = self._model.detect(low.astype(np.float32), MODEL_RATE, self._fmin, self._fmax)
        index = max(0, len(result.pitch_hz) - 1 - LAG_FRAMES)
        frequency = float(result.pitch_hz[index])
        if not math.isfinite(frequency) or frequency <= 0.0:
            self._last = PitchFrame(0.0, 0.0)
        else:
            self._last = PitchFrame(frequency, float(result.confidence[index]))
        return self._last
