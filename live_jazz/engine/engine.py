"""The real-time engine's loop: one timing thread that sends notes on time, samples ahead,
listens, takes turns and records. In this order each time round:

1. send what is due (``Dispatcher``: deadlines from the beat source, late never burst) and
   publish it (to the turn-taking and the taps: the recording, the UI's note events);
2. apply the commands -- the one way a setting changes: the UI's, the port watchers' and those
   the instrument's controls give while it is heard (``Hearing``) -- each applied or refused by
   the ``Session``, then reported and handed back to the subscribers (``CommandApplied``);
3. housekeeping on beat lines and turn boundaries (``Turns``: the answer to a call;
   ``Reporter``: transport and chord events; the taps: the recording's rewrite);
4. sample, decode and comp ahead into the buffer (``Generator``), up to ``lookahead_beats``,
   one step at a time, and only while the next deadline is more than ``GENERATE_MARGIN`` away;
5. sleep until the next deadline (``Clock.sleep_until``), woken early by a command or input.

One thread rather than a generator thread beside a sender: under the GIL a second busy thread
of our own could only delay the sends, and a sampled step (tens of microseconds) fits between
any two deadlines. The same loop runs in tests on a ``FakeClock`` (``run_until``).
"""

from __future__ import annotations

import logging
import math
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import mido
import numpy as np

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine import commands as cmd
from live_jazz.engine.beat import BeatSource, FollowedBeat, InternalBeat
from live_jazz.engine.buffer import EventBuffer, Scheduled
from live_jazz.engine.clock import Clock, SystemClock, realtime_priority
from live_jazz.engine.config import ConfigError, EngineConfig, describe_changes
from live_jazz.engine.controls import ControlMap
from live_jazz.engine.dispatcher import Dispatcher
from live_jazz.engine.events import CommandApplied, EngineEvent, LogLine, PortsChanged, first_ports
from live_jazz.engine.external_clock import ClockSender
from live_jazz.engine.generator import Generator
from live_jazz.engine.hearing import Hearing
from live_jazz.engine.recorder import Recorder
from live_jazz.engine.reporter import Reporter
from live_jazz.engine.session import Session
from live_jazz.engine.settings import Settings
from live_jazz.engine.taps import NoteEvents, RecorderTap, Tap
from live_jazz.engine.turns import Turns
from live_jazz.midi_io.ports import ALL_NOTES_OFF, InputQueue, OutputPort, PortChange
from live_jazz.model.bundle import Weights
from live_jazz.music.answer_styles import AnswerPlanner
from live_jazz.music.form import Form
from live_jazz.music.improviser import Improviser
from live_jazz.music.performer import Performer

log = logging.getLogger(__name__)

GENERATE_MARGIN = 0.003
"""No sampling starts when the next deadline is closer than this (seconds)."""
SWITCH_INTERVAL = 0.0001
"""The interpreter's GIL switch interval while the engine runs (seconds): how long the timing
thread may wait for the GIL behind a busy thread when a deadline comes. Threads that compete
for the GIL then trade it more often (its own bursts of work run about half speed against a
busy thread: priming an answer waits for a gap between sends, see turns.PRIME_GAP)."""
IDLE_SECONDS = 0.25
"""Longest sleep of the loop (commands and input wake it at once anyway)."""
INPUT_READ_SECONDS = 0.01
"""Longest sleep while playing or following a clock, when the input is read by the loop itself
(a polled input port, JACK's): how late a played note can be heard (its time is exact)."""
BEAT = TICKS_PER_BEAT


class Engine:
    """The instrument: implements ``EngineHandle``.

    ``port`` is where the music goes; ``input_queue`` (optional) is filled by the input port's
    callback; ``recorder`` (optional) records the session. ``clock`` defaults to the system
    clock. ``keep_errors`` keeps every message's dispatch error (benchmarks); ``send_clock``
    makes it a MIDI clock master; ``sync="external"`` makes it follow one on the input (its
    beat source is then a ``FollowedBeat``); ``on_close`` is called last by ``close`` (closing
    the input port).
    """

    def __init__(
        self,
        config: EngineConfig,
        weights: Weights,
        port: OutputPort,
        *,
        clock: Clock | None = None,
        input_queue: InputQueue | None = None,
        recorder: Recorder | None = None,
        ports: PortsChanged | None = None,
        keep_errors: bool = False,
        send_clock: bool = False,
        sync: str = "internal",
        on_close: Callable[[], None] | None = None,
        controls: ControlMap | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.input_queue = input_queue
        self.recorder = recorder
        self._on_close = on_close
        self._subscribers: list[Callable[[EngineEvent], None]] = []
        self._commands: queue.SimpleQueue[tuple[object, str | None]] = queue.SimpleQueue()
        """(command, the instrument's control that gave it or None): the one way in."""
        self._wake = threading.Event()
        if input_queue is not None:
            input_queue.on_put = self._wake.set
        self._thread: threading.Thread | None = None
        self._running = False
        self._closed = False
        self._close_lock = threading.Lock()
        self.error: BaseException | None = None
        """What stopped the timing thread, if it died."""
        self.settings = Settings(config, weights.feel.swing_at if weights.feel else None)
        """The settings in force, built first: the session changes them, the rooms read them."""
        beat_source = FollowedBeat if sync == "external" else InternalBeat
        self.beat: BeatSource = beat_source(config.tempo, config.swing)
        """Ticks <-> seconds and the tempo in force: the player's, or an external master's."""
        planner = self._build_music(config, weights)
        self._build_output(config, port, keep_errors, send_clock)
        self._build_rooms(planner)
        self.session = Session(self.settings, self.beat, self.generator, self.turns,
                               self.dispatcher, port, self.taps,
                               first_ports(port.name, recorder and str(recorder.path), ports),
                               self.clock.now, self._emit,
                               self.clock_sender, controls)
        session = self.session
        self.taps.append(NoteEvents(self._emit, self.buffer, self.beat, lambda: session.origin))
        self.reporter = Reporter(session, self.dispatcher, self._emit)
        self._switch_interval: float | None = None

    def _build_music(self, config: EngineConfig, weights: Weights) -> AnswerPlanner:
        """The form, the improviser, its performer and the buffer; returns the answers' planner."""
        self.form = Form(config.progression)
        # The form answers chord_at for session ticks across progressions: the improviser
        # decodes and encodes over it.
        rng = np.random.default_rng(config.seed)
        self.improviser = Improviser(weights, self.form, rng, meter=self.form,
                                     tempo=config.tempo,
                                     temperature=config.temperature, top_p=config.top_p,
                                     velocity=config.velocity)
        self.buffer = EventBuffer()
        planner = AnswerPlanner(weights.vocabulary, np.random.default_rng(rng.integers(2**63)))
        self.performer = Performer(weights.feel, np.random.default_rng(rng.integers(2**63)),
                                   grid=config.feel == "grid")  # each note's time, loudness
        return planner

    def _build_output(self, config: EngineConfig, port: OutputPort, keep_errors: bool,
                      send_clock: bool) -> None:
        """The dispatcher into ``port`` (All Notes Off first when it is back); a master's clock."""
        resets = [mido.Message("control_change", channel=channel, control=ALL_NOTES_OFF)
                  for channel in sorted({config.solo_channel, config.comp_channel})]
        self.dispatcher = Dispatcher(port, self.clock, self.buffer, self.beat.time_of_played,
                                     config.velocity, keep_errors, resets)
        self.clock_sender = ClockSender() if send_clock else None  # MIDI clock, Start, Stop

    def _build_rooms(self, planner: AnswerPlanner) -> None:
        """The look-ahead filler, the hearing, the turn-taking and the recording's tap."""
        now = self.clock.now
        self.generator = Generator(self.improviser, self.buffer, self.form, self.beat.swung,
                                   self.settings, now, self._emit, self.clock_sender,
                                   self.performer)
        self.hearing = Hearing(self.input_queue, self.beat, now)
        self.turns = Turns(self.generator, self.hearing, self.beat, now,
                           self.dispatcher.next_deadline, planner, self.settings, self._emit)
        self.taps: list[Tap] = [] if self.recorder is None else [
            RecorderTap(self.recorder, self.beat, self._emit)]

    # -- EngineHandle ---------------------------------------------------------------------------

    @property
    def config(self) -> EngineConfig:
        return self.session.config

    @property
    def port(self) -> OutputPort:
        """The output the music goes to (the session may switch it)."""
        return self.session.port

    @property
    def recording_error(self) -> str | None:
        return None if self.recorder is None else self.recorder.error

    @property
    def playing(self) -> bool:
        """Whether the music plays."""
        return self.session.playing

    def subscribe(self, subscriber: Callable[[EngineEvent], None]) -> None:
        self._subscribers.append(subscriber)

    def submit(self, command: cmd.EngineCommand) -> None:
        self._commands.put((command, None))
        self._wake.set()

    @property
    def halted(self) -> str | None:
        """Why nothing can be played any more (a ``Halt`` was applied); None while it can."""
        return self.session.halted

    def port_changed(self, change: PortChange) -> None:
        """A port watcher saw a port vanish or return (any thread; returns at once)."""
        self._commands.put((change, None))
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._running = True
        # A thread waiting for the GIL gets it after at most the switch interval (5 ms by
        # default): the timing thread must not wait that long behind a busy thread.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._emit(self.session.ports)
        self.reporter.transport()
        self._thread = threading.Thread(target=self._run, name="live-jazz engine", daemon=True)
        self._thread.start()

    def close(self) -> Path | None:
        with self._close_lock:
            if self._closed:
                return self.recorder.path if self.recorder and not self.recorder.error else None
            self._closed = True
        self._running = False
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        path = self._shutdown()
        if self._on_close is not None:
            self._on_close()
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
        return path

    # -- driving --------------------------------------------------------------------------------

    def run_until(self, time: float) -> None:
        """Run the loop in this thread until clock time ``time`` (tests, on a FakeClock)."""
        while self.clock.now() < time:
            self._iterate(time)
        self._iterate(time)

    def _run(self) -> None:
        self._emit(LogLine("info", f"timing thread: {realtime_priority()}"))
        try:
            while self._running:
                self._iterate(math.inf)
        except BaseException as error:  # the thread must die cleanly whatever happened
            self.error = error
            log.exception("engine stopped by an error")
            self._emit(LogLine("error", f"engine stopped: {error!r}"))
            self.session.silence()

    def _iterate(self, limit: float) -> None:
        session = self.session
        self._send_due()
        self._apply_commands()
        self._hear()
        self._apply_commands()  # what the instrument's controls gave
        if session.playing:
            self.beat.steer(self.clock.now(), session.origin)
            self._housekeeping()
            self._generate()
            self._send_due()
        longest = IDLE_SECONDS
        if (self.input_queue is not None and self.input_queue.polled
                and (session.playing or self.beat.follows)):
            longest = INPUT_READ_SECONDS
        wake = min(limit, self._next_wake(), self.clock.now() + longest)
        self.clock.sleep_until(wake, self._wake)

    def _send_due(self) -> None:
        if self.beat.started:
            for item in self.dispatcher.send_due():
                self._sent(item)

    def _next_wake(self) -> float:
        if not self.beat.started or not self.session.playing:
            return math.inf
        deadline = self.dispatcher.next_deadline()
        now = self.clock.now()
        times = [self.beat.time_of_beat(self.session.next_beat), math.inf if deadline is None
                 else deadline]
        if self.generator.needs(self._horizon(now), self.turns.span) and (deadline is None
                                            or deadline - GENERATE_MARGIN > now):
            times.append(now)
        times.append(self.turns.wake(now))
        return min(times)

    # -- the phases -----------------------------------------------------------------------------

    def _apply_commands(self) -> None:
        while not self._commands.empty():  # the loop is the one reader
            self._apply(*self._commands.get_nowait())

    def _apply(self, command: object, control: str | None) -> None:
        """One command, from the UI, a port watcher or the instrument's ``control``: applied or
        refused (said), then the settings in force go back to every subscriber."""
        before = self.session.config
        refused = None
        try:
            self.session.apply(command)
        except (ConfigError, ValueError) as error:
            refused = str(error)
            self._emit(LogLine("warning", f"{cmd.describe(command)} refused: {error}"))
        self.reporter.transport()
        config = self.session.config
        change = describe_changes(before, config) if control is not None else ""
        if change:
            self._emit(LogLine("info", f"{control}: {change}"))
        self._emit(CommandApplied(command, config, refused))

    def _control(self, message: mido.Message) -> bool:
        """Whether ``message`` is one of the instrument's controls; the command it gives joins
        the queue (applied this time round, after the hearing, as the UI's are)."""
        return self.session.control(message, lambda command, control:
                                    self._commands.put((command, control)))

    def _follow(self, message: mido.Message, time: float) -> None:
        """A clock master's message, to the session at once; a start or stop is reported."""
        playing = self.session.playing
        self.session.follow(message, time)
        if self.session.playing != playing:
            self.reporter.transport()

    def _hear(self) -> None:
        events = self.hearing.drain(self._follow, self._control)
        if self.input_queue is not None:
            for text in self.input_queue.take_reports():  # what the input lost
                self._emit(LogLine("warning", text))
        for event in self.hearing.due(events, self.beat.started and self.session.playing):
            heard = self.hearing.place(event)
            self.turns.heard(heard)
            for tap in self.taps:
                tap.heard(heard)

    def _housekeeping(self) -> None:
        now = self.clock.now()
        self.turns.take()
        session = self.session
        if now >= self.beat.time_of_beat(session.next_beat):
            while now >= self.beat.time_of_beat(session.next_beat):
                session.next_beat += 1
            self.reporter.on_beat()
            for tap in self.taps:
                tap.beat(self.clock.now())

    def _horizon(self, now: float) -> float:
        return self.beat.straight_tick_at(now) + self.session.config.lookahead_beats * BEAT

    def _generate(self) -> None:
        """Fill the buffer up to the look-ahead, improviser steps only while there is time."""
        now = self.clock.now()
        deadline = self.dispatcher.next_deadline()
        budget = math.inf if deadline is None else deadline - GENERATE_MARGIN
        self.improviser.set_tempo(self.beat.bpm)  # the model is told the tempo in force
        self.generator.fill(self._horizon(now), budget, self.turns.span)

    def _sent(self, item: Scheduled) -> None:
        """The dispatcher sent ``item``: published to the turn-taking and the taps."""
        message = item.message
        if message.type not in ("note_on", "note_off"):
            return
        if item.voice == "improviser" and message.type == "note_on" and message.velocity > 0:
            self.turns.sounded(item)
            self.generator.sounded(item.tick)
        for tap in self.taps:
            tap.sent(item)

    # -- events and the end ---------------------------------------------------------------------

    def _emit(self, event: EngineEvent) -> None:
        for subscriber in self._subscribers:
            try:
                subscriber(event)
            except Exception:  # a subscriber's bug must not stop the music
                log.exception("engine subscriber failed on %s", type(event).__name__)

    def _shutdown(self) -> Path | None:
        """Stop (note-offs, All Notes Off, MIDI Stop), close the port, write the recording."""
        session = self.session
        try:
            if session.playing:
                session.stop()
            else:
                session.silence()
        finally:
            self.port.close()
            path = None
            played = self.beat.played_tick_at(self.clock.now()) if self.beat.started else None
            for tap in self.taps:
                path = tap.close(played) or path
        self._emit(replace(session.ports, out_port=None))
        return path
