"""The dispatcher: sends what is due from the buffer, on time, and never catches up in a burst.

Each message's deadline is computed when it is at the head of the buffer, absolutely from the
transport (tempo map and swing), so tempo and swing changes apply to everything waiting.
A message sent more than ``LATE_SECONDS`` after its deadline is counted late; a note-on or a
clock tick more than ``DROP_SECONDS`` late is not sent at all (nor is that note's note-off):
sending it would pile it onto the notes that are on time. Note-offs always go out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import mido

from live_jazz.engine.buffer import EventBuffer, Scheduled
from live_jazz.engine.clock import Clock
from live_jazz.midi_io.ports import OutputPort

LATE_SECONDS = 0.002
"""Sent later than this after its deadline: counted (and logged) as late."""
DROP_SECONDS = 0.030
"""A note-on or clock tick later than this is dropped instead of sent."""


@dataclass
class DispatchStats:
    """What the dispatcher has done so far."""

    sent: int = 0
    """Messages handed to the port."""
    late: int = 0
    """Messages sent later than LATE_SECONDS (dropped ones included)."""
    dropped: int = 0
    """Note-ons and clock ticks not sent because they were too late."""
    worst_late: float = 0.0
    """The largest lateness seen (seconds)."""
    losses: int = 0
    """Times the port stopped taking messages."""
    returns: int = 0
    """Times it took them again."""
    errors: list[float] | None = field(default=None)
    """Send time minus deadline of every message sent (seconds), if asked for (benchmarks)."""


class Dispatcher:
    """Pops due messages from ``buffer`` and sends them to ``port``.

    ``deadline(at)`` gives the clock time of a played position (session ticks); ``velocity``
    is the improviser's velocity in force, applied to its note-ons as they go out.
    ``send_due`` returns what it sent: the loop publishes it (the dispatcher knows no one).
    """

    def __init__(
        self,
        port: OutputPort,
        clock: Clock,
        buffer: EventBuffer,
        deadline: Callable[[float], float],
        velocity: int,
        keep_errors: bool = False,
        reset_messages: list[mido.Message] | None = None,
    ) -> None:
        self.port = port
        self.clock = clock
        self.buffer = buffer
        self.deadline = deadline
        self.velocity = velocity
        self.stats = DispatchStats(errors=[] if keep_errors else None)
        self.lost = False
        """Whether the port failed the last send (set it to reset a port that came back)."""
        self.reset_messages: list[mido.Message] = reset_messages or []
        """Sent before anything else to a port that is back."""

    def _deliver(self, message: mido.Message) -> None:
        """Send, minding a lost port: while sends fail the port counts as lost; the first
        send after that is preceded by ``reset_messages`` (All Notes Off: the note-offs it
        missed must not leave notes hanging), and only if they go through is it back."""
        if self.lost:
            if not all(self.port.send(reset) for reset in self.reset_messages):
                self.port.send(message)  # fails too, but keeps the port's note bookkeeping
                return
            self.lost = False
            self.stats.returns += 1
        if not self.port.send(message):
            self.lost = True
            self.stats.losses += 1

    def port_back(self) -> None:
        """The port is back (its watcher says): reset it before the next message."""
        self.lost = True

    def switch_port(self, port: OutputPort) -> None:
        """Send to ``port`` from now on (a fresh one: nothing to reset)."""
        self.port = port
        self.lost = False

    def next_deadline(self) -> float | None:
        """Clock time of the next message, or None if the buffer is empty."""
        head = self.buffer.peek()
        return None if head is None else self.deadline(head.at)

    def send_due(self) -> list[Scheduled]:
        """Send every message whose deadline has come; returns those sent, in order."""
        sent: list[Scheduled] = []
        stats = self.stats
        while True:
            head = self.buffer.peek()
            if head is None:
                return sent
            due = self.deadline(head.at)
            now = self.clock.now()
            if due > now:
                return sent
            item = self.buffer.pop()
            lateness = now - due
            message = item.message
            if lateness > LATE_SECONDS:
                stats.late += 1
                stats.worst_late = max(stats.worst_late, lateness)
                if lateness > DROP_SECONDS and message.type in ("note_on", "clock") \
                        and getattr(message, "velocity", 1) > 0:
                    stats.dropped += 1
                    if item.note_id is not None:
                        self.buffer.drop_note_off(item.note_id)
                    continue
            if item.base_velocity and message.type == "note_on":
                velocity = message.velocity - item.base_velocity + self.velocity
                message = message.copy(velocity=min(127, max(1, velocity)))
                item.message = message
            self._deliver(message)
            sent_at = self.clock.now()
            stats.sent += 1
            if stats.errors is not None:
                stats.errors.append(sent_at - due)
            sent.append(item)
