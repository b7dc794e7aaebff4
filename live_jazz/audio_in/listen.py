"""The microphone as a player of MIDI keys: capture -> tracker -> note messages on the engine's
input queue, on a worker thread of its own.

The audio thread only queues blocks (``capture.Blocks``); this thread wakes for them, tracks
them a block at a time and puts ``note_on``/``note_off`` on ``AUDIO_CHANNEL`` into the same
``InputQueue`` a MIDI input port fills, timed in the engine's clock at the note's onset (the
block clock is anchored to the clock when blocks arrive): from there the engine hears them
exactly as keys. After each block it yields the GIL (``time.sleep(0)``) so that the timing
thread never waits behind more than one block's work (a few hundred microseconds), and numpy
releases the GIL inside its big operations.

Faults are one line each on the queue's reports (the engine logs them) and never stop the
music: no device (retried every ``RETRY_S``), a device that stops sending (unplugged: its note
ended, reopened when it returns), clipping (at most every ``CLIP_REPORT_S``) and digital
silence for ``SILENT_S``.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable

import mido

from live_jazz.audio_in.capture import AudioInputError, Blocks, Capture
from live_jazz.audio_in.tracker import SILENT_DB as ZEROS_DB
from live_jazz.audio_in.tracker import (
    Frame,
    NoteOff,
    NoteOn,
    Tracker,
    TrackerConfig,
    level_db,
)
from live_jazz.midi_io.ports import InputQueue

AUDIO_CHANNEL = 15
"""The channel the microphone's notes come on (MIDI channel 16): its own recording track."""
STALL_S = 1.0
"""A device that sends nothing for this long has gone."""
RETRY_S = 2.0
"""How often a missing device is looked for again."""
SILENT_S = 5.0
"""Digital silence this long is told once."""
SILENT_DB = -100.0
"""Under this a block is digital silence (a muted or wrong input)."""
CLIP_LEVEL = 0.999
"""A sample this loud (of 1.0) is clipped."""
CLIP_REPORT_S = 30.0
"""Clipping is told at most this often."""
RESYNC_S = 0.05
"""The block clock is anchored again when blocks arrive this far from where it expects."""
METER_FALL_DB_S = 24.0
"""The level meter's fall (dB a second): a peak shows however rarely the TUI reads it."""

Opener = Callable[[Blocks], Capture]
"""Opens the source, handing its blocks to ``Blocks`` (raises AudioInputError)."""


def lowest_realtime_priority() -> bool:
    """Run the calling thread at the lowest real-time priority (SCHED_FIFO 1), where allowed.
    The worker holds the GIL a little at a time; if the OS preempted it for another program in
    the middle, the timing thread would wait for the GIL a whole time slice (a priority
    inversion). At FIFO 1 no ordinary program preempts it, and the timing thread (and a JACK
    server's threads, all higher) still do."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))
    except (AttributeError, OSError):  # not Linux, or no permission: ordinary priority
        return False
    return True


def key_message(event: NoteOn | NoteOff) -> tuple[mido.Message, float]:
    """The key a tracker's event is, and its time in seconds of audio (a note-on at its
    onset: the engine places it where it was played, not where it was recognized)."""
    if isinstance(event, NoteOn):
        return (mido.Message("note_on", channel=AUDIO_CHANNEL, note=event.pitch,
                             velocity=event.velocity), event.onset_s)
    return mido.Message("note_off", channel=AUDIO_CHANNEL, note=event.pitch), event.end_s


class AudioListener:
    """Hears ``opener``'s source and puts its notes on ``queue``; ``close`` ends it."""

    def __init__(self, opener: Opener, queue: InputQueue, config: TrackerConfig | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.config = config or TrackerConfig()
        self.queue = queue
        self.clock = clock or queue.clock
        self.blocks = Blocks(self.clock)
        self.name = "audio in"
        self.frame = Frame(ZEROS_DB, None)
        """The latest level and pitch heard (the TUI's pitch)."""
        self.meter_db = ZEROS_DB
        """The level (dBFS) with a peak's fall: the TUI's meter (written by the worker only:
        readers get one float, no lock)."""
        self.notes = 0
        """Note-ons sent."""
        self._opener = opener
        self._capture: Capture | None = None
        self._tracker: Tracker | None = None
        self._anchor: float | None = None
        self._fed = 0
        self._sent_at = float("-inf")
        self._last_block = 0.0
        self._next_try = 0.0
        self._told_missing = False
        self._lost = False
        self._silent_since: float | None = None
        self._last_clip_report = float("-inf")
        self._switches: deque[Opener] = deque()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-jazz hearing",
                                        daemon=True)
        self._thread.start()

    @property
    def open(self) -> bool:
        """Whether a source is open now."""
        return self._capture is not None

    def switch(self, opener: Opener) -> None:
        """Hear ``opener``'s source from now on (any thread, returns at once): the worker ends
        the note sounding, closes the source and opens the new one (retrying as at start)."""
        self._switches.append(opener)
        self.blocks.wake.set()

    def close(self) -> None:
        """Stop hearing: the note sounding is ended, the source closed. Safe to call twice."""
        self._stop.set()
        self.blocks.wake.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=3)

    # -- the worker ---------------------------------------------------------------------------

    def _run(self) -> None:
        lowest_realtime_priority()
        while not self._stop.is_set():
            if self._switches:
                self._switch_source(self._switches.popleft())
            if self._capture is None and self.clock() >= self._next_try:
                self._open()
            self.blocks.wake.wait(0.1)
            self.blocks.wake.clear()
            items = self.blocks.take()
            if items:
                self._hear(items)
            elif self._capture is not None:
                self._check_stall()
        self._drop_source()

    def _switch_source(self, opener: Opener) -> None:
        self._drop_source()
        self._opener, self._next_try = opener, 0.0
        self._told_missing = self._lost = False
        self.frame, self.meter_db = Frame(ZEROS_DB, None), ZEROS_DB

    def _open(self) -> None:
        self.blocks.take()  # an earlier source's last blocks are not this one's
        try:
            capture = self._opener(self.blocks)
        except AudioInputError as error:
            self._next_try = self.clock() + RETRY_S
            if not self._told_missing:
                self.queue.report(f"audio in: {error}; MIDI in goes on (retrying)")
                self._told_missing = True
            return
        self._capture, self.name = capture, capture.name
        self._tracker = Tracker(capture.sample_rate, self.config)
        self._anchor, self._fed, self._last_block = None, 0, self.clock()
        if self._lost or self._told_missing:
            self.queue.report(f"audio in: hearing {capture.name} again")
        self._lost = self._told_missing = False

    def _hear(self, items: list) -> None:
        capture, tracker = self._capture, self._tracker
        if capture is None or tracker is None:
            return
        for arrived, data in items:
            samples = capture.to_float(data)
            self._place(arrived, samples.size, capture.sample_rate)
            for event in tracker.feed(samples):
                self._send(event)
            self.frame = tracker.last
            self.meter_db = max(level_db(samples), self.meter_db
                                - METER_FALL_DB_S * samples.size / capture.sample_rate)
            self._watch(samples, self._fed / capture.sample_rate)
            time.sleep(0)  # let the timing thread have the GIL between blocks
        self._last_block = items[-1][0]

    def _place(self, arrived: float, frames: int, rate: int) -> None:
        """Anchor the block clock: a block's last sample was captured when it arrived."""
        self._fed += frames
        expected = None if self._anchor is None else self._anchor + self._fed / rate
        if expected is None or abs(arrived - expected) > RESYNC_S:
            self._anchor = arrived - self._fed / rate

    def _watch(self, samples, heard: float) -> None:
        """Tell clipping and long digital silence, once each (``heard``: seconds of audio)."""
        if samples.size and float(abs(samples).max()) >= CLIP_LEVEL \
                and heard - self._last_clip_report >= CLIP_REPORT_S:
            self._last_clip_report = heard
            self.queue.report(f"audio in: {self.name} clips: turn its gain down")
        if self.frame.level_db > SILENT_DB:
            self._silent_since = None
        elif self._silent_since is None:
            self._silent_since = heard
        elif heard - self._silent_since >= SILENT_S:
            self.queue.report(f"audio in: {self.name} hears digital silence (muted? another "
                              f"input?)")
            self._silent_since = float("inf")  # told; again only after it hears something

    def _check_stall(self) -> None:
        capture = self._capture
        assert capture is not None
        if capture.finished:
            self._end_notes()
        elif self.clock() - self._last_block > STALL_S:
            self.queue.report(f"audio in: {self.name} stopped sending (unplugged?); MIDI in "
                              f"goes on, retrying")
            self._lost = True
            self._drop_source()
            self._next_try = self.clock() + RETRY_S

    def _send(self, event: NoteOn | NoteOff) -> None:
        """The event as a key, at its time in the clock (never before the last one sent: the
        block clock may have been anchored again in between)."""
        anchor = self._anchor if self._anchor is not None else self.clock()
        self.notes += isinstance(event, NoteOn)
        message, at = key_message(event)
        self._sent_at = max(anchor + at, self._sent_at)
        self.queue.put(message, self._sent_at)

    def _end_notes(self) -> None:
        if self._tracker is not None:
            for event in self._tracker.finish():
                self._send(event)

    def _drop_source(self) -> None:
        self._end_notes()
        capture, self._capture, self._tracker = self._capture, None, None
        if capture is not None:
            try:
                capture.close()
            except (OSError, RuntimeError):
                pass
