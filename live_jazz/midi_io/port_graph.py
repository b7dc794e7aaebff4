"""Closing an rtmidi port without crashing libjack.

libjack can crash a client that unregisters a port while the client's notification thread
handles the server's notice of another change to the graph: ``JackClient::PortUnRegister``
erases the port from the client's list while ``HandleLatencyCallback`` walks that list, on two
threads, with no lock (jack2 issue #216, still so upstream). rtmidi unregisters in
``close_port`` (and in its destructor, which is then a no-op). A client that closes just after
another one opened or closed met it about once in a hundred closes (a segfault at exit, or in a
test run).

So every port this process opens or closes tells ``changed()``, and ``close_port`` first waits
until ``SETTLE_SECONDS`` have passed since the last change: the server's notices of our own
changes have then been handled. A change another program makes at the same instant remains a
(rare) risk that no client of libjack can rule out. Other MIDI systems lose only the wait.
"""

from __future__ import annotations

import math
import threading
import time

import rtmidi

SETTLE_SECONDS = 0.1
"""How long after a change to the graph this process's next port closes (the server notifies
every client of a change within a few of its periods)."""

_lock = threading.Lock()
_last_change = -math.inf


def changed() -> None:
    """This process has just opened or closed a port (or a client with ports)."""
    global _last_change
    with _lock:
        _last_change = time.monotonic()


def _remaining() -> float:
    """Seconds until the graph has settled since our last change (held: ``_lock``)."""
    return _last_change + SETTLE_SECONDS - time.monotonic()


def settle() -> None:
    """Wait until the graph has settled since this process last changed it (before taking a
    lock that a send needs, so that ``close_port`` then waits no more)."""
    with _lock:
        wait = _remaining()
    if wait > 0:
        time.sleep(wait)


def close_port(rt: rtmidi.MidiIn | rtmidi.MidiOut) -> None:
    """``rt.close_port()`` once the graph has settled since this process last changed it (one
    close at a time); the caller then ``delete``s or re-opens ``rt``."""
    global _last_change
    with _lock:
        wait = _remaining()
        if wait > 0:
            time.sleep(wait)
        rt.close_port()
        _last_change = time.monotonic()
