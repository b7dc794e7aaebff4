"""The players' articulation: measured gates, drawn back as note lengths."""

import numpy as np
import pytest

from live_jazz.encoding import Decoder, Note, Value, motion_of
from live_jazz.encoding.articulation import (
    LEGATO,
    MIN_NOTES,
    QUANTILES,
    Articulation,
    fit_articulation,
    gate_of,
)
from live_jazz.encoding.codec import encode_line
from live_jazz.encoding.values import START, Role
from live_jazz.theory import ChordTimeline, parse_chord

CHORDS = ChordTimeline(((0, parse_chord("C7")),))


def test_a_transcription_keeps_how_long_each_note_sounded():
    staccato = [Note(0, 3, 60), Note(6, 4, 62), Note(12, 12, 64)]
    played = encode_line(staccato, CHORDS)
    assert [(p.value.duration, p.sounding) for p in played] == [(6, 3), (6, 4), (12, 12)]
    assert [gate_of(p.sounding, p.value.duration) for p in played] == [0.5, 4 / 6, 1.0]


def test_a_note_cut_by_a_rest_keeps_only_its_written_length():
    played = encode_line([Note(0, 11, 60), Note(11, 6, 62)], CHORDS)
    assert [(p.value.token, p.sounding) for p in played] == [
        ("C:start:10", 10), ("R:1", None), ("S:+2:6", 6)]


def test_gates_are_the_quantiles_of_what_was_measured():
    measured = {6: [0.5] * MIN_NOTES + [1.0] * MIN_NOTES, 12: [0.75] * MIN_NOTES,
                3: [0.5] * (MIN_NOTES - 1)}
    articulation = fit_articulation(measured)
    assert set(articulation.gates) == {6, 12}  # too few eighths of a beat: borrowed
    assert articulation.gates[6][0] == 0.5 and articulation.gates[6][-1] == 1.0
    assert articulation.gates[12] == (0.75,) * QUANTILES


def test_lengths_follow_the_gates_and_stay_inside_the_value():
    articulation = Articulation({6: (0.5,) * QUANTILES, 12: (0.75,) * QUANTILES})
    rng = np.random.default_rng(1)
    assert articulation.length(6, rng) == 3
    assert articulation.length(12, rng) == 9
    assert articulation.length(5, rng) == 2  # nearest measured duration: 6 (0.5 x 5 rounds to 2)
    assert articulation.length(48, rng) == 36
    assert articulation.length(1, rng) == 1  # never shorter than a tick


def test_legato_holds_every_note_and_draws_nothing():
    rng = np.random.default_rng(3)
    state = rng.bit_generator.state
    assert [LEGATO.length(d, rng) for d in (1, 6, 48)] == [1, 6, 48]
    assert rng.bit_generator.state == state


def test_the_decoder_detaches_notes_but_keeps_their_onsets():
    detached = Articulation({6: (0.5,) * QUANTILES})
    decoder = Decoder(np.random.default_rng(0), articulation=detached)
    line = [Value(6, Role.CHORD, START)] + [Value(6, Role.SCALE, motion_of(2))] * 3
    notes = [decoder.step(value, CHORDS) for value in line]
    assert [(n.onset, n.duration) for n in notes] == [(0, 3), (6, 3), (12, 3), (18, 3)]
    assert decoder.tick == 24


@pytest.mark.parametrize("gates", [(0.5,) * (QUANTILES - 1), (0.0,) * QUANTILES,
                                   (1.0,) + (0.5,) * (QUANTILES - 1)])
def test_bad_gates_are_refused(gates):
    with pytest.raises(ValueError, match="rising shares"):
        Articulation({6: gates})


def test_a_gate_for_a_duration_off_the_grid_is_refused():
    with pytest.raises(ValueError, match="not on the value grid"):
        Articulation({11: (0.5,) * QUANTILES})


def test_saved_and_loaded_alike(tmp_path):
    articulation = Articulation({6: tuple(np.linspace(0.25, 1.0, QUANTILES).round(4))})
    articulation.save(tmp_path)
    assert Articulation.load(tmp_path) == articulation
    assert Articulation.load(tmp_path / "nowhere") == LEGATO


def test_too_few_notes_anywhere_play_legato():
    assert fit_articulation({6: [0.5] * (MIN_NOTES - 1)}) == LEGATO
