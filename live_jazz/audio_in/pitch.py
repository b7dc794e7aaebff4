"""The pitch of the latest few milliseconds of a monophonic signal: McLeod's normalized square
difference function (NSDF, the YIN family), in numpy.

For a window x of N samples and a lag tau, the square difference over the samples both copies
cover, d(tau) = sum (x[j] - x[j+tau])^2, is normalized by the energy of those samples:
n(tau) = 1 - d(tau) / m(tau) = 2 r(tau) / m(tau), in [-1, 1] (1: periodic with period tau).
r comes from one FFT, m from cumulative sums: a few array operations per block, whatever the
lag range, each of which releases the GIL. The period is the first peak of n that comes within
``peak_share`` of the highest peak (the first, not the highest: a period's multiples peak too,
and picking them gives notes an octave low), refined by a parabola through its neighbours.
``clarity`` (the peak's height) says how periodic the window is: a note, or noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PitchConfig:
    """How the pitch of a window is found."""

    fmin: float = 65.0
    """Lowest fundamental looked for, Hz (C2: trombone, guitar and tenor sax lie above)."""
    fmax: float = 2100.0
    """Highest fundamental looked for, Hz (C7: the flute's top)."""
    window_s: float = 0.022
    """Length of the analysed window, seconds: longer sees low notes better, shorter hears a
    new note sooner."""
    peak_share: float = 0.7
    """A peak of n(tau) is the period if it reaches this share of the highest peak."""


@dataclass(frozen=True)
class PitchFrame:
    """What one window holds."""

    frequency: float
    """Fundamental, Hz (0: none found)."""
    clarity: float
    """Height of the chosen peak of n(tau), 0-1: how periodic the window is."""


class PitchEstimator:
    """The NSDF of a window of ``size`` samples at ``sample_rate``; the work arrays are
    allocated once."""

    def __init__(self, sample_rate: int, config: PitchConfig | None = None) -> None:
        self.config = config or PitchConfig()
        self.sample_rate = sample_rate
        self.size = max(16, round(self.config.window_s * sample_rate))
        self.tau_min = max(2, math.floor(sample_rate / self.config.fmax))
        self.tau_max = min(self.size - 2, math.ceil(sample_rate / self.config.fmin))
        self._fft_size = 1 << (2 * self.size - 1).bit_length()

    def estimate(self, window: np.ndarray) -> PitchFrame:
        """The pitch of ``window`` (float, ``size`` samples)."""
        nsdf = self.nsdf(window)
        tau = self._period(nsdf)
        if tau is None:
            return PitchFrame(0.0, float(max(0.0, nsdf[self.tau_min:].max(initial=0.0))))
        exact, height = _parabola(nsdf, tau)
        return PitchFrame(self.sample_rate / exact, float(min(1.0, height)))

    def nsdf(self, window: np.ndarray) -> np.ndarray:
        """n(tau) for tau = 0 .. tau_max."""
        x = np.asarray(window, dtype=np.float64)
        x = x - x.mean()  # an offset (or a rumble) would keep n(tau) from falling below zero
        spectrum = np.fft.rfft(x, self._fft_size)
        r = np.fft.irfft(spectrum * spectrum.conj(), self._fft_size)[: self.tau_max + 1]
        squares = x * x
        head = np.cumsum(squares)  # head[k] = energy of x[0..k]
        total = head[-1]
        lags = np.arange(self.tau_max + 1)
        # m(tau) = sum_{j < N - tau} x_j^2 + sum_{j >= tau} x_j^2
        tail = total - np.concatenate(([0.0], head[: self.tau_max]))
        m = head[self.size - 1 - lags] + tail
        return np.divide(2.0 * r, m, out=np.zeros_like(r), where=m > 1e-12)

    def _period(self, nsdf: np.ndarray) -> int | None:
        """The lag of the first peak within ``peak_share`` of the highest, past the first
        negative lobe (n falls from 1 at tau = 0; peaks before it falls are not periods)."""
        below = np.flatnonzero(nsdf[1:] < 0.0)
        if below.size == 0:
            return None
        start = max(self.tau_min, int(below[0]) + 1)
        part = nsdf[start - 1:]
        if part.size < 3:
            return None
        middle = part[1:-1]
        peaks = np.flatnonzero((middle > part[:-2]) & (middle >= part[2:]) & (middle > 0.0))
        if peaks.size == 0:
            return None
        heights = middle[peaks]
        chosen = peaks[heights >= self.config.peak_share * heights.max()][0]
        return int(chosen) + start


def _parabola(values: np.ndarray, index: int) -> tuple[float, float]:
    """(lag, height) of the vertex of the parabola through ``index`` and its neighbours."""
    left, centre, right = values[index - 1], values[index], values[index + 1]
    curvature = left - 2.0 * centre + right
    if curvature >= 0.0:
        return float(index), float(centre)
    shift = 0.5 * (left - right) / curvature
    return index + shift, float(centre - 0.25 * (left - right) * shift)


def midi_of(frequency: float, tuning: float = 440.0) -> float:
    """The (fractional) MIDI pitch of ``frequency`` with A4 at ``tuning`` Hz."""
    return 69.0 + 12.0 * math.log2(frequency / tuning)
