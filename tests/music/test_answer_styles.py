"""Answer styles: plans from hand-written calls, the bias, and answers sampled on fixed seeds
(random test weights: the bias shows plainly)."""

from __future__ import annotations

import numpy as np
import pytest

from live_jazz.encoding import MOTIONS, TICKS_PER_BEAT, Note, Value, role_of
from live_jazz.music.answer_bias import GUARDED, AnswerBias, AnswerTargets, BiasWeights, ValueTable
from live_jazz.music.answer_styles import (
    AnswerPlanner,
    contrast,
    develop,
    echo,
    motion_share,
    plan_answer,
)
from live_jazz.music.call_material import copy_share, extract_material, onset_profile
from live_jazz.music.improviser import Improviser
from live_jazz.music.render import render
from live_jazz.theory import preset

BAR = 4 * TICKS_PER_BEAT
SEEDS = range(12)
UNIFORM = np.full(len(MOTIONS), 1 / len(MOTIONS))


def riff(low: int = 62) -> list[Note]:
    """Four bars of a riff: the Charleston and a push into the next bar, stepping up."""
    notes = []
    for bar in range(4):
        for onset, step in ((0, 0), (18, 2), (42, 3)):
            notes.append(Note(bar * BAR + onset, 6, low + step + bar))
    return notes


def run(weights, call: list[Note], style: str | None, seed: int) -> list[Note]:
    """The four bars answering ``call`` over the F blues (ticks from the answer's bar line);
    ``style`` None: the model alone, primed the same way."""
    progression = preset("blues-f")
    rng = np.random.default_rng(seed)
    if style is not None:
        rendering = render(weights, progression, 4, rng, prime=call, answer_style=style)
        start, notes = rendering.solo_start, rendering.solo
    else:
        improviser = Improviser(weights, progression.timeline(TICKS_PER_BEAT), rng)
        improviser.listen(call, 0)
        improviser.move_to(4 * BAR)
        start = 4 * BAR
        notes = [s.note for s in improviser.until(8 * BAR) if s.note is not None]
    return [Note(n.onset - start, n.duration, n.pitch) for n in notes
            if start <= n.onset < start + 4 * BAR]


def cosine(p: np.ndarray, q: np.ndarray) -> float:
    return float(p @ q / (np.linalg.norm(p) * np.linalg.norm(q)))


def rhythm_likeness(answers: list[list[Note]], call: list[Note]) -> float:
    call_profile = onset_profile([n.onset for n in call], BAR)
    return float(np.mean([cosine(onset_profile([n.onset for n in a], BAR), call_profile)
                          for a in answers if a]))


def mean_pitch(answers: list[list[Note]]) -> float:
    return float(np.mean([n.pitch for a in answers for n in a]))


# -- plans ----------------------------------------------------------------------------------


def test_echo_plans_the_calls_cells_bar_for_bar_in_its_register():
    material = extract_material(riff(), 0, BAR)
    assert material is not None
    plan = echo(material, 4)
    assert plan.onset_chance.shape == (4 * BAR,)
    for onset in (0, 18, 42):
        assert plan.onset_chance[onset] > 0.9
    assert plan.onset_chance[6] < 0.1
    assert plan.register == material.mean_pitch
    assert plan.intervals @ np.arange(-12, 13) > 0  # the riff climbs


def test_develop_takes_the_last_cell_first_and_sequences_toward_the_middle():
    call = [Note(0, 6, 55), Note(12, 6, 57), Note(BAR + 6, 6, 58), Note(BAR + 30, 6, 60)]
    material = extract_material(call, 0, BAR)
    assert material is not None
    for seed in range(8):
        plan = develop(material, 2, np.random.default_rng(seed))
        shift = 6 if "displaced" in plan.description else 0
        assert plan.onset_chance[(6 + shift) % BAR] > 0.5  # bar 1: the call's last cell
        assert plan.onset_chance[BAR + shift] > 0.5  # bar 2: its first
        assert plan.register - material.mean_pitch in (2, 3)  # a low call goes up


def test_contrast_answers_density_with_space_and_register_with_the_other_side():
    busy_low = [Note(t, 3, 50 + (t // 3) % 3) for t in range(0, 2 * BAR, 3)]
    material = extract_material(busy_low, 0, BAR)
    assert material is not None
    plan = contrast(material, 2)
    assert plan.onset_chance.sum() < 0.3 * material.density * 2  # far fewer onsets planned
    assert plan.register > material.mean_pitch and "space" in plan.description
    sparse_high = [Note(0, 24, 80), Note(BAR, 24, 82)]
    material = extract_material(sparse_high, 0, BAR)
    assert material is not None
    plan = contrast(material, 2)
    assert plan.register < material.mean_pitch and "running line" in plan.description
    assert plan.intervals[12 + 5] > 0 and plan.intervals[12 + 1] == 0  # leaps for steps


def test_auto_answers_a_sparse_call_in_contrast_and_others_by_echo_or_develop():
    sparse = extract_material([Note(0, 24, 60), Note(3 * BAR, 24, 62)], 0, BAR)
    dense = extract_material(riff(), 0, BAR)
    assert sparse is not None and dense is not None
    rng = np.random.default_rng(0)
    assert plan_answer(sparse, "auto", 4, rng).style == "contrast"
    assert {plan_answer(dense, "auto", 4, rng).style for _ in range(20)} == {"echo", "develop"}
    with pytest.raises(ValueError, match="answer style"):
        plan_answer(dense, "loud", 4, rng)  # type: ignore[arg-type]


def test_motion_shares_sum_to_one_and_favour_the_calls_motions():
    intervals = np.zeros(25)
    intervals[12 + 2] = 1.0  # only whole steps up
    share = motion_share(intervals)
    assert share.sum() == pytest.approx(1.0)
    assert MOTIONS[int(share.argmax())].contains(2) and not MOTIONS[int(share.argmax())].contains(1)


# -- the bias -------------------------------------------------------------------------------


def test_the_bias_pulls_onsets_to_the_plan_and_is_none_outside_the_answer(random_weights):
    table = ValueTable(random_weights.vocabulary)
    chance = np.full(BAR, 0.05)
    chance[0] = 0.9
    targets = AnswerTargets(4 * BAR, 5 * BAR, BAR, chance, UNIFORM, 64.0,
                            frozenset())
    bias = AnswerBias(targets, table, BiasWeights())
    values = random_weights.vocabulary.values
    note = values.index(Value(6, *_role_and_repeat(values)))  # a repeat: no register pull
    rest = values.index(Value(6))
    on = bias(4 * BAR, 64)
    assert on is not None and on[note] > on[rest]  # a note where the plan has one ...
    off = bias(4 * BAR + 6, 64)  # (the same array, refilled)
    assert off is not None and off[note] < off[rest]  # ... a rest where it has none
    assert bias(4 * BAR - 1, 64) is None and bias(5 * BAR, 64) is None


def test_the_bias_pulls_toward_the_register(random_weights):
    table = ValueTable(random_weights.vocabulary)
    targets = AnswerTargets(0, BAR, BAR, np.full(BAR, 0.3), UNIFORM, 72.0,
                            frozenset())
    bias = AnswerBias(targets, table, BiasWeights())(0, 60)
    assert bias is not None
    up = [i for i, v in enumerate(random_weights.vocabulary.values)
          if v.motion is not None and v.motion.direction > 0 and v.motion.high <= 12]
    down = [i for i, v in enumerate(random_weights.vocabulary.values)
            if v.motion is not None and v.motion.direction < 0]
    assert bias[up].mean() > bias[down].mean() + 1.0


def test_the_copy_guard_takes_out_a_step_onto_the_calls_note_at_its_place(random_weights):
    table = ValueTable(random_weights.vocabulary)
    values = random_weights.vocabulary.values
    targets = AnswerTargets(4 * BAR, 8 * BAR, BAR, np.full(4 * BAR, 0.3), UNIFORM,
                            62.0, frozenset({(62, 0)}))
    bias = AnswerBias(targets, table, BiasWeights())
    step_up = [i for i, v in enumerate(values) if v.motion is not None and v.motion.name == "+2"]
    on_the_downbeat = bias(5 * BAR, 60)  # any bar's downbeat: the call's note was on one
    assert on_the_downbeat is not None and (on_the_downbeat[step_up] == GUARDED).all()
    elsewhere = bias(5 * BAR + 6, 60)
    assert elsewhere is not None and (elsewhere[step_up] > GUARDED).all()


def _role_and_repeat(values: list[Value]) -> tuple:
    first = next(v for v in values if v.motion is not None and v.motion.name == "0")
    return first.role, first.motion


# -- answers on fixed seeds -----------------------------------------------------------------


@pytest.mark.parametrize("style", ["echo", "develop", "contrast", "auto"])
def test_every_style_keeps_the_harmony_the_model_sampled(random_weights, style):
    """The bias tilts which values are sampled, never how they are decoded: each note moves
    by the motion its value asked for, and has the role its value asked for over the chord
    under it wherever a pitch of that motion has that role (the decoder keeps the motion
    first: it never widens a step to reach a role)."""
    progression = preset("blues-f")
    timeline = progression.timeline(TICKS_PER_BEAT)
    planner = AnswerPlanner(random_weights.vocabulary, np.random.default_rng(1))
    for seed in range(4):
        improviser = Improviser(random_weights, timeline, np.random.default_rng(seed))
        improviser.listen(riff(), 0)
        improviser.move_to(4 * BAR)
        improviser.bias = planner.plan(riff(), style, 4 * BAR, 8 * BAR, BAR)
        steps = improviser.until(8 * BAR)
        assert any(s.note is not None for s in steps)
        previous = riff()[-1].pitch
        for step in steps:
            if step.note is None or step.value.role is None:
                continue
            motion, pitch = step.value.motion, step.note.pitch
            assert motion is not None and motion.contains(pitch - previous)
            chord = timeline.chord_at(step.note.onset)
            if any(role_of(previous + i, chord) == step.value.role
                   for i in range(-24, 25) if motion.contains(i)):
                assert role_of(pitch, chord) == step.value.role
            previous = pitch


def test_echo_keeps_the_calls_rhythm_and_register(random_weights):
    call = riff(low=70)
    echoed = [run(random_weights, call, "echo", seed) for seed in SEEDS]
    alone = [run(random_weights, call, None, seed) for seed in SEEDS]
    assert rhythm_likeness(echoed, call) > rhythm_likeness(alone, call) + 0.1
    call_pitch = np.mean([n.pitch for n in call])
    assert abs(mean_pitch(echoed) - call_pitch) < abs(mean_pitch(alone) - call_pitch)


def test_contrast_leaves_space_after_a_busy_call_and_goes_high_after_a_low_one(random_weights):
    busy_low = [Note(t, 3, 52 + (t // 3) % 4) for t in range(0, 4 * BAR, 3)]
    contrasted = [run(random_weights, busy_low, "contrast", seed) for seed in SEEDS]
    echoed = [run(random_weights, busy_low, "echo", seed) for seed in SEEDS]
    assert sum(map(len, contrasted)) < 0.7 * sum(map(len, echoed))
    assert mean_pitch(contrasted) > mean_pitch(echoed) + 3


def test_develop_sequences_the_line_away_from_the_calls_register(random_weights):
    call = riff(low=56)  # low: developed upward
    developed = [run(random_weights, call, "develop", seed) for seed in SEEDS]
    echoed = [run(random_weights, call, "echo", seed) for seed in SEEDS]
    assert mean_pitch(developed) > mean_pitch(echoed)
    assert rhythm_likeness(developed, call) > 0.3


def test_the_styles_answer_differently_and_none_copies_the_call(random_weights):
    call = riff()
    material = extract_material(call, 0, BAR)
    assert material is not None
    for seed in range(4):
        answers = {style: run(random_weights, call, style, seed)
                   for style in ("echo", "develop", "contrast")}
        as_pairs = {style: [(n.onset, n.pitch) for n in notes] for style, notes in answers.items()}
        assert len({tuple(p) for p in as_pairs.values()}) == 3
        for notes in answers.values():
            assert copy_share(notes, material, 0) <= 0.25


def test_an_answer_pulls_only_during_its_bars(random_weights):
    planner = AnswerPlanner(random_weights.vocabulary, np.random.default_rng(0))
    bias = planner.plan(riff(), "echo", 4 * BAR, 8 * BAR, BAR)
    assert bias is not None and planner.last is not None and planner.last.style == "echo"
    assert bias(8 * BAR, 60) is None
    assert planner.plan([], "echo", 4 * BAR, 8 * BAR, BAR) is None and planner.last is None


def test_a_seed_gives_the_same_answer(random_weights):
    call = riff()
    assert run(random_weights, call, "auto", 5) == run(random_weights, call, "auto", 5)
    assert run(random_weights, call, "auto", 5) != run(random_weights, call, "auto", 6)


def test_chord_tones_on_the_beat_get_their_share_back(random_weights):
    table = ValueTable(random_weights.vocabulary)
    targets = AnswerTargets(0, BAR, BAR, np.full(BAR, 0.3), UNIFORM, 64.0,
                            frozenset())
    weights = BiasWeights(beat_chord_tones=0.5)
    bias = AnswerBias(targets, table, weights)
    on_beat = np.array(bias(12, None))
    off_beat = np.array(bias(18, None))
    rhythm = AnswerBias(targets, table, BiasWeights(beat_chord_tones=0.0))
    lift = on_beat - np.array(rhythm(12, None))
    assert np.allclose(lift[table.is_chord_tone], 0.5)
    assert np.allclose(lift[~table.is_chord_tone], 0.0)
    assert np.allclose(off_beat - np.array(rhythm(18, None)), 0.0)
