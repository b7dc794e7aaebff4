"""The input port base: a polled port is read by every drain of its queue, never once closed;
closing is safe twice."""

from __future__ import annotations

import mido

from live_jazz.midi_io.ports import InputPort, InputQueue


class PolledPort(InputPort):
    """Holds messages as a backend's own queue would, until polled."""

    polled = True

    def __init__(self, queue: InputQueue) -> None:
        super().__init__("polled", queue)
        self.held: list[mido.Message] = []
        self.closes = 0

    def _poll(self) -> None:
        while self.held:
            self.queue.put(self.held.pop(0))

    def _close(self) -> None:
        self.closes += 1


def test_a_polled_port_is_read_by_each_drain_and_not_once_closed():
    queue = InputQueue(lambda: 1.0)
    port = PolledPort(queue)
    assert queue.polled
    port.held.append(mido.Message("note_on", note=60))
    assert [m.note for _, m in queue.drain()] == [60]
    with port:
        pass
    port.close()
    assert port.closes == 1 and not queue.polled
    port.held.append(mido.Message("note_on", note=62))
    assert queue.drain() == []
    assert repr(port) == "<PolledPort 'polled' closed>"


def test_a_port_with_a_callback_is_not_polled():
    queue = InputQueue(lambda: 1.0)
    InputPort("callback", queue)
    queue.put(mido.Message("note_on", note=64), 0.5)
    assert not queue.polled
    assert [(t, m.note) for t, m in queue.drain()] == [(0.5, 64)]
