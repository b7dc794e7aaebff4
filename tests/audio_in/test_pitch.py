"""The NSDF pitch of synthetic windows: tones across the instruments' range, and noise."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.audio_in.pitch import PitchEstimator, midi_of
from tests.audio_in.signals import RATE, Tone, tone


@pytest.mark.parametrize("pitch", [40, 45, 52, 60, 67, 74, 81, 88, 95])
def test_a_steady_tone_is_heard_within_ten_cents(pitch):
    estimator = PitchEstimator(RATE)
    samples = tone(Tone(pitch, 0.0, 0.2))
    frame = estimator.estimate(samples[4800:4800 + estimator.size])
    assert frame.clarity > 0.9
    assert midi_of(frame.frequency) == pytest.approx(pitch, abs=0.1)


def test_a_weak_fundamental_is_not_heard_an_octave_up():
    estimator = PitchEstimator(RATE)
    t = np.arange(estimator.size) / RATE
    f0 = 110.0
    samples = 0.2 * np.sin(2 * np.pi * f0 * t) + np.sin(2 * np.pi * 2 * f0 * t) \
        + 0.5 * np.sin(2 * np.pi * 3 * f0 * t)
    frame = estimator.estimate(samples)
    assert frame.frequency == pytest.approx(f0, rel=0.01)


def test_noise_has_no_clear_pitch():
    estimator = PitchEstimator(RATE)
    noise = np.random.default_rng(1).normal(0.0, 0.1, estimator.size)
    assert estimator.estimate(noise).clarity < 0.6


def test_an_offset_does_not_hide_the_pitch():
    estimator = PitchEstimator(RATE)
    samples = tone(Tone(63, 0.0, 0.2))[4800:4800 + estimator.size] + 0.3
    assert midi_of(estimator.estimate(samples).frequency) == pytest.approx(63, abs=0.1)


def test_tuning_moves_the_pitch_names():
    assert midi_of(442.0, tuning=442.0) == pytest.approx(69.0)
    assert midi_of(440.0, tuning=466.16) == pytest.approx(68.0, abs=0.01)
