"""The live tracker run over a whole recording, block by block as the live path runs it: the
notes of ``transcribe`` and of ``bench hearing``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from live_jazz.audio_in.tracker import NoteOn, Tracker


@dataclass(frozen=True)
class TrackedNote:
    """A note the tracker heard, in seconds from the recording's start."""

    pitch: int
    """MIDI pitch."""
    velocity: int
    """From the level it was heard at."""
    onset_s: float
    """Its estimated start."""
    known_s: float
    """When the live path would have sent its note-on (the end of the deciding block)."""
    end_s: float
    """Its estimated end."""

    def as_json(self) -> dict[str, float | int]:
        """The object ``transcribe --json`` prints for it."""
        return {"pitch": self.pitch, "onset_s": round(self.onset_s, 4),
                "known_s": round(self.known_s, 4), "end_s": round(self.end_s, 4)}


def track_notes(samples: np.ndarray, tracker: Tracker) -> list[TrackedNote]:
    """Feed ``samples`` to ``tracker`` one block of ``tracker.hop`` at a time; its notes."""
    notes: list[TrackedNote] = []
    started: NoteOn | None = None
    events = []
    for first in range(0, samples.size, tracker.hop):
        events += tracker.feed(samples[first:first + tracker.hop])
    events += tracker.finish()
    for event in events:
        if isinstance(event, NoteOn):
            started = event
        elif started is not None:
            notes.append(TrackedNote(started.pitch, started.velocity, started.onset_s,
                                     started.known_s, event.end_s))
            started = None
    return notes
