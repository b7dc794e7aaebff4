"""The improviser: sampled values become notes over the chords at a running position."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.encoding import COUNT_IN, Note, Role, Value, role_of
from live_jazz.encoding.codec import Played, encode_line
from live_jazz.encoding.features import FeatureEncoder, RegularMeter
from live_jazz.encoding.phrase import PhraseContext
from live_jazz.encoding.values import split_duration
from live_jazz.model.bundle import Weights
from live_jazz.music.improviser import Improviser, Step
from live_jazz.theory import parse_progression, preset

BAR = 48


@pytest.fixture
def improviser(random_weights: Weights) -> Improviser:
    return Improviser(random_weights, preset("blues-f").timeline(12), np.random.default_rng(3))


def test_steps_follow_each_other_and_notes_sit_on_their_values(improviser: Improviser):
    steps = improviser.until(8 * BAR)
    assert steps[0].tick == 0
    for before, after in zip(steps, steps[1:], strict=False):
        assert after.tick == before.end
    for step in steps:
        assert step.value == improviser.sampler.vocabulary.values[step.index]
        if step.value.is_rest:
            assert step.note is None
        else:
            assert step.note is not None
            assert (step.note.onset, step.note.duration) == (step.tick, step.value.duration)
            low, high = improviser.decoder.register
            assert low <= step.note.pitch <= high
        assert step.entropy > 0 and 0 < step.top_probability <= 1
        assert step.a_norm > 0 and step.c_norm > 0
    assert steps[-1].end == improviser.position >= 8 * BAR > steps[-1].tick


def test_until_a_reached_tick_does_nothing(improviser: Improviser):
    improviser.until(BAR)
    assert improviser.until(improviser.position) == []


def _chord_tones_where_reachable(steps, timeline, register, previous=None) -> int:
    """Checks that each note sounds its value's motion (or its mirror where a leap would leave
    the register) and that a chord-tone value lands on a chord tone wherever its motion
    reaches one; returns how many did."""
    low, high = register
    landed = 0
    for step in steps:
        if step.note is None:
            continue
        value, pitch = step.value, step.note.pitch
        chord = timeline.chord_at(step.tick)
        if previous is not None:
            interval = pitch - previous
            assert value.motion.contains(interval) or value.motion.contains(-interval)
            reachable = [previous + i for i in range(-24, 25) if value.motion.contains(i)
                         and low <= previous + i <= high]
            if value.role == Role.CHORD and any(role_of(p, chord) == Role.CHORD
                                                for p in reachable):
                assert role_of(pitch, chord) == Role.CHORD
                landed += 1
        previous = pitch
    return landed


def test_values_sound_with_their_motion_and_their_role_where_the_motion_has_it(
        improviser: Improviser):
    steps = improviser.until(24 * BAR)
    assert _chord_tones_where_reachable(steps, improviser.timeline,
                                        improviser.decoder.register) > 10


def _as_played(steps: list[Step]) -> list[Played]:
    return [Played(s.value, None if s.note is None else s.note.pitch) for s in steps]


def test_each_step_is_told_the_features_training_computes(conditioned_weights: Weights):
    # What the model is told at every value it plays, hears or skips, against what training
    # computes from the same line (``FeatureEncoder.line``, the phrase so far included).
    waltz = parse_progression("| Dm7 | G7 | Cmaj7 | A7 |", beats_per_bar=3).timeline(12)
    improviser = Improviser(conditioned_weights, waltz, np.random.default_rng(2),
                            meter=RegularMeter(36), tempo=200.0)
    seen = []
    sampler = improviser.sampler
    sample, observe = sampler.sample, sampler.observe

    def recording_sample(features=None, bias=None):
        seen.append(features.copy())
        return sample(features, bias)

    def recording_observe(index, features=None):
        seen.append(features.copy())
        observe(index, features)

    sampler.sample, sampler.observe = recording_sample, recording_observe
    played = [Played(COUNT_IN, None), *_as_played(improviser.until(8 * 36))]
    start = improviser.position
    call = [Note(start + 3, 6, 62), Note(start + 9, 6, 65), Note(start + 15, 30, 60)]
    played += encode_line(call, waltz, start_tick=start, prev_pitch=improviser.decoder.prev_pitch)
    improviser.listen(call, start)
    played += [Played(Value(d), None) for d in split_duration(30)]
    improviser.move_to(improviser.position + 30)
    played += _as_played(improviser.until(improviser.position + 8 * 36))
    encoder = FeatureEncoder(conditioned_weights.features, improviser.decoder.center)
    rows = encoder.line(played, -COUNT_IN.duration, waltz, RegularMeter(36), 200.0)
    assert len(seen) == len(rows) - 1
    np.testing.assert_array_equal(np.array(seen), rows[1:])


def test_a_snapshot_keeps_the_phrase_and_reset_starts_one(conditioned_weights: Weights):
    improviser = Improviser(conditioned_weights, preset("blues-f").timeline(12),
                            np.random.default_rng(5))
    improviser.until(3 * BAR)
    state = improviser.snapshot()
    before = state.phrase.copy()
    improviser.until(improviser.position + 4 * BAR)
    assert improviser.phrase != before and state.phrase == before  # a copy, not a view
    improviser.restore(state)
    assert improviser.phrase == before
    improviser.reset()
    assert improviser.phrase == PhraseContext.after_count_in()


def test_a_seed_gives_the_same_solo(random_weights: Weights):
    timeline = preset("blues-f").timeline(12)
    solos = [Improviser(random_weights, timeline, np.random.default_rng(7)).until(12 * BAR)
             for _ in range(2)]
    assert solos[0] == solos[1]
    other = Improviser(random_weights, timeline, np.random.default_rng(8)).until(12 * BAR)
    assert other != solos[0]


def test_a_new_timeline_takes_over_from_the_next_step(improviser: Improviser):
    improviser.until(4 * BAR)
    start = improviser.position
    previous = improviser.decoder.prev_pitch
    ebmaj7 = parse_progression("| Ebmaj7 |").timeline(12)
    improviser.set_timeline(ebmaj7)
    later = improviser.until(start + 24 * BAR)
    assert _chord_tones_where_reachable(later, ebmaj7, improviser.decoder.register,
                                        previous) > 10


def _distribution(improviser: Improviser) -> np.ndarray:
    return improviser.sampler.probabilities()


def test_listening_moves_the_state_the_position_and_the_previous_pitch(
    random_weights: Weights,
):
    timeline = preset("blues-f").timeline(12)
    deaf, listener = (Improviser(random_weights, timeline, np.random.default_rng(1))
                      for _ in range(2))
    for improviser in (deaf, listener):
        improviser.until(2 * BAR)
    start = listener.position
    phrase = [Note(start + 3, 6, 65), Note(start + 9, 3, 69), Note(start + 12, 12, 72)]
    heard = listener.listen(phrase, start)
    assert heard[0] == Value(3)  # the phrase keeps its place: a sixteenth rest first
    assert sum(v.duration for v in heard) == 24
    assert listener.position == start + 24
    assert listener.decoder.prev_pitch == 72
    assert not np.allclose(_distribution(deaf), _distribution(listener))
    assert listener.step().tick == start + 24


def test_listening_from_a_later_tick_observes_the_silence_first(improviser: Improviser):
    improviser.until(BAR)
    before = improviser.position
    improviser.listen([Note(3 * BAR, 12, 60)], 3 * BAR)
    assert improviser.position == 3 * BAR + 12 > before


def test_moving_on_observes_the_rests_in_between(random_weights: Weights):
    timeline = preset("blues-f").timeline(12)
    still, moved = (Improviser(random_weights, timeline, np.random.default_rng(1))
                    for _ in range(2))
    for improviser in (still, moved):
        improviser.until(BAR + 1)
    target = (moved.position // BAR + 1) * BAR
    moved.move_to(target)
    assert moved.position == target
    assert not np.allclose(still.sampler.a, moved.sampler.a)
    assert moved.step().tick == target


def test_reset_returns_to_the_start(improviser: Improviser):
    first = _distribution(improviser)
    improviser.until(4 * BAR)
    improviser.reset(tick=96)
    assert improviser.position == 96 and improviser.decoder.prev_pitch is None
    np.testing.assert_allclose(_distribution(improviser), first, atol=1e-6)


def test_settings_apply_and_are_checked(improviser: Improviser):
    improviser.set_temperature(0.0)
    improviser.set_velocity(30)
    notes = [s.note for s in improviser.until(4 * BAR) if s.note]
    assert {n.velocity for n in notes} == {30}
    assert all(s.top_probability == 1.0 for s in improviser.until(6 * BAR))
    improviser.set_top_p(0.5)
    assert improviser.sampler.top_p == 0.5
    for bad in (lambda: improviser.set_temperature(-1), lambda: improviser.set_top_p(0),
                lambda: improviser.set_top_p(1.5), lambda: improviser.set_velocity(0),
                lambda: improviser.set_velocity(128)):
        with pytest.raises(ValueError):
            bad()
