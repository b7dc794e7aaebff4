"""The session recording: a standard MIDI file of what was played -- the human, the improviser,
the chords (comping) and the tempo map -- kept valid on disk while the session goes on.

The engine thread tells the recorder what it sent and heard (``note_on``/``note_off`` at played
session ticks, swing already applied); ``midifile.write_midi`` writes the file atomically
(temporary file + ``os.replace``). ``snapshot`` is called on every beat by the engine thread
and hands a copy to a writer thread that rewrites the file (at most every ``REWRITE_SECONDS``,
less often when a long session's file takes a while to write), so the timing thread never
waits on the disk; ``close`` writes the final file in the caller's thread, with every note
still sounding ended there. After Ctrl-C, SIGTERM or an exception the
engine's exit path calls ``close``; after a hard kill, the last rewrite is on disk.

A recording that cannot be written is never reported as saved: the file is written (empty)
when the recorder is made, so a path that cannot take it fails at once; a write that fails
later is kept in ``error`` (the engine logs it) and retried at the next rewrite; ``close``
returns None when the final write failed.

Positions are the played ones (fractional session ticks), so the file is written straight:
it holds the human's timing and the swing as they sounded, not the grid.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from live_jazz.files import remove_leftover_temporaries
from live_jazz.music.midifile import PlayedNote, Track, write_midi

REWRITE_SECONDS = 2.0
"""The file on disk is at most this much (or a bar, if longer) behind the music ..."""
REWRITE_SHARE = 0.1
"""... or, in a long session whose file takes a while to write, the writer thread spends at
most this share of the time writing."""
TRACKS = ("human", "improviser", "chords")
"""The recording's tracks, in order (the tempo map is the file's first track)."""
MICROPHONE = "microphone"
"""The track of the notes heard through a microphone, after those (only where asked for)."""


def default_session_path(folder: Path) -> Path:
    """A new file in ``folder`` named after the time: ``session-20260126-093005.mid``."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"session-{stamp}.mid"
    number = 1
    while path.exists():
        number += 1
        path = folder / f"session-{stamp}-{number}.mid"
    return path


@dataclass
class _TrackNotes:
    channel: int
    notes: list[PlayedNote] = field(default_factory=list)
    sounding: dict[tuple[int, int], tuple[float, int]] = field(default_factory=dict)
    """(channel, pitch) -> (onset tick, velocity) of the notes not ended yet."""


class Recorder:
    """Collects the played notes of a session and keeps ``path`` a valid MIDI file."""

    def __init__(self, path: Path, channels: dict[str, int], beats_per_bar: int = 4) -> None:
        """Raises OSError (or ValueError) if ``path`` cannot take a MIDI file."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.beats_per_bar = beats_per_bar
        names = TRACKS + ((MICROPHONE,) if MICROPHONE in channels else ())
        self._tracks = {name: _TrackNotes(channels.get(name, 0)) for name in names}
        self.tempo_map: Callable[[], list[tuple[float, float]]] = lambda: [(0.0, 120.0)]
        """(played beat, bpm) of every tempo segment, asked for when the file is written (the
        engine sets it)."""
        self.error: str | None = None
        """Why the last write failed (None: the file holds the last snapshot)."""
        remove_leftover_temporaries(self.path.parent)
        tracks, tempo = self._contents()
        write_midi(self.path, tracks, tempo, beats_per_bar)  # refused now, not after playing
        self._pending: tuple | None = None
        self._wake = threading.Condition()
        self._closed = False
        self._last_snapshot = float("-inf")
        self._write_seconds = 0.0
        """How long the last write took."""
        self._writer = threading.Thread(target=self._write_loop, name="live-jazz recorder",
                                        daemon=True)
        self.write_errors = 0
        self._writer.start()

    def human_track(self, channel: int) -> str:
        """The track of a note the human played on ``channel``: the microphone's own, if the
        recording has one on that channel; else ``human``."""
        microphone = self._tracks.get(MICROPHONE)
        return MICROPHONE if microphone is not None and microphone.channel == channel \
            else "human"

    def note_on(self, track: str, tick: float, pitch: int, velocity: int, channel: int) -> None:
        """A note began at played session tick ``tick`` (one heard before the session's first
        tick, as a note just after a master's Start, begins at 0)."""
        tick = max(tick, 0.0)
        notes = self._tracks[track]
        key = (channel, pitch)
        if key in notes.sounding:  # the same key again: the earlier note ends here
            self.note_off(track, tick, pitch, channel)
        notes.sounding[key] = (tick, velocity)

    def note_off(self, track: str, tick: float, pitch: int, channel: int) -> None:
        """A note ended at ``tick`` (a note-off for no sounding note is ignored)."""
        tick = max(tick, 0.0)
        notes = self._tracks[track]
        started = notes.sounding.pop((channel, pitch), None)
        if started is not None:
            onset, velocity = started
            notes.notes.append(PlayedNote(onset, max(tick - onset, 0.0), pitch, velocity))

    def end_notes(self, tick: float) -> None:
        """End every sounding note at ``tick`` (stop, panic, the end)."""
        for name, notes in self._tracks.items():
            for channel, pitch in list(notes.sounding):
                self.note_off(name, tick, pitch, channel)

    def snapshot(self, now: float) -> None:
        """Hand the notes so far to the writer thread (cheap; at most every REWRITE_SECONDS
        of ``now``, clock seconds)."""
        if now - self._last_snapshot < max(REWRITE_SECONDS, self._write_seconds / REWRITE_SHARE):
            return
        self._last_snapshot = now
        with self._wake:
            self._pending = self._contents()
            self._wake.notify()

    def _contents(self) -> tuple:
        tracks = [Track(name, notes.channel, list(notes.notes))
                  for name, notes in self._tracks.items()]
        return tracks, self.tempo_map()

    def _write_loop(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._closed:
                    self._wake.wait()
                if self._pending is None:
                    return
                contents, self._pending = self._pending, None
            self._write(contents)

    def _write(self, contents: tuple) -> None:
        tracks, tempo = contents
        began = time.perf_counter()
        try:
            write_midi(self.path, tracks, tempo, self.beats_per_bar)
        except (OSError, ValueError) as error:
            self.write_errors += 1
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.error = f"cannot write {self.path} ({reason})"
        else:
            self.error = None
        self._write_seconds = time.perf_counter() - began

    def close(self, tick: float | None = None) -> Path | None:
        """End sounding notes at ``tick`` (if given), stop the writer and write the final
        file; returns its path, or None if it could not be written (``error`` says why).
        Safe to call twice."""
        if tick is not None:
            self.end_notes(tick)
        with self._wake:
            self._closed = True
            self._pending = None
            self._wake.notify()
        if self._writer is not threading.current_thread():
            self._writer.join()
        self._write(self._contents())
        return None if self.error is not None else self.path
