"""The bridge from the engine's threads to the UI: never blocks, coalesces the high-rate events."""

from __future__ import annotations

import threading

from textual.message import Message

from live_jazz.engine.config import EngineConfig
from live_jazz.engine.events import (
    ChordChanged,
    LogLine,
    ModelStepped,
    NotePlayed,
    TransportChanged,
)
from live_jazz.tui.bridge import BACKLOG, EngineBridge
from live_jazz.tui.messages import (
    ChordUpdated,
    LogLines,
    ModelSteps,
    NotesPlayed,
    TransportUpdated,
)


class Inbox:
    """A message target that keeps what it gets (or refuses, like a closing App)."""

    def __init__(self, closed: bool = False) -> None:
        self.messages: list[Message] = []
        self.closed = closed

    def post_message(self, message: Message) -> bool:
        if self.closed:
            raise RuntimeError("event loop is closed")
        self.messages.append(message)
        return True


def note(beat: float) -> NotePlayed:
    return NotePlayed("improviser", 60, 90, beat, 0.5)


def from_engine_thread(bridge: EngineBridge, events: list) -> None:
    thread = threading.Thread(target=lambda: [bridge(event) for event in events])
    thread.start()
    thread.join()


def test_low_rate_events_are_posted_at_once():
    inbox = Inbox()
    bridge = EngineBridge(inbox)
    transport = TransportChanged(True, 2, 1.0, EngineConfig(), "solo", None, 0, 120.0)
    chord = ChordChanged(2, "F7", "Cm7")
    from_engine_thread(bridge, [transport, chord])
    assert inbox.messages == [TransportUpdated(transport), ChordUpdated(chord)]


def test_high_rate_events_wait_for_the_flush_and_come_as_one_batch_each():
    inbox = Inbox()
    bridge = EngineBridge(inbox)
    step = ModelStepped(1.0, 0.5, 2.0, 3.0, "C:+2:6")
    from_engine_thread(bridge, [note(beat) for beat in range(100)] + [step, step])
    assert inbox.messages == []
    bridge.flush()
    assert inbox.messages == [NotesPlayed(tuple(note(beat) for beat in range(100))),
                              ModelSteps((step, step))]
    bridge.flush()
    assert len(inbox.messages) == 2  # nothing new, nothing posted


def test_a_flood_keeps_the_newest_and_counts_the_lost_log_lines():
    inbox = Inbox()
    bridge = EngineBridge(inbox)
    lines = [LogLine("warning", f"late {index}") for index in range(BACKLOG + 10)]
    from_engine_thread(bridge, [note(beat) for beat in range(BACKLOG + 5)] + lines)
    bridge.flush()
    notes, logs = inbox.messages
    assert isinstance(notes, NotesPlayed) and isinstance(logs, LogLines)
    assert notes.notes[0] == note(5) and len(notes.notes) == BACKLOG
    assert logs.lines[-1] == lines[-1] and len(logs.lines) == BACKLOG
    assert logs.dropped == 10


def test_a_closed_ui_does_not_break_the_engine_thread():
    bridge = EngineBridge(Inbox(closed=True))
    transport = TransportChanged(False, 0, 0.0, EngineConfig(), "solo", None, 0, 120.0)
    bridge(transport)  # no exception reaches the engine


def test_a_new_start_travels_with_the_notes_and_drops_those_before_it():
    inbox = Inbox()
    bridge = EngineBridge(inbox)
    playing = TransportChanged(True, 0, 0.0, EngineConfig(), "solo", None, 0, 120.0)
    stopped = TransportChanged(False, 3, 2.0, EngineConfig(), "solo", None, 0, 120.0)
    from_engine_thread(bridge, [playing, note(0), stopped, playing, note(1), note(2)])
    transports = [m for m in inbox.messages if isinstance(m, TransportUpdated)]
    assert len(transports) == 3  # posted at once, as before
    bridge.flush()
    # Whatever order the transport's messages reach the screen in, the batch says "start over"
    # itself, and holds only the notes played since the last start.
    assert inbox.messages[-1] == NotesPlayed((note(1), note(2)), restart=True)
    from_engine_thread(bridge, [note(3)])
    bridge.flush()
    assert inbox.messages[-1] == NotesPlayed((note(3),))
