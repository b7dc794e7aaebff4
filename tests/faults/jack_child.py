"""JACK clients of the fault suite that run as child processes, on the server named by
``JACK_DEFAULT_SERVER``: libjack keeps one server per process, and a process that opens clients
on two servers (the shared one, then one of a test's own) crashes. So a test or benchmark talks
to a server of its own only through children:

    python tests/faults/jack_child.py master PORT BPM SECONDS   # Start, clock (+ notes), Stop
    python tests/faults/jack_child.py bystander NAME SECONDS    # a client that does nothing
    python tests/faults/jack_child.py pairs N raw|ours           # a second client, N times
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import rtmidi

WAIT_SECONDS = 15.0


def master(port: str, bpm: float, seconds: float) -> None:
    """Start, MIDI clock at ``bpm`` with a note every beat, then Stop, into ``port``."""
    out = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, "fault-master")
    deadline = time.monotonic() + WAIT_SECONDS
    while port not in out.get_ports():
        if time.monotonic() > deadline:
            sys.exit(f"no port {port!r}")
        time.sleep(0.05)
    out.open_port(out.get_ports().index(port), "out")
    time.sleep(0.1)  # the connection is made: Start is not lost before it
    period = 60.0 / bpm / 24
    out.send_message([0xFA])
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        time.sleep(max(0.0, start + n * period - time.perf_counter()))
        out.send_message([0xF8])
        if n % 24 == 0:
            out.send_message([0x90, 60, 80] if n % 48 == 0 else [0x80, 60, 0])
        n += 1
    out.send_message([0x80, 60, 0])
    out.send_message([0xFC])
    time.sleep(0.1)
    out.close_port()
    out.delete()


def bystander(name: str, seconds: float) -> None:
    """A client with a port, in the server's cycle, doing nothing."""
    client = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, name)
    client.open_virtual_port("in")
    time.sleep(seconds)
    client.delete()


def pairs(tries: int, how: str) -> None:
    """``tries`` times: a first client (alone in this process), then a second one opened right
    after it, ``raw`` by rtmidi or as live-jazz opens its clients (``ours``); prints one line
    ``NAME stale|sound`` a try: whether the second maps its own wake-up futex (a stale one is
    never woken: see ``live_jazz.midi_io.jack_lib.wakeable_client``)."""
    from live_jazz.midi_io.jack_lib import maps_own_futex, rtmidi_client

    for index in range(tries):
        first = rtmidi.MidiOut(rtmidi.API_UNIX_JACK, f"pair-a{index}")
        first.open_virtual_port("out")
        name = f"pair-b{index}"
        second = rtmidi.MidiIn(rtmidi.API_UNIX_JACK, name) if how == "raw" else \
            rtmidi_client(rtmidi.MidiIn, rtmidi.API_UNIX_JACK, name)
        print(name, "sound" if maps_own_futex(name) else "stale", flush=True)
        time.sleep(0.1)
        second.delete()
        first.delete()


def spawn(env: dict[str, str], *args: str, stdout: int = subprocess.DEVNULL
          ) -> subprocess.Popen:
    """This script as a child with ``args``, on the server in ``env``."""
    return subprocess.Popen([sys.executable, str(Path(__file__)), *args], env=env,
                            stdin=subprocess.DEVNULL, stdout=stdout, text=True)


if __name__ == "__main__":
    if sys.argv[1] == "master":
        master(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
    elif sys.argv[1] == "pairs":
        pairs(int(sys.argv[2]), sys.argv[3])
    else:
        bystander(sys.argv[2], float(sys.argv[3]))
