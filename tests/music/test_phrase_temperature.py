"""Temperature by where the line is in its phrase: the multiplier each step is sampled at."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.encoding.phrase import PhraseContext
from live_jazz.model.bundle import Weights
from live_jazz.music.improviser import Improviser
from live_jazz.music.phrase_temperature import (
    FLAT_TEMPERATURE,
    PHRASE_TEMPERATURE,
    PhraseTemperature,
)
from live_jazz.theory import preset


def test_the_multiplier_follows_the_notes_since_the_last_rest():
    rule = PhraseTemperature(start=1.2, inside=0.7, notes=2)
    phrase = PhraseContext.after_count_in()
    assert rule.factor(phrase) == 1.2
    phrase.advance(6, 60)
    assert rule.factor(phrase) == 1.2
    phrase.advance(6, 62)
    assert rule.factor(phrase) == 0.7
    phrase.advance(12, None)
    assert rule.factor(phrase) == 1.2
    assert FLAT_TEMPERATURE.factor(phrase) == 1.0
    with pytest.raises(ValueError):
        PhraseTemperature(start=0.0)


@pytest.mark.parametrize("base", [0.8, 0.0])
def test_each_step_is_sampled_at_the_set_temperature_times_the_phrases(
        random_weights: Weights, base: float):
    improviser = Improviser(random_weights, preset("blues-f").timeline(12),
                            np.random.default_rng(4), temperature=base)
    sampler, expected, used = improviser.sampler, [], []
    sample = sampler.sample

    def recording(features=None, bias=None):
        used.append(sampler.temperature)
        return sample(features, bias)

    sampler.sample = recording
    for _ in range(200):
        expected.append(base * PHRASE_TEMPERATURE.factor(improviser.phrase))
        improviser.step()
    assert used == pytest.approx(expected)
    if base:
        assert {PHRASE_TEMPERATURE.start * base, PHRASE_TEMPERATURE.inside * base} == set(used)
    assert improviser.temperature == base
