"""Taps: observers of what sounds, which the engine loop publishes to.

A tap is told of every message sent, every key heard, every beat line, every silencing and
the end; it must return at once (it runs in the engine thread). ``RecorderTap`` writes the
session's MIDI file; ``NoteEvents`` tells the engine's subscribers (the TUI's piano roll) of
the notes that sounded.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine.beat import BeatSource
from live_jazz.engine.buffer import EventBuffer, Scheduled
from live_jazz.engine.events import EngineEvent, LogLine, NotePlayed
from live_jazz.engine.hearing import Heard
from live_jazz.engine.recorder import Recorder


class Tap(Protocol):
    """What the loop publishes."""

    def sent(self, item: Scheduled) -> None:
        """A note message went out (the dispatcher sent ``item``)."""

    def heard(self, heard: Heard) -> None:
        """The human pressed or released a key while playing."""

    def beat(self, now: float) -> None:
        """A beat line passed while playing (clock second ``now``)."""

    def silenced(self, played: float) -> None:
        """Every sounding note ended at played session tick ``played``."""

    def close(self, played: float | None) -> Path | None:
        """The end (``played``: where, if the beat had started); a file written, if any."""


class RecorderTap:
    """The session's recording: improviser, chords and human tracks (and the microphone's)."""

    def __init__(self, recorder: Recorder, beat: BeatSource,
                 emit: Callable[[EngineEvent], None]) -> None:
        self.recorder = recorder
        recorder.tempo_map = beat.tempo_changes
        self.emit = emit
        self._error_told: str | None = None
        """The write error last told (a change is told once, not every rewrite)."""

    def sent(self, item: Scheduled) -> None:
        message = item.message
        track = "improviser" if item.voice == "improviser" else "chords"
        if message.type == "note_on" and message.velocity > 0:
            self.recorder.note_on(track, item.at, message.note, message.velocity,
                                  message.channel)
        else:
            self.recorder.note_off(track, item.at, message.note, message.channel)

    def heard(self, heard: Heard) -> None:
        message = heard.message
        track = self.recorder.human_track(message.channel)
        if message.type == "note_on":
            self.recorder.note_on(track, heard.played, message.note, message.velocity,
                                  message.channel)
        else:
            self.recorder.note_off(track, heard.played, message.note, message.channel)

    def beat(self, now: float) -> None:
        recorder = self.recorder
        recorder.snapshot(now)
        error = recorder.error
        if error != self._error_told:
            self._error_told = error
            self.emit(LogLine("error", f"recording: {error} (trying again)") if error else
                      LogLine("info", f"recording: {recorder.path} written again"))

    def silenced(self, played: float) -> None:
        self.recorder.end_notes(played)

    def close(self, played: float | None) -> Path | None:
        return self.recorder.close(played)


class NoteEvents:
    """``NotePlayed`` for the subscribers: the improviser's notes as they go out, the human's
    as they end. Beats count from ``origin()``, the session tick where playing last started."""

    def __init__(self, emit: Callable[[EngineEvent], None], buffer: EventBuffer,
                 beat: BeatSource, origin: Callable[[], int]) -> None:
        self.emit = emit
        self.buffer = buffer
        self.beat_source = beat
        self.origin = origin

    def sent(self, item: Scheduled) -> None:
        message = item.message
        if item.voice != "improviser" or message.type != "note_on" or message.velocity == 0:
            return
        end = self.buffer.note_off_at(item.note_id) if item.note_id else None
        length = 0.0 if end is None else (end - item.at) / TICKS_PER_BEAT
        self.emit(NotePlayed("improviser", message.note, message.velocity,
                             (item.at - self.origin()) / TICKS_PER_BEAT, length))

    def heard(self, heard: Heard) -> None:
        note = heard.note
        if note is None:
            return
        onset = self.beat_source.beat_at(note.onset)
        self.emit(NotePlayed("human", note.pitch, note.velocity,
                             onset - self.origin() / TICKS_PER_BEAT,
                             heard.played / TICKS_PER_BEAT - onset))

    def beat(self, now: float) -> None:
        pass

    def silenced(self, played: float) -> None:
        pass

    def close(self, played: float | None) -> Path | None:
        return None
