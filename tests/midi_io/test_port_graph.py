"""Closing a port waits out this process's last change to the JACK graph (libjack's
unregister race: see port_graph)."""

import threading
import time

from live_jazz.midi_io import port_graph


class FakeRtMidi:
    def __init__(self) -> None:
        self.closed_at: float | None = None

    def close_port(self) -> None:
        self.closed_at = time.monotonic()


def test_a_close_waits_until_the_graph_has_settled_since_the_last_open():
    port_graph.changed()
    opened = time.monotonic()
    rt = FakeRtMidi()
    port_graph.close_port(rt)
    assert rt.closed_at is not None and rt.closed_at - opened >= port_graph.SETTLE_SECONDS * 0.99


def test_closes_one_at_a_time_each_after_the_one_before():
    port_graph.changed()
    ports = [FakeRtMidi() for _ in range(3)]
    threads = [threading.Thread(target=port_graph.close_port, args=(p,)) for p in ports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times = sorted(p.closed_at for p in ports)
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(gap >= port_graph.SETTLE_SECONDS * 0.99 for gap in gaps)


def test_settle_waits_without_closing_anything():
    port_graph.changed()
    changed = time.monotonic()
    rt = FakeRtMidi()
    port_graph.settle()
    assert time.monotonic() - changed >= port_graph.SETTLE_SECONDS * 0.99
    assert rt.closed_at is None
