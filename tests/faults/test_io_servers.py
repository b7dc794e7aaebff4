"""live-jazz against JACK servers of other settings, started here under names of their own
(the shared server is never touched): without real-time, its timing thread must not starve the
server; with real-time, its clients must not make the server miss deadlines."""

from __future__ import annotations

import shutil
import signal
import time

import pytest
import rtmidi
from faults_run import Headless
from jack_clients import JackEar, private_jack_server, unique, wait_for, xruns_by_client

from live_jazz.midi_io.jack_server import JackServer, query_server, timing_priority
from live_jazz.midi_io.rtmidi_ports import INPUT_PORT_NAME

pytestmark = [pytest.mark.faults]

needs_jackd = pytest.mark.skipif(shutil.which("jackd") is None, reason="jackd not installed")


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
    return {"JACK_DEFAULT_SERVER": name, "JACK_NO_START_SERVER": "1"}


@needs_jackd
def test_against_a_server_without_realtime_it_takes_none_and_follows_a_clock_flood(
        random_weights_dir, monkeypatch):
    """``jackd --no-realtime``: the log says the timing thread took no real-time priority;
    following a clock ten times too fast (with notes) it neither crashes nor hangs."""
    name = unique("ljio-nort")
    with private_jack_server(name, realtime=False):
        monkeypatch.setenv("JACK_DEFAULT_SERVER", name)
        client = unique("lj")
        player = Headless(random_weights_dir, "--client-name", client, "--no-record",
                          "--sync", "external", "--send-clock", "--quiet", env=_env(name))
        assert player.wait_until_said("timing thread"), player.lines[-5:]
        assert player.said("timing thread: normal priority (the JACK server runs without "
                           "real-time"), player.lines
        master = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, unique("test-master"))
        assert wait_for(lambda: f"{client} in:{INPUT_PORT_NAME}" in master.get_ports())
        master.open_port(master.get_ports().index(f"{client} in:{INPUT_PORT_NAME}"), "out")
        try:
            time.sleep(0.1)  # the connection is made: Start is not lost before it
            period = 60.0 / 1200.0 / 24
            master.send_message([0xFA])
            start = time.perf_counter()
            n = 0
            while time.perf_counter() - start < 3.0:
                time.sleep(max(0.0, start + n * period - time.perf_counter()))
                master.send_message([0xF8])
                if n % 24 == 0:
                    master.send_message([0x90, 60, 80] if n % 48 == 0 else [0x80, 60, 0])
                n += 1
            assert player.process.poll() is None, player.lines[-5:]
        finally:
            master.close_port()
            master.delete()
        assert player.stop() == 128 + signal.SIGTERM, player.lines[-5:]
    assert player.said("playing at"), player.lines


@needs_jackd
def test_its_clients_make_a_realtime_server_miss_no_more_deadlines_than_a_bystander(
        random_weights_dir, monkeypatch):
    """A real-time server (256 frames): live-jazz plays into a listening client for seconds.
    jackd charges each xrun to the clients that had not finished their cycle; live-jazz's
    clients must not be charged more than a passive client beside them (on a loaded machine
    every client is charged now and then: only a client that blocks its own cycle stands out).
    ``tests/faults/io_bench.py xruns`` measures the absolute figures."""
    name = unique("ljio-rt")
    with private_jack_server(name, realtime=True) as log:
        monkeypatch.setenv("JACK_DEFAULT_SERVER", name)
        server = query_server()
        if server is None or not server.realtime:
            pytest.skip("jackd cannot take real-time scheduling here")
        client = unique("lj")
        bystander = JackEar(unique("test-bystander"))  # in the graph, doing nothing
        player = Headless(random_weights_dir, "--client-name", client, "--no-record",
                          "--tempo", "300", "--quiet", env=_env(name))
        try:
            assert player.wait_until_said("timing thread"), player.lines[-5:]
            assert player.said("below the JACK server's clients"), player.lines
            ear = JackEar(unique("test-ear"), f"{client}:{client}")
            since = log.stat().st_size
            assert wait_for(lambda: sum(m.type == "note_on" for m in ear.messages()) >= 40)
            xruns = xruns_by_client(log, since)
            assert player.stop() == 128 + signal.SIGTERM
            ear.close()
        finally:
            bystander.close()
    ours = {c: n for c, n in xruns.items() if c == client or c.startswith(f"{client} ")}
    others = [n for c, n in xruns.items() if c not in ours]
    assert max(ours.values(), default=0) <= 2 * max(others, default=0) + 2, dict(xruns)
