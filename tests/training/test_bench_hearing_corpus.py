"""``bench hearing``'s corpus side: the WJazzD note tables it reads, and its options."""

from __future__ import annotations

import pytest

from live_jazz.cli.main import main
from training.bench_hearing import read_notes


def test_a_melody_table_gives_onsets_durations_and_whole_pitches(tmp_path):
    table = tmp_path / "Someone_Tune_Solo.csv"
    table.write_text("bar,beat,duration,onset,pitch\n1,1,0.25,2.5,63.0\n1,2,0.1,2.9,\n"
                     "1,3,0.5,3.1,70.0\n", encoding="utf-8")
    notes = read_notes(table)
    assert [(n.onset, n.duration, n.pitch) for n in notes] == [(2.5, 0.25, 63), (3.1, 0.5, 70)]


def test_an_unknown_method_is_one_line_and_exit_2(tmp_path, capsys):
    assert main(["bench", "hearing", "--corpus", str(tmp_path), "--methods", "aubio"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unknown method aubio" in err


def test_a_corpus_without_the_split_solos_is_one_line(tmp_path, capsys):
    assert main(["bench", "hearing", "--corpus", str(tmp_path)]) == 2
    assert "csv_melody" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--solos", "--seconds"])
def test_counts_must_be_positive(tmp_path, option):
    with pytest.raises(SystemExit):
        main(["bench", "hearing", "--corpus", str(tmp_path), option, "0"])
