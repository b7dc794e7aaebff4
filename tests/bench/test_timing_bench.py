"""``live-jazz bench timing`` runs through a real JACK port and prints its figures (a short run:
figures are read, never asserted against targets -- a shared machine's timing is not a test)."""

from __future__ import annotations

import json

import pytest

from live_jazz.bench.timing import _hanging
from live_jazz.cli.main import main

pytestmark = [pytest.mark.jack, pytest.mark.usefixtures("jack_server")]


def test_bench_timing_json_has_the_figures(random_weights_dir, capsys):
    code = main(["bench", "timing", "--json", "--duration", "2", "--tempo", "300",
                 "--weights", str(random_weights_dir), "--no-busy"])
    assert code == 0
    figures = json.loads(capsys.readouterr().out)
    for key in ("p50_ms", "p99_ms", "max_ms", "drift_ms", "late_events", "dropped_events",
                "prime_sample_p50_ms", "prime_sample_max_ms", "answers", "hanging_notes"):
        assert key in figures
    assert figures["messages"] > 24 * 8  # two seconds of clock pulses at least
    assert figures["received"] > 0
    assert figures["p50_ms"] <= figures["p99_ms"] <= figures["max_ms"]


def test_bench_timing_rejects_a_bad_duration(random_weights_dir, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", "timing", "--duration", "0", "--weights", str(random_weights_dir)])
    assert exit_info.value.code == 2
    assert "argument --duration: must be above 0: 0" in capsys.readouterr().err


def test_a_note_sounding_past_the_end_of_its_turn_hangs():
    turn = 4.0  # seconds a turn
    ended_in_time = [(4.2, 6.0), (7.5, 8.0), (6.0, 8.02)]  # 30 ms of slack after the end
    assert _hanging(ended_in_time, turn, stopped=20.0) == 0
    assert _hanging([(4.2, 8.1)], turn, stopped=20.0) == 1  # ended in the next turn
    assert _hanging([(4.2, None)], turn, stopped=20.0) == 1  # never ended, the turn is over
    assert _hanging([(19.0, None)], turn, stopped=19.5) == 0  # the run stopped in its turn
    assert _hanging([(3.9998, 4.2)], turn, stopped=20.0) == 0  # a hair before its turn began
