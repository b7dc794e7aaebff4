"""``live-jazz play --headless``: runs, records, stops cleanly on every path, and turns bad input
into one clear line with exit code 2."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mido
import pytest

from live_jazz.cli.main import main
from live_jazz.cli.options import PlayOptions, options_from_args
from live_jazz.cli.wiring import build_engine, sessions_folder
from live_jazz.engine.config import EngineConfig
from live_jazz.theory import preset

WAIT_SECONDS = 30.0
"""Liveness bound for a child process to start playing (a loaded machine is slow to import)."""


def headless(*extra: str, weights: Path) -> list[str]:
    return ["play", "--headless", "--midi-api", "test", "--weights", str(weights), *extra]


def notes_in(path: Path) -> dict[str, int]:
    midi = mido.MidiFile(path)
    return {track.name: sum(1 for m in track if m.type == "note_on" and m.velocity)
            for track in midi.tracks}


def test_headless_plays_for_the_duration_and_records(random_weights_dir, tmp_path, capsys):
    record = tmp_path / "take.mid"
    code = main(headless("--duration", "1.5", "--tempo", "300", "--seed", "1", "--record",
                         str(record), weights=random_weights_dir))
    assert code == 0
    out = capsys.readouterr()
    assert f"recording saved to {record}" in out.out
    counts = notes_in(record)
    assert counts["improviser"] > 0 and counts["chords"] > 0


def test_headless_logs_what_it_plays(random_weights_dir, tmp_path, caplog):
    caplog.set_level("INFO", logger="live_jazz.play")
    main(headless("--duration", "1", "--tempo", "300", "--no-record", "--preset",
                  "rhythm-changes", weights=random_weights_dir))
    text = caplog.text
    first = preset("rhythm-changes").bars[0][0].symbol
    assert "improviser" in text and f"bar 1: {first} (next" in text
    assert "recording -" in text and "stopped" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tempo", "1000"], "tempo must be 20-400 BPM, got 1000"),
        (["--swing", "0.9"], "swing must be 0.5-0.75, got 0.9"),
        (["--temperature", "-1"], "temperature must be 0-5, got -1"),
        (["--preset", "nope"], "unknown preset 'nope'"),
        (["--chords", "| Dm7 | Xq7 |"], "bar 2:"),
        (["--weights", "/nonexistent/weights"], "/nonexistent/weights"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message, random_weights_dir, tmp_path, capsys):
    argv = headless("--duration", "1", "--no-record", weights=random_weights_dir) + args
    if "--weights" in args:
        argv = ["play", "--headless", "--midi-api", "test", "--duration", "1", "--no-record",
                *args]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("live-jazz: error: ")
    assert message in err[0]


def test_options_keep_the_base_settings_not_given(tmp_path):
    import argparse

    from live_jazz.cli.options import add_engine_options

    parser = argparse.ArgumentParser()
    add_engine_options(parser)
    base = EngineConfig(tempo=90.0, swing=0.7, mode="trade")
    options = options_from_args(parser.parse_args(["--temperature", "0.5", "--comp-channel",
                                                   "10"]), base=base)
    assert options.config.tempo == 90.0 and options.config.swing == 0.7
    assert options.config.mode == "trade"
    assert options.config.temperature == 0.5 and options.config.comp_channel == 9
    assert options.midi_api == "auto" and options.out_port is None


def test_sessions_folder_from_the_environment(tmp_path):
    assert sessions_folder({"LIVE_JAZZ_SESSIONS": str(tmp_path)}) == tmp_path
    assert sessions_folder({"XDG_DATA_HOME": "/x"}) == Path("/x/live-jazz/sessions")
    assert sessions_folder({"HOME": "/h"}) == Path("/h/.local/share/live-jazz/sessions")


def test_build_engine_records_into_the_sessions_folder(random_weights_dir, tmp_path,
                                                       monkeypatch):
    monkeypatch.setenv("LIVE_JAZZ_SESSIONS", str(tmp_path / "sessions"))
    engine = build_engine(PlayOptions(weights=random_weights_dir, midi_api="test"))
    path = engine.close()
    assert path is not None and path.parent == tmp_path / "sessions"
    assert path.name.startswith("session-") and path.suffix == ".mid"
    mido.MidiFile(path)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_still_leaves_a_valid_recording(signum, random_weights_dir, tmp_path):
    record = tmp_path / "signalled.mid"
    # Faulthandler: should it ever hang, SIGABRT makes it print every thread's stack.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
    child = subprocess.Popen(
        [sys.executable, "-m", "live_jazz.cli.main", *headless(
            "--tempo", "400", "--record", str(record), weights=random_weights_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        assert child.stderr is not None
        for line in child.stderr:  # wait until it plays
            if "improviser" in line or time.monotonic() > deadline:
                break
        child.send_signal(signum)
        try:
            out, _ = child.communicate(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGABRT)
            _, err = child.communicate(timeout=WAIT_SECONDS)
            pytest.fail(f"no exit {WAIT_SECONDS} s after {signum.name}; its threads:\n"
                        f"{err[-6000:]}")
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signum
    assert f"recording saved to {record}" in out
    counts = notes_in(record)
    assert counts["improviser"] > 0


@pytest.mark.jack
@pytest.mark.usefixtures("jack_server")
def test_an_unknown_port_is_one_line_listing_the_ports(random_weights_dir, capsys):
    code = main(["play", "--headless", "--midi-api", "jack", "--out-port", "no-such-synth",
                 "--weights", str(random_weights_dir), "--no-record", "--duration", "1"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no MIDI output port 'no-such-synth' (available:" in err[0]


@pytest.mark.skipif(Path("/dev/snd/seq").exists(), reason="an ALSA sequencer is here")
def test_no_midi_backend_says_what_to_do(random_weights_dir, capsys):
    code = main(["play", "--headless", "--midi-api", "alsa", "--no-record", "--duration", "1",
                 "--weights", str(random_weights_dir)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no ALSA sequencer" in err[0] and "--midi-api jack" in err[0]
