"""Swing: straight grid ticks placed on swung time."""

from __future__ import annotations

import pytest

from live_jazz.music.swing import MIN_LENGTH_TICKS, check_ratio, swung_beat, swung_span, swung_tick

RATIOS = (0.5, 0.55, 0.6, 2 / 3, 0.7, 0.75)


@pytest.mark.parametrize("tick", range(-12, 25))
def test_straight_is_the_identity(tick):
    assert swung_tick(tick, 0.5) == tick


@pytest.mark.parametrize("ratio", RATIOS)
def test_the_off_beat_eighth_falls_at_the_ratio_and_beats_stay(ratio):
    for beat in range(-1, 4):
        assert swung_beat(12 * beat, ratio) == pytest.approx(beat)
        assert swung_beat(12 * beat + 6, ratio) == pytest.approx(beat + ratio)


@pytest.mark.parametrize("ratio", [r for r in RATIOS if r <= 2 / 3])
def test_triplets_stay_triplets_up_to_triplet_swing(ratio):
    for tick in (4, 8, 16, 20):
        assert swung_tick(tick, ratio) == pytest.approx(tick)


@pytest.mark.parametrize("ratio", RATIOS)
def test_onsets_never_change_order(ratio):
    ticks = [t / 4 for t in range(-48, 97)]
    placed = [swung_tick(t, ratio) for t in ticks]
    assert placed == sorted(placed)


def test_sixteenths_before_the_swung_eighth_stay_even_and_after_it_are_squeezed():
    assert swung_tick(3, 0.75) == pytest.approx(3)
    assert 9 < swung_tick(9, 0.75) < 12
    assert swung_tick(9, 0.75) - swung_tick(6, 0.75) < 3


@pytest.mark.parametrize("ratio", RATIOS)
def test_a_note_keeps_a_length(ratio):
    for onset in range(24):
        for duration in (1, 2, 3, 6, 12):
            start, end = swung_span(onset, duration, ratio)
            assert end - start >= MIN_LENGTH_TICKS / 12 - 1e-12
    start, end = swung_span(0, 6, ratio)
    assert (start, end) == pytest.approx((0, ratio))


@pytest.mark.parametrize("ratio", [0.49, 0.76, 1.0, -0.5])
def test_ratios_outside_the_range_are_refused(ratio):
    with pytest.raises(ValueError, match="swing must be 0.5-0.75"):
        check_ratio(ratio)
