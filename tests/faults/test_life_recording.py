"""Faults that used to lose the recording or report it saved when it was not (issue 13, item 2;
item 5's leftover temporary files; item 9's file mode): a note heard before the master's first
tick, a path that cannot take the file, a folder that vanishes mid-session."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import mido
import pytest
import rtmidi
from jack_clients import JackEar, close_client, closed, unique, wait_for
from life_run import Headless, notes

from live_jazz.cli.main import main
from live_jazz.engine.clock import FakeClock
from live_jazz.engine.commands import Play
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.engine import Engine
from live_jazz.engine.recorder import Recorder
from live_jazz.files import remove_leftover_temporaries
from live_jazz.midi_io import port_graph
from live_jazz.midi_io.ports import InputQueue, RecordingPort
from live_jazz.music.midifile import Track, write_midi

pytestmark = pytest.mark.faults

BPM = 120.0
TICK_SECONDS = 60.0 / BPM / 24
"""One MIDI clock pulse at ``BPM``."""


def headless_test_api(weights: Path, *extra: str) -> list[str]:
    return ["play", "--headless", "--midi-api", "test", "--weights", str(weights), *extra]


def test_a_note_before_the_masters_first_tick_is_clamped_not_fatal(random_weights, tmp_path):
    """Start, a note-on 2 ms later, the first clock tick 3 ms after that: the note was heard
    before the session's first tick (a negative position). It begins at 0 in the file, and the
    rewrites go on (they all failed: 'onsets must be >= 0')."""
    clock = FakeClock()
    path = tmp_path / "early.mid"
    recorder = Recorder(path, {"improviser": 0, "chords": 1})
    queue = InputQueue(clock.now)
    engine = Engine(EngineConfig(seed=3), random_weights, RecordingPort(clock=clock.now),
                    clock=clock, input_queue=queue, recorder=recorder, sync="external")
    start = 0.5
    queue.put(mido.Message("start"), start)
    queue.put(mido.Message("note_on", note=60, velocity=90), start + 0.002)
    queue.put(mido.Message("note_off", note=60), start + 0.4)
    for n in range(24 * 8):
        queue.put(mido.Message("clock"), start + 0.005 + n * TICK_SECONDS)
    engine.run_until(start + 0.005 + 24 * 8 * TICK_SECONDS)
    assert engine.playing
    assert recorder.error is None and recorder.write_errors == 0
    assert engine.close() == path
    assert engine.recording_error is None
    human = notes(path)["human"]
    assert human == [(0, 60)]


@pytest.mark.jack
@pytest.mark.usefixtures("jack_server")
def test_early_note_under_external_sync_through_jack(random_weights_dir, tmp_path):
    """The issue's run: ``play --headless --midi-api jack --sync external --record r.mid``; a
    master client sends Start, a note-on 2 ms later, clock ticks from 3 ms after that. Exit 0,
    'saved' true, the file valid with the note clamped to its start, nothing left sounding at
    the synth (an outside client: All Notes Off on every channel last)."""
    record = tmp_path / "r.mid"
    master_name, client = unique("life-master"), unique("life-lj")
    master = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, master_name)
    master.open_virtual_port("out")
    port_graph.changed()
    ear_name = unique("life-ear")
    ear = JackEar(ear_name)
    child = Headless("--midi-api", "jack", "--sync", "external", "--weights",
                     str(random_weights_dir), "--record", str(record), "--client-name", client,
                     "--in-port", f"{master_name}:out", "--out-port", f"{ear_name}:in",
                     "--duration", "6", "--seed", "1")
    try:
        assert child.wait_for_line("following the external MIDI clock"), child.text()
        master.send_message([0xFA])  # Start
        time.sleep(0.002)
        master.send_message([0x90, 60, 90])
        time.sleep(0.003)
        begun = time.perf_counter()
        played = [60]
        n = 0
        while child.child.poll() is None and n < 24 * 30:
            time.sleep(max(0.0, begun + n * TICK_SECONDS - time.perf_counter()))
            master.send_message([0xF8])
            if n == 12:
                master.send_message([0x80, 60, 0])
            if n in (48, 96, 144):  # three more notes, a beat long
                played.append(62 + n // 48)
                master.send_message([0x90, played[-1], 80])
            if n in (72, 120, 168):
                master.send_message([0x80, played[-1], 0])
            n += 1
        code = child.finish()
    finally:
        child.kill()
        close_client(master)
    out, err = child.text()
    try:
        assert wait_for(lambda: closed(ear.messages())), (ear.messages()[-20:], err[-1500:])
    finally:
        ear.close()
    assert code == 0, err[-3000:]
    assert "onsets must be" not in err and "cannot write" not in err
    assert f"recording saved to {record}" in out
    human = notes(record)["human"]
    assert [pitch for _, pitch in human] == played
    assert human[0][0] == 0  # heard before the first tick: clamped to the start
    assert notes(record)["improviser"]



@pytest.mark.parametrize("where", ["/proc/x.mid", "{tmp}", "{tmp}/file.txt/x.mid"])
def test_a_recording_that_cannot_be_written_is_refused_at_start(where, random_weights_dir,
                                                                 tmp_path, capsys):
    """``--record /proc/x.mid`` played on, logged an error every 2 s, said 'saved' and exited
    0 with no file. Now: one line, exit 2, before playing."""
    (tmp_path / "file.txt").write_text("not a folder")
    record = where.format(tmp=tmp_path)
    code = main(headless_test_api(random_weights_dir, "--duration", "5", "--record", record))
    out, err = capsys.readouterr()
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"live-jazz: error: cannot record to {record}")
    assert "saved" not in out


def _removed(folder: Path) -> bool:
    """Remove ``folder`` and what it holds; whether it is gone."""
    shutil.rmtree(folder, ignore_errors=True)
    return not folder.exists()


def test_a_recording_lost_at_the_end_is_reported_not_saved(random_weights_dir, tmp_path,
                                                           capsys):
    """The folder vanishes mid-session (a USB stick pulled): every write fails, the final one
    too. Never 'saved': one line saying it is lost and why, exit code 1."""
    folder = tmp_path / "stick"
    folder.mkdir()
    record = folder / "take.mid"
    # The writer thread may be putting a temporary file into it: try until it is gone.
    pulled = threading.Timer(0.5, wait_for, (lambda: _removed(folder),))
    pulled.start()
    try:
        code = main(headless_test_api(random_weights_dir, "--duration", "3", "--tempo", "300",
                                      "--record", str(record)))
    finally:
        pulled.join()
    out, err = capsys.readouterr()
    assert code == 1
    assert "saved" not in out
    assert f"live-jazz: error: recording lost: cannot write {record}" in err
    assert not record.exists()


def test_a_write_that_fails_midway_is_retried_and_the_end_is_saved(random_weights, tmp_path):
    """A write that fails mid-session is logged once (not every 2 s) and retried: when the
    folder is back, the final file holds everything and 'saved' is true."""
    clock = FakeClock()
    folder = tmp_path / "net"
    folder.mkdir()
    path = folder / "take.mid"
    recorder = Recorder(path, {"improviser": 0, "chords": 1})
    port = RecordingPort(clock=clock.now)
    engine = Engine(EngineConfig(seed=3, tempo=240.0), random_weights, port, clock=clock,
                    recorder=recorder)
    lines: list = []
    engine.subscribe(lines.append)
    engine.submit(Play())
    engine.run_until(3.0)
    # The writer thread may be putting a temporary file into it meanwhile: try until it goes.
    assert wait_for(lambda: _removed(folder))
    engine.run_until(6.0)
    assert wait_for(lambda: recorder.error is not None)  # the writer thread's turn
    assert "cannot write" in recorder.error
    engine.run_until(12.0)  # more rewrites fail
    errors = [e.text for e in lines if getattr(e, "level", None) == "error"]
    assert len(errors) == 1 and errors[0].startswith("recording: cannot write")
    folder.mkdir()
    engine.run_until(15.0)
    assert wait_for(lambda: recorder.error is None)
    assert engine.close() == path and engine.recording_error is None
    sent = sum(1 for _, m in port.sent if m.type == "note_on" and m.velocity and m.channel == 0)
    assert len(notes(path)["improviser"]) == sent


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_recordings_follow_the_umask(umask, random_weights, tmp_path):
    """Files were made 0600 (mkstemp, then rename), whatever the umask."""
    previous = os.umask(umask)
    try:
        path = tmp_path / "take.mid"
        Recorder(path, {}).close()
        written = tmp_path / "solo.mid"
        write_midi(written, [Track("solo", 0, [])])
    finally:
        os.umask(previous)
    for file in (path, written):
        assert stat.S_IMODE(file.stat().st_mode) == 0o666 & ~umask


def test_temporary_files_left_by_a_hard_kill_are_removed_at_the_next_start(tmp_path):
    """A ``kill -9`` mid-write leaves ``.NAME.mid.PID-XXXXXXXX.tmp``: the next recorder in
    that folder removes it (its process is gone) and keeps those of a process still running."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left = tmp_path / f".session-1.mid.{gone.pid}-0123abcd.tmp"
    running = tmp_path / f".other.mid.{os.getppid()}-0123abcd.tmp"
    unrelated = tmp_path / ".notes.tmp"
    for file in (left, running, unrelated):
        file.write_bytes(b"MThd")
    Recorder(tmp_path / "session-2.mid", {}).close()
    assert not left.exists()
    assert running.exists() and unrelated.exists()
    assert remove_leftover_temporaries(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [running.name, unrelated.name, "session-2.mid"])


def test_a_hard_kill_leaves_the_last_rewrite_valid(random_weights_dir, tmp_path):
    """``kill -9``: the file on disk is the last rewrite, valid, with what was played up to
    it; no temporary file left behind once the next session starts there."""
    record = tmp_path / "killed.mid"
    child = Headless("--midi-api", "test", "--weights", str(random_weights_dir), "--tempo",
                     "300", "--record", str(record), "--seed", "2")
    try:
        assert child.wait_for_line("improviser"), child.text()
        time.sleep(5.0)  # two rewrites at least
        child.child.kill()
        child.finish()
    finally:
        child.kill()
    assert notes(record)["improviser"]
    Recorder(tmp_path / "next.mid", {}).close()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
