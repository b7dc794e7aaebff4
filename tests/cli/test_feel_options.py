"""--feel, --swing auto and --intensity: generate writes the played notes; the options parse."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import mido
import pytest

from live_jazz.cli.main import main
from live_jazz.cli.options import add_engine_options, options_from_args
from live_jazz.music.midifile import PPQ
from tests.music.feel_models import fixed_feel


@pytest.fixture
def feel_weights(random_weights_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "weights"
    shutil.copytree(random_weights_dir, folder)
    fixed_feel(-30.0, swing=0.62, spread_ms=10.0).save(folder)
    return folder


def solo_onsets(path: Path) -> list[tuple[float, int]]:
    """(beat, velocity) of the improviser track's note-ons."""
    now, out = 0, []
    for message in mido.MidiFile(path).tracks[1]:
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            out.append((now / PPQ, message.velocity))
    return out


def generate(weights: Path, out: Path, *extra: str) -> int:
    return main(["generate", "--weights", str(weights), "--out", str(out), "--quiet",
                 "--preset", "blues-f", "--seed", "4", "--tempo", "120", *extra])


def test_generate_writes_the_notes_where_the_players_feel_puts_them(feel_weights, tmp_path):
    assert generate(feel_weights, tmp_path / "grid.mid", "--feel", "grid", "--swing",
                    "0.5") == 0
    assert generate(feel_weights, tmp_path / "players.mid") == 0
    grid, played = solo_onsets(tmp_path / "grid.mid"), solo_onsets(tmp_path / "players.mid")
    assert len(grid) == len(played) >= 10
    assert all((beat * 12) == round(beat * 12) for beat, _ in grid)
    assert {v for _, v in grid} == {90}
    assert len({v for _, v in played}) > 5
    assert 20 <= min(v for _, v in played) and max(v for _, v in played) <= 120
    # played notes sit around 30 ms (0.06 beat) before their swung grid places
    offsets = [p - g for (g, _), (p, _) in zip(grid, played, strict=True) if g % 1 == 0 and g]
    assert sum(offsets) / len(offsets) == pytest.approx(-0.06, abs=0.02)


def test_engine_options_take_auto_a_ratio_feel_and_intensity():
    parser = argparse.ArgumentParser()
    add_engine_options(parser)
    config = options_from_args(parser.parse_args([])).config
    assert config.swing_auto and config.feel == "players" and config.intensity == 1.0
    config = options_from_args(parser.parse_args(["--swing", "0.58", "--feel", "grid",
                                                  "--intensity", "1.5"])).config
    assert (config.swing, config.swing_auto, config.feel, config.intensity) == (
        0.58, False, "grid", 1.5)
    assert options_from_args(parser.parse_args(["--swing", "auto"])).config.swing_auto


@pytest.mark.parametrize(("args", "message"), [
    (["--swing", "fast"], "argument --swing: not auto or a ratio"),
    (["--intensity", "3"], "intensity must be 0-2"),
])
def test_bad_feel_options_are_one_line(random_weights_dir, tmp_path, capsys, args, message):
    try:
        code = main(["generate", "--weights", str(random_weights_dir), "--preset", "blues-f",
                     "--out", str(tmp_path / "x.mid"), *args])
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code
    assert code == 2 and message in capsys.readouterr().err
