"""The performer: shifts and velocities of notes, the grid exact, bounds, intensity, answers."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.feel import FeelModel
from live_jazz.music.dynamics import VELOCITY_RANGE, Dynamics
from live_jazz.music.performer import MAX_SHIFT_BEATS, Draws, Performer
from tests.music.feel_models import fixed_feel


def eighth_line(bars: int = 8) -> list[Note]:
    """Eighth notes up and down a scale, a rest of a beat after each two bars."""
    notes, pitches = [], [60, 62, 64, 65, 67, 69, 71, 72, 74, 72, 71, 69, 67, 65, 64, 62]
    for bar in range(bars):
        for eighth in range(8 if bar % 2 == 0 else 6):
            onset = bar * 4 * TICKS_PER_BEAT + eighth * TICKS_PER_BEAT // 2
            notes.append(Note(onset, 5, pitches[(bar * 8 + eighth) % len(pitches)], 90))
    return notes


def test_grid_keeps_every_note_on_its_place_at_its_velocity():
    performer = Performer(fixed_feel(-30.0), np.random.default_rng(0), grid=True)
    assert {performer.solo(n, n.onset % 48, 160.0) for n in eighth_line()} == {(0.0, 90)}
    assert Performer(None).solo(Note(0, 6, 60, 77), 0, 120.0) == (0.0, 77)


@pytest.mark.parametrize(("ms", "tempo"), [(30.0, 120.0), (-20.0, 240.0)])
def test_a_fixed_feel_moves_every_note_by_its_time_at_the_tempo(ms, tempo):
    performer = Performer(fixed_feel(ms), np.random.default_rng(0))
    for note in eighth_line(2):
        shift, _ = performer.solo(note, note.onset % 48, tempo)
        assert shift / TICKS_PER_BEAT * 60.0 / tempo * 1000.0 == pytest.approx(ms)


def test_shifts_are_clamped_to_a_quarter_beat():
    performer = Performer(fixed_feel(400.0), np.random.default_rng(0))
    shift, _ = performer.solo(Note(0, 6, 60), 0, 120.0)
    assert shift == pytest.approx(MAX_SHIFT_BEATS * TICKS_PER_BEAT)


def test_strays_hang_together_within_a_phrase():
    feel = fixed_feel(0.0, spread_ms=20.0)
    feel = FeelModel(**{**feel.__dict__, "ar": (0.9,) * 4, "phrase_share": (0.0,) * 4})
    performer = Performer(feel, np.random.default_rng(1))
    line = [Note(i * 6, 5, 60 + i % 5) for i in range(400)]
    shifts = np.array([performer.solo(n, n.onset % 48, 120.0)[0] for n in line])
    assert np.corrcoef(shifts[:-1], shifts[1:])[0, 1] > 0.7
    independent = Performer(fixed_feel(0.0, spread_ms=20.0), np.random.default_rng(1))
    loose = np.array([independent.solo(n, n.onset % 48, 120.0)[0] for n in line])
    assert abs(np.corrcoef(loose[:-1], loose[1:])[0, 1]) < 0.2


def velocities(performer: Performer, notes: list[Note]) -> np.ndarray:
    return np.array([performer.solo(n, n.onset % 48, 160.0)[1] for n in notes])


def test_velocities_vary_within_a_phrase_and_stay_in_bounds():
    performer = Performer(fixed_feel(0.0), np.random.default_rng(0))
    notes = eighth_line(16)
    shaped = velocities(performer, notes)
    assert shaped.std() >= 8
    assert VELOCITY_RANGE[0] <= shaped.min() and shaped.max() <= VELOCITY_RANGE[1]
    loud = [Note(n.onset, 24, 110, 127) for n in notes]  # long, high, loud base: clipped
    assert velocities(Performer(fixed_feel(0.0), np.random.default_rng(0)), loud).max() <= 120


def test_intensity_scales_the_range_and_zero_makes_it_flat():
    notes = eighth_line(16)
    spreads = []
    for intensity in (0.0, 0.5, 1.0, 2.0):
        performer = Performer(fixed_feel(0.0), np.random.default_rng(0))
        performer.intensity = intensity
        spreads.append(velocities(performer, notes).std())
    assert spreads[0] == 0.0
    assert spreads[1] < spreads[2] < spreads[3]


def test_an_answer_starts_at_the_level_of_its_call_and_returns_to_its_own():
    performer = Performer(fixed_feel(0.0), np.random.default_rng(0))
    performer.intensity = 0.0  # the level alone
    performer.hear_call([40, 44, 42], answer_tick=96)
    first = performer.solo(Note(96, 6, 64, 90), 0, 120.0)[1]
    later = performer.solo(Note(96 + 12 * 12, 6, 64, 90), 0, 120.0)[1]
    assert first == 42 and later == 90


def test_ghosts_and_accents_fall_where_the_rules_say():
    dynamics = Dynamics(Draws(np.random.default_rng(0)))
    dynamics.rules = type(dynamics.rules)(jitter=0.0, arch=0.0, high_loud=0.0)
    level = 80.0
    first = dynamics.velocity(0.0, 0.4, 60, level, True)
    ghost = dynamics.velocity(0.5, 0.4, 62, level, False)  # a short off-beat step in a run
    leap_top = dynamics.velocity(1.0, 0.4, 69, level, False)  # a leap up to a new top
    syncopated = dynamics.velocity(1.5, 1.5, 67, level, False)  # long, off the beat
    assert ghost < first < leap_top
    assert syncopated > first
