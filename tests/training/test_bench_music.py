"""``live-jazz bench music`` from the command line: the corpus side (splits, meter, tunes) and
the whole run on a tiny WJazzD-style corpus; on the real corpus (marker ``corpus``), real
phrases against real phrases are chance for the two-sample test."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from live_jazz.cli.main import main
from live_jazz.encoding import Note
from live_jazz.theory import ChordTimeline, parse_chord
from training.bench_music import (
    metered_midi,
    metered_wjazzd,
    shifted,
    split_names,
    tune_names,
    tune_of,
    wjazzd_meter,
)
from training.corpus import Solo, load_corpus

pytest.importorskip("sklearn")

NAMES = [f"Player{i}_Tune{i % 5}-{i // 5 + 1}_Solo" for i in range(10)]


@pytest.fixture
def bench_corpus(tmp_path: Path, solo_writer) -> Path:
    root = tmp_path / "wjazzd"
    rng = np.random.default_rng(3)
    for name in NAMES:
        solo_writer(root, name, rng, bars=12)
    return root


@pytest.fixture
def split_weights(weights_with_split) -> Path:
    """The random test weights with a train/validation split of ``NAMES``."""
    return weights_with_split(NAMES[:6], NAMES[6:])


def test_tune_of_a_wjazzd_name():
    assert tune_of("ArtPepper_Stardust-1_Solo") == "Stardust"
    assert tune_of("JohnColtrane_Impressions_1963_Solo") == "Impressions"
    assert tune_of("Player0_Tune0-2_Solo") == "Tune0"


def test_tune_split_is_a_fixed_tenth_of_the_training_solos_kept_out_of_the_baseline(
        split_weights: Path):
    train = [f"solo{i}" for i in range(50)]
    picked = tune_names(train)
    assert len(picked) == 5 and picked <= set(train)
    assert tune_names(list(reversed(train))) == picked
    measured, fitted = split_names(split_weights, "tune")
    assert measured and measured <= set(NAMES[:6]) and not measured & fitted
    assert split_names(split_weights, "validation") == (set(NAMES[6:]), set(NAMES[:6]))


def write_beats(path: Path, bars_beats: list[tuple[int, int]], chords: dict[int, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["bar", "bass_pitch", "beat", "chord", "chorus_id", "form", "onset",
                         "signature"])
        for index, (bar, beat) in enumerate(bars_beats):
            writer.writerow([bar, 40, beat, chords.get(index, ""), 1, "", index * 0.4, ""])


def test_meter_starts_at_the_first_bar_line_after_a_pickup(tmp_path: Path):
    beats = [(0, 3), (0, 4)] + [(bar, beat) for bar in (1, 2, 3) for beat in (1, 2, 3, 4)]
    write_beats(tmp_path / "solo.csv", beats, {0: "C7"})
    first, beats_per_bar, n_bars, tempo = wjazzd_meter(tmp_path / "solo.csv")
    assert (first, beats_per_bar, n_bars) == (2, 4, 3)
    assert tempo == pytest.approx(150.0)


def test_a_meter_change_or_one_beat_bars_are_left_out(tmp_path: Path):
    changing = [(1, b) for b in (1, 2, 3, 4)] + [(2, b) for b in (1, 2, 3)] + [(3, 1), (3, 2)]
    write_beats(tmp_path / "change.csv", changing, {0: "C7"})
    assert wjazzd_meter(tmp_path / "change.csv") is None
    write_beats(tmp_path / "free.csv", [(bar, 1) for bar in range(1, 9)], {0: "C7"})
    assert wjazzd_meter(tmp_path / "free.csv") is None


def test_shifted_timeline_reads_later_chords_at_zero():
    c7, f7, g7 = parse_chord("C7"), parse_chord("F7"), parse_chord("G7")
    timeline = ChordTimeline(((0, c7), (24, f7), (48, g7)))
    later = shifted(timeline, 36)
    assert later.changes == ((0, f7), (12, g7))
    assert shifted(timeline, 24).changes == ((0, f7), (24, g7))


def test_metered_solo_sits_on_its_bar_lines(bench_corpus: Path):
    solo = load_corpus(bench_corpus)[0]
    metered = metered_wjazzd(solo, bench_corpus)
    assert metered is not None and metered.beats_per_bar == 4 and metered.n_bars == 12
    assert metered.notes == solo.notes  # the writer's bar 1 is its first beat
    assert metered.tempo == pytest.approx(120.0)


def test_a_midi_solo_is_measured_over_its_own_bars():
    c7, f7 = parse_chord("C7"), parse_chord("F7")
    chords = ChordTimeline(((0, c7), (96, f7)))
    solo = Solo("song#2", (Note(100, 6, 60), Note(150, 6, 62)), chords)
    metered = metered_midi(solo)
    assert metered.tune == "song" and metered.n_bars == 2  # bars 3 and 4 of the file
    assert [n.onset for n in metered.notes] == [4, 54]
    assert metered.chords.chord_at(0) == f7


def test_bench_music_json_has_every_column(bench_corpus: Path, split_weights: Path, capsys):
    argv = ["bench", "music", "--json", "--corpus", str(bench_corpus), "--weights",
            str(split_weights)]
    assert main(argv) == 0
    figures = json.loads(capsys.readouterr().out)
    # Four solos by four players: two pairs for the real-vs-other-real floor.
    assert set(figures["columns"]) == {"real", "model", "markov", "other_real"}
    assert figures["columns"]["other_real"]["pairs"] == 2
    assert figures["phrase_temperature"] == [1.05, 0.9]
    assert figures["solos"] == 4 and figures["split"] == "validation"
    assert any("seed-exact" in note for note in figures["notes"])
    for key in ("two_sample_accuracy", "overlap_position", "overlap_interval", "h1", "h4",
                "gs", "chord_tones_on_beat", "solo_range"):
        assert figures["columns"]["model"][key] is not None, key

    assert main([*argv, "--seed-weights", str(split_weights), "--split", "tune"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures["columns"]) == {"real", "model", "seed_exact", "markov"}  # no pair
    assert figures["split"] == "tune" and figures["solos"] == 1


def test_bench_music_prints_a_table(bench_corpus: Path, split_weights: Path, capsys):
    assert main(["bench", "music", "--corpus", str(bench_corpus), "--weights",
                 str(split_weights)]) == 0
    out = capsys.readouterr().out
    assert "two-sample accuracy" in out and "grooving similarity GS" in out


@pytest.mark.parametrize("problem", ["no split", "no corpus", "bad top-p",
                                     "bad phrase temperature"])
def test_bad_input_exits_2_with_one_line(problem, bench_corpus: Path, split_weights: Path,
                                         random_weights_dir: Path, tmp_path: Path, capsys):
    weights, corpus, extra = split_weights, bench_corpus, []
    if problem == "no split":
        weights = random_weights_dir
    elif problem == "no corpus":
        corpus = tmp_path / "nowhere"
    elif problem == "bad top-p":
        extra = ["--top-p", "0"]
    else:
        extra = ["--phrase-temperature", "1", "0"]
    assert main(["bench", "music", "--corpus", str(corpus), "--weights", str(weights),
                 *extra]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("live-jazz: error: ")


@pytest.mark.corpus
def test_real_phrases_against_real_phrases_are_chance(shared_corpora: Path):
    from live_jazz.bench.two_sample import phrase_table, two_sample_accuracy
    from live_jazz.model.bundle import default_weights_dir

    corpus = shared_corpora / "wjazzd"
    tune, rest = split_names(default_weights_dir(), "tune")
    solos = {s.name: s for s in load_corpus(corpus)}
    one = [metered_wjazzd(solos[n], corpus) for n in sorted(tune)]
    other = [metered_wjazzd(solos[n], corpus) for n in sorted(rest)[::8][:len(one)]]
    one_side = [m for m in one if m is not None]
    other_side = [m for m in other if m is not None]
    accuracy = two_sample_accuracy(phrase_table(one_side), phrase_table(other_side))
    assert accuracy is not None and 0.35 <= accuracy <= 0.65
