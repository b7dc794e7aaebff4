import logging
from pathlib import Path

import pytest

from live_jazz.encoding import COUNT_IN, TICKS_PER_BEAT
from training.corpus import CorpusError, load_corpus
from training.wjazzd import load_solo


def test_loads_every_solo_with_notes_on_the_grid(tiny_corpus):
    solos = load_corpus(tiny_corpus)
    assert len(solos) == 6
    for solo in solos:
        assert solo.notes and all(n.duration >= 1 for n in solo.notes)
        assert solo.values()[0] == COUNT_IN
        # Notes are placed by (bar, beat, tatum): bar 1 beat 1 is tick 0 of the beat grid.
        assert solo.notes[0].onset % (TICKS_PER_BEAT // 12) == 0


def test_notes_join_chords_on_bar_and_beat_not_seconds(tmp_path):
    (tmp_path / "csv_melody").mkdir()
    (tmp_path / "csv_beats").mkdir()
    (tmp_path / "csv_beats" / "S.csv").write_text(
        "bar,bass_pitch,beat,chord,chorus_id,form,onset,signature\n"
        "1,40,1,C7,1,A1,10.0,4/4\n1,40,2,,1,,10.5,\n1,40,3,F7,1,,11.0,\n1,40,4,,1,,11.5,\n"
    )
    # The second note is played 0.1 s before beat 3 but belongs metrically to beat 3.
    (tmp_path / "csv_melody" / "S.csv").write_text(
        "bar,beat,beatdur,denom,division,duration,num,onset,period,pitch,subtatum,tatum\n"
        "1,1,0.5,4,2,0.25,4,10.0,4,64.0,0,2\n"
        "1,3,0.5,4,1,0.4,4,10.9,4,69.0,0,1\n"
    )
    solo = load_solo(tmp_path / "csv_melody" / "S.csv", tmp_path / "csv_beats" / "S.csv")
    assert [(n.onset, n.pitch) for n in solo.notes] == [(6, 64), (24, 69)]
    assert solo.notes[0].duration == 6
    assert solo.chords.chord_at(24).symbol == "F7"
    assert solo.chords.chord_at(6).symbol == "C7"


def test_unreadable_solo_is_skipped_with_one_warning(tiny_corpus, caplog):
    beats = tiny_corpus / "csv_beats" / "Player0_Tune_Solo.csv"
    beats.write_text(beats.read_text().replace("G7", "Qxx7", 1))
    with caplog.at_level(logging.WARNING):
        solos = load_corpus(tiny_corpus)
    assert len(solos) == 5
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Player0_Tune_Solo.csv" in warnings[0] and "Qxx7" in warnings[0]


def test_missing_beats_file_is_skipped(tiny_corpus, caplog):
    (tiny_corpus / "csv_beats" / "Player1_Tune_Solo.csv").unlink()
    assert len(load_corpus(tiny_corpus)) == 5


@pytest.mark.parametrize("layout", ["missing", "not-a-corpus", "empty"])
def test_unusable_corpus_is_a_clear_error(tmp_path, layout):
    path = tmp_path / "corpus"
    if layout != "missing":
        path.mkdir()
    if layout == "empty":
        (path / "csv_melody").mkdir()
        (path / "csv_beats").mkdir()
    with pytest.raises(CorpusError, match=str(path)):
        load_corpus(path)


@pytest.mark.corpus
def test_real_corpus_loads(shared_corpora: Path):
    solos = load_corpus(shared_corpora / "wjazzd")
    assert len(solos) >= 400
