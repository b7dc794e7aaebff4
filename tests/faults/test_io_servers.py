"""live-jazz against JACK servers of other settings, started here under names of their own
(the shared server is never touched): without real-time, its timing thread must not starve the
server; with real-time, its clients must not make the server miss deadlines. Every client on
those servers is a child process (``jack_child``: libjack keeps one server per process)."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import mido
import pytest
from faults_run import Headless
from jack_child import spawn
from jack_clients import WAIT_SECONDS, private_jack_server, unique, wait_for, xruns_by_client

from live_jazz.midi_io.jack_server import JackServer, timing_priority

pytestmark = [pytest.mark.faults,
              pytest.mark.skipif(shutil.which("jackd") is None, reason="jackd not installed")]


@pytest.mark.parametrize(("server", "priority"), [
    (None, 20),  # no JACK server: as before
    (JackServer(realtime=True, client_priority=5), 4),  # jackd's default -P 10
    (JackServer(realtime=True, client_priority=75), 20),  # a server at -P 80: 20 is below
    (JackServer(realtime=True, client_priority=1), None),  # no room below
    (JackServer(realtime=False, client_priority=0), None),  # it would be starved
])
def test_the_timing_thread_stays_below_the_jack_server(server, priority):
    assert timing_priority(20, server).priority == priority


def _env(name: str) -> dict[str, str]:
    return {**os.environ, "JACK_DEFAULT_SERVER": name, "JACK_NO_START_SERVER": "1"}


def test_against_a_server_without_realtime_it_takes_none_and_follows_a_clock_flood(
        random_weights_dir):
    """``jackd --no-realtime``: the log says the timing thread took no real-time priority;
    following a clock ten times too fast (with notes) it neither crashes nor hangs."""
    name = unique(f"ljio-nort{os.getpid()}")
    with private_jack_server(name, realtime=False):
        client = unique("lj")
        player = Headless(random_weights_dir, "--client-name", client, "--no-record",
                          "--sync", "external", "--send-clock", "--quiet", env=_env(name))
        master = spawn(_env(name), "master", f"{client} in:{client} in", "1200", "3")
        try:
            assert master.wait(timeout=WAIT_SECONDS + 3) == 0
            assert player.process.poll() is None, player.lines[-5:]
        finally:
            if master.poll() is None:
                master.kill()
        assert player.stop() == 128 + signal.SIGTERM, player.lines[-5:]
    log = "\n".join(player.lines)
    assert "timing thread: normal priority (the JACK server runs without real-time" in log, log
    assert "playing at" in log, log


def test_its_clients_make_a_realtime_server_miss_no_more_deadlines_than_a_bystander(
        random_weights_dir):
    """A real-time server (256 frames): live-jazz plays for seconds beside a passive client.
    jackd charges each xrun to the clients that had not finished their cycle; live-jazz's
    clients must not be charged more than the bystander (on a loaded machine every client is
    charged now and then: only a client that blocks its own cycle stands out).
    ``tests/faults/io_bench.py xruns`` measures the absolute figures."""
    name = unique(f"ljio-rt{os.getpid()}")
    with private_jack_server(name, realtime=True) as log:
        client = unique("lj")
        bystander = unique("test-bystander")
        child = spawn(_env(name), "bystander", bystander, "30")
        player = Headless(random_weights_dir, "--client-name", client, "--no-record",
                          "--tempo", "300", "--quiet", env=_env(name))
        try:
            assert player.wait_until_said("playing at"), player.lines[-5:]
            if player.said("the JACK server runs without real-time"):
                pytest.skip("jackd cannot take real-time scheduling here")
            assert player.said("below the JACK server's clients"), player.lines
            since = log.stat().st_size
            time.sleep(5.0)
            xruns = xruns_by_client(log, since)
            assert player.stop() == 128 + signal.SIGTERM
        finally:
            child.kill()
            child.wait()
    ours = {c: n for c, n in xruns.items() if c == client or c.startswith(f"{client} ")}
    assert max(ours.values(), default=0) <= 2 * xruns.get(bystander, 0) + 2, dict(xruns)


def test_a_server_killed_under_it_stops_it_with_one_line_and_its_recording(random_weights_dir,
                                                                         tmp_path):
    """The JACK server dies without a word (SIGKILL) under a real-time live-jazz: it says so in
    one line and ends (exit code 1) with the recording of what it played, rather than playing
    on into nothing (or spinning at its real-time priority, deaf to signals)."""
    # One fixed name: JACK's registry keeps a killed server's slot (8 in all, shared by every
    # server on the machine) until a server of the same name starts, as one does below.
    name = "ljio-killed"
    record = tmp_path / "r.mid"
    with private_jack_server(name, realtime=True):
        player = Headless(random_weights_dir, "--client-name", unique("lj"), "--record",
                          str(record), "--tempo", "240", env=_env(name))
        try:
            assert player.wait_until_said("playing at"), player.lines[-5:]
            assert wait_for(lambda: player.said("improviser")), player.lines[-5:]
            _kill_server(name)
            assert wait_for(lambda: player.process.poll() is not None), player.lines[-5:]
        finally:
            if player.process.poll() is None:
                player.stop()
    with private_jack_server(name, realtime=True):
        pass  # takes the killed server's slot back, and frees it
    assert player.stop() == 1, player.lines[-5:]
    errors = [line for line in player.lines if line.startswith("live-jazz: error:")]
    assert len(errors) == 1 and "the JACK server stopped" in errors[0], player.lines[-8:]
    assert any(m.type == "note_on" for m in mido.MidiFile(record)), player.lines[-5:]


def _kill_server(name: str) -> None:
    """SIGKILL the jackd named ``name`` (found in /proc: no procps needed)."""
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if Path(command[0].decode(errors="replace")).name == "jackd" \
                and command[1:3] == [b"-n", name.encode()]:
            os.kill(int(entry.name), signal.SIGKILL)
            return
    raise AssertionError(f"no jackd named {name} to kill")
