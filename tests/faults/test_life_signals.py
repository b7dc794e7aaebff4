"""Every signal that ends a session, headless and in the TUI (issue 13, item 3): TERM, INT, HUP
and the terminal closed (a real SIGHUP from a pseudo-terminal). Each must quit as `q` does:
every note ended at the synth (an outside JACK client listens), the recording written with
what was played, the exit code 128 + the signal's number, no traceback."""

from __future__ import annotations

import signal
import time

import pytest
import rtmidi
from jack_clients import JackEar, close_client, closed, unique, wait_for
from life_run import Headless, Terminal, notes

from live_jazz.midi_io import port_graph

pytestmark = [pytest.mark.faults, pytest.mark.jack, pytest.mark.usefixtures("jack_server")]

SIGNALS = [signal.SIGTERM, signal.SIGINT, signal.SIGHUP]


class Rig:
    """An outside synth (``ear``) and keyboard (``hand``, a virtual output) on JACK."""

    def __init__(self) -> None:
        self.ear_name, self.hand_name = unique("life-ear"), unique("life-hand")
        self.ear = JackEar(self.ear_name)
        self.hand = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, self.hand_name)
        self.hand.open_virtual_port("out")
        port_graph.changed()

    def args(self, *, keyboard: bool = True) -> list[str]:
        ports = ["--midi-api", "jack", "--out-port", f"{self.ear_name}:in",
                 "--client-name", unique("life-lj")]
        return ports + (["--in-port", f"{self.hand_name}:out"] if keyboard else ["--no-input"])

    def play(self, pitches: list[int]) -> None:
        for pitch in pitches:
            self.hand.send_message([0x90, pitch, 90])
            time.sleep(0.15)
            self.hand.send_message([0x80, pitch, 0])
            time.sleep(0.05)

    def heard_notes(self) -> bool:
        return any(m.type == "note_on" for m in self.ear.messages())

    def assert_nothing_hangs(self) -> None:
        """Nothing sounds at the synth once it has quit: All Notes Off on every channel came
        last. (Each note-off matched to its note-on is checked in-process by the engine's
        tests; a loaded JACK dummy server drops an event now and then.)"""
        try:
            assert wait_for(lambda: closed(self.ear.messages())), self.ear.messages()[-20:]
        finally:
            self.close()

    def close(self) -> None:
        self.ear.close()
        close_client(self.hand)


@pytest.mark.parametrize("signum", SIGNALS, ids=lambda s: s.name)
def test_headless_quits_cleanly_on_every_signal(signum, random_weights_dir, tmp_path):
    """SIGHUP used to kill it outright: notes left hanging, no final write."""
    rig = Rig()
    record = tmp_path / "take.mid"
    child = Headless(*rig.args(), "--weights", str(random_weights_dir), "--tempo", "300",
                     "--record", str(record), "--seed", "1")
    try:
        assert child.wait_for_line("playing at"), child.text()
        assert wait_for(rig.heard_notes)
        rig.play([60, 64, 67])
        assert wait_for(lambda: sum("INFO: human" in line for line in child.err) == 3), \
            child.text()
        child.child.send_signal(signum)
        code = child.finish()
    finally:
        child.kill()
    rig.assert_nothing_hangs()
    out, err = child.text()
    assert code == 128 + signum, err[-3000:]
    assert "Traceback" not in err
    assert f"recording saved to {record}" in out
    recorded = notes(record)
    assert [pitch for _, pitch in recorded["human"]] == [60, 64, 67]
    assert recorded["improviser"]


def test_headless_whose_terminal_is_closed_quits_cleanly(random_weights_dir, tmp_path):
    """Run from a terminal that is then closed: SIGHUP, then a terminal that takes no more
    writes (the goodbye line must not turn into a traceback and exit code 1)."""
    rig = Rig()
    record = tmp_path / "take.mid"
    terminal = Terminal("play", "--headless", *rig.args(keyboard=False), "--weights",
                        str(random_weights_dir), "--tempo", "300", "--record", str(record))
    try:
        assert terminal.until(lambda: b"playing at" in terminal.screen), terminal.screen[-2000:]
        assert wait_for(rig.heard_notes)
        terminal.hang_up()
        code = terminal.finish()
    finally:
        terminal.close()
    rig.assert_nothing_hangs()
    assert code == 128 + signal.SIGHUP
    assert notes(record)["improviser"]


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "SIGHUP", "terminal closed"])
def test_the_tui_quits_cleanly_on_every_signal(how, random_weights_dir, tmp_path):
    """The TUI whose terminal was closed exited 1 (the README says 129): its goodbye line to
    the closed terminal raised. ``kill -INT`` exited 0."""
    rig = Rig()
    record = tmp_path / "take.mid"
    terminal = Terminal("tui", *rig.args(keyboard=False), "--weights", str(random_weights_dir),
                        "--tempo", "300", "--record", str(record), "--seed", "3")
    try:
        assert terminal.until(lambda: b"stopped" in terminal.screen), terminal.screen[-2000:]
        terminal.press(b" ")  # play
        assert wait_for(lambda: (terminal.read(), rig.heard_notes())[1])
        terminal.read(0.5)
        if how == "terminal closed":
            terminal.hang_up()
            expected = 128 + signal.SIGHUP
        else:
            signum = signal.Signals[how]
            terminal.child.send_signal(signum)
            expected = 128 + signum
        code = terminal.finish()
    finally:
        terminal.close()
    rig.assert_nothing_hangs()
    assert code == expected, terminal.screen[-3000:]
    assert b"Traceback" not in terminal.screen
    if how != "terminal closed":
        assert f"recording saved to {record}".encode() in terminal.screen
    assert notes(record)["improviser"]
