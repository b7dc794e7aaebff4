"""``bench music`` on synthetic solos: the two-sample test sees what differs and only that, the
figures of every column are there, the model plays over each solo's own changes."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from live_jazz.bench.floor import floor_pairs, real_floor
from live_jazz.bench.markov import IntervalMarkov
from live_jazz.bench.melody import MeteredSolo
from live_jazz.bench.music import (
    ROWS,
    TARGETS,
    Contender,
    describe_music,
    markov_player,
    measure_music,
    model_player,
    progression_of,
)
from live_jazz.bench.two_sample import N_FEATURES, phrase_table, two_sample_accuracy
from live_jazz.encoding import Note
from live_jazz.theory import ChordTimeline, parse_chord

pytest.importorskip("sklearn")

CHANGES = [parse_chord(s) for s in ("Dm7", "G7", "Cmaj7", "A7", "Fmaj7", "Bb7", "Em7", "E7")]


def changes(rng: np.random.Generator, n_bars: int) -> ChordTimeline:
    """A chord every two beats, drawn from ``CHANGES`` (repeats merged)."""
    found: list[tuple[int, object]] = []
    for half_bar in range(2 * n_bars):
        chord = CHANGES[int(rng.integers(len(CHANGES)))]
        if not found or found[-1][1] != chord:
            found.append((half_bar * 24, chord))
    return ChordTimeline(tuple(found))  # type: ignore[arg-type]


def bebop(rng: np.random.Generator, tune: str, n_bars: int = 16,
          chords: ChordTimeline | None = None) -> MeteredSolo:
    """A style: eighths and quarters on the beat grid, chord tones on the beats, steps between,
    a rest now and then (over ``chords``, or new changes)."""
    chords = chords or changes(rng, n_bars)
    notes, pitch, tick = [], 67, 0
    while tick < n_bars * 48:
        length = int(rng.choice([6, 6, 6, 12]))
        if rng.random() > 0.1:
            chord = chords.chord_at(tick)
            if tick % 12 == 0:
                tones = [chord.root + t for t in chord.tones]  # type: ignore[operator]
                pitch = min((p + 12 * k for p in tones for k in range(4, 7)),
                            key=lambda p: abs(p - pitch))
            else:
                pitch += int(rng.choice([-2, -1, 1, 2]))
            notes.append(Note(tick, length, int(np.clip(pitch, 55, 84))))
        tick += length
    return MeteredSolo(tune, tune, tuple(notes), chords, 4, n_bars, 160.0)


def random_walk(solo: MeteredSolo, rng: np.random.Generator) -> tuple[Note, ...]:
    """Onsets anywhere on the grid, leaps of any size."""
    notes, pitch, tick = [], 67, 0
    while tick < solo.n_bars * solo.bar_ticks:
        notes.append(Note(tick, 3, pitch))
        pitch = int(np.clip(pitch + rng.integers(-9, 10), 48, 88))
        tick += int(rng.integers(1, 13))
    return tuple(notes)


@pytest.fixture(scope="module")
def corpus() -> list[MeteredSolo]:
    rng = np.random.default_rng(1)
    return [bebop(rng, f"tune{i}") for i in range(24)]


def test_two_sample_accuracy_is_chance_for_the_same_style_and_high_for_a_random_walk(corpus):
    rng = np.random.default_rng(2)
    again = [bebop(rng, solo.tune, chords=solo.chords) for solo in corpus]
    real = phrase_table(corpus)
    assert real[0].shape == (len(real[1]), N_FEATURES)
    same = two_sample_accuracy(real, phrase_table(again))
    assert same is not None and 0.35 <= same <= 0.65
    walked = [solo.with_notes(random_walk(solo, rng)) for solo in corpus]
    different = two_sample_accuracy(real, phrase_table(walked))
    assert different is not None and different >= 0.9


def test_two_sample_accuracy_needs_two_groups(corpus):
    one_tune = [MeteredSolo(f"take{i}", "tune", s.notes, s.chords, 4, s.n_bars, s.tempo)
                for i, s in enumerate(corpus[:3])]
    assert two_sample_accuracy(phrase_table(one_tune), phrase_table(one_tune)) is None
    by_solo = phrase_table(one_tune, by_solo=True)
    assert set(by_solo[1]) == {"take0", "take1", "take2"}
    assert two_sample_accuracy(by_solo, by_solo) is not None


def test_markov_baseline_fits_the_training_intervals_and_fills_the_solo(corpus):
    chain = IntervalMarkov.fit(corpus)
    assert chain.transitions.shape == (25, 25)
    assert np.allclose(chain.transitions.sum(axis=1), 1.0)
    # Steps follow steps in this style far more than octave leaps do.
    assert chain.transitions[12 + 1, 12 + 2] > 5 * chain.transitions[12 + 1, 12 + 12]
    notes = chain.play(corpus[0], np.random.default_rng(0))
    low, high = chain.register
    assert all(low <= n.pitch <= high for n in notes)
    end = corpus[0].n_bars * corpus[0].bar_ticks
    assert notes[0].onset == 0 and all(n.onset < end for n in notes)
    assert all(n.onset + n.duration <= end for n in notes)


def test_progression_of_a_solo_keeps_its_chords_beat_by_beat(corpus):
    solo = corpus[0]
    progression = progression_of(solo)
    timeline = progression.timeline(12)
    assert progression.n_bars == solo.n_bars and progression.beats_per_bar == 4
    for tick in range(0, solo.n_bars * solo.bar_ticks, 12):
        assert timeline.chord_at(tick) == solo.chords.chord_at(tick)


def test_measure_music_has_every_figure_for_every_column(corpus, random_weights):
    solos = corpus[:8]
    contenders = [Contender("model", "weights", model_player(random_weights, 1.0, 1.0), "w"),
                  Contender("markov", "markov", markov_player(corpus[8:]), "m")]
    figures = measure_music(solos, contenders, seed=3)
    json.dumps(figures)  # JSON-ready
    assert set(figures["columns"]) == {"real", "model", "markov"}
    assert figures["solos"] == 8 and figures["bars"] == 8 * 16
    for key in ("model", "markov"):
        column = figures["columns"][key]
        for name, _, _ in ROWS:
            assert name in column, (key, name)
        for name in TARGETS:
            assert column[name] is not None, (key, name)
        assert 0.0 <= column["two_sample_accuracy"] <= 1.0
    assert "overlap_position" not in figures["columns"]["real"]
    text = describe_music(figures, "heading")
    assert "two-sample accuracy" in text and "markov" in text


def test_more_samples_play_each_solo_more_times_and_stay_at_chance_for_the_same_style(corpus):
    def same_style(solo: MeteredSolo, rng: np.random.Generator) -> tuple[Note, ...]:
        return bebop(rng, solo.tune, chords=solo.chords).notes

    figures = measure_music(corpus, [Contender("style", "style", same_style, "s")], samples=3)
    column = figures["columns"]["style"]
    assert figures["samples"] == 3 and column["solos"] == 3 * len(corpus)
    assert 0.35 <= column["two_sample_accuracy"] <= 0.65  # three times the phrases: still chance


def test_the_same_seed_gives_the_same_figures(corpus, random_weights):
    contenders = [Contender("model", "weights", model_player(random_weights, 1.0, 1.0), "w")]
    first = measure_music(corpus[:4], contenders, seed=5)["columns"]
    again = measure_music(corpus[:4], contenders, seed=5)["columns"]
    assert first == again


def test_generated_solos_stay_inside_each_solos_length(corpus, random_weights):
    play = model_player(random_weights, 1.0, 1.0)
    for solo in corpus[:3]:
        notes = play(solo, np.random.default_rng(0))
        assert notes and all(0 <= n.onset < solo.n_bars * solo.bar_ticks for n in notes)


def _played_by(solo: MeteredSolo, player: str, tempo: float) -> MeteredSolo:
    return replace(solo, player=player, tempo=tempo)


def test_the_floor_pairs_each_solo_with_another_players_at_the_nearest_tempo(corpus):
    a, b, c, d, e = (_played_by(s, p, t) for s, p, t in zip(
        corpus, "xxyyz", (100.0, 104.0, 150.0, 101.0, 300.0), strict=False))
    pairs = floor_pairs([a, b, c, d, e])
    # From the slowest: a (x, 100) takes d (y, 101), not b (x); b (x, 104) takes c (y, 150);
    # e (z) is left with no one.
    assert [(p.name, q.name) for p, q in pairs] == [(a.name, d.name), (b.name, c.name)]
    assert all(p.player != q.player for p, q in pairs)
    assert floor_pairs([a, b]) == [] and real_floor([a, d]) is None


def test_measure_music_reports_the_floor_when_players_are_known(corpus, random_weights):
    solos = [_played_by(s, f"player{i % 4}", 120.0 + i) for i, s in enumerate(corpus)]
    contenders = [Contender("model", "weights", model_player(random_weights, 1.0, 1.0), "w")]
    figures = measure_music(solos, contenders, seed=3)
    floor = figures["columns"]["other_real"]
    assert floor["pairs"] == len(solos) // 2
    # The same style on both sides: overlaps near 1, the classifier near chance.
    assert min(floor[f"overlap_{n}"] for n in ("position", "interval", "ioi")) > 0.8
    assert 0.3 <= floor["two_sample_accuracy"] <= 0.7
    assert "other real" in describe_music(figures, "heading")
