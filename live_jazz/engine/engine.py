"""The real-time engine: one timing thread that sends notes on time, samples ahead, listens,
takes turns and records.

One thread does it all, in this order each time round its loop:

1. send what is due (``Dispatcher``: deadlines from the tempo map and swing, late never burst);
2. apply the commands queued by the UI and the messages queued by the input port's callback;
3. housekeeping on beat lines and turn boundaries (transport and chord events, the answer to
   a call, the recording's rewrite);
4. sample, decode and comp ahead into the buffer (``Generator``), up to ``lookahead_beats`` --
   one step at a time, and only while the next deadline is more than ``GENERATE_MARGIN`` away;
5. sleep until the next deadline (``Clock.sleep_until``: wait on an Event to just before it,
   then spin), woken early by a command or an incoming message.

One thread rather than a generator thread beside a sender: under the GIL a second busy thread
of our own could only delay the sends, and a sampled step (tens of microseconds) fits between
any two deadlines. The same loop runs in tests on a ``FakeClock``, deterministically
(``run_until``).

Live controls take effect within a beat: tempo at once (every waiting message follows the
tempo map), swing from the next beat line, velocity as notes go out, temperature, reset and
mode from the next beat or bar line -- the improviser is rewound to the first of its steps
there (``Generator.rewind``) and the buffer cut, so nothing already buffered plays the old
setting for long. New chords start
from the next bar line the same way.
"""

from __future__ import annotations

import logging
import math
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import mido
import numpy as np

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.engine import commands as cmd
from live_jazz.engine.buffer import EventBuffer, Scheduled
from live_jazz.engine.call_response import Answer, CallDetector, TradeTurns, Turn
from live_jazz.engine.clock import Clock, SystemClock
from live_jazz.engine.config import TEMPO_RANGE, ConfigError, EngineConfig
from live_jazz.engine.dispatcher import Dispatcher
from live_jazz.engine.events import (
    ChordChanged,
    EngineEvent,
    LogLine,
    NotePlayed,
    PortsChanged,
    TransportChanged,
)
from live_jazz.engine.external_clock import ClockFollower, ClockSender
from live_jazz.engine.generator import Generator, Span
from live_jazz.engine.improviser import Improviser
from live_jazz.engine.listener import MAX_HELD_BEATS, KeyEvent, Listener, quantize
from live_jazz.engine.recorder import Recorder
from live_jazz.engine.transport import Form, Transport
from live_jazz.midi_io.ports import ALL_NOTES_OFF, InputQueue, OutputPort
from live_jazz.model.bundle import Weights

log = logging.getLogger(__name__)

START_DELAY = 0.1
"""Seconds from Play to the first downbeat: time to fill the buffer."""
PREPARE_SECONDS = 0.03
"""From this long before an answer's bar line the call may be closed and the answer primed and
sampled ..."""
PREPARE_LATEST = 0.008
"""... and it is done by this long before the bar line at the latest."""
PRIME_GAP = 0.006
"""Priming waits (until PREPARE_LATEST) for a moment when no message is due this soon."""
GENERATE_MARGIN = 0.003
"""No sampling starts when the next deadline is closer than this (seconds)."""
SWITCH_INTERVAL = 0.0001
"""The interpreter's GIL switch interval while the engine runs (seconds): how long the timing
thread may wait for the GIL behind a busy thread when a deadline comes. Threads that compete
for the GIL then trade it more often (its own bursts of work run about half speed against a
busy thread: priming an answer waits for a gap between sends, see PRIME_GAP)."""
REALTIME_PRIORITY = 20
"""SCHED_FIFO priority of the timing thread where allowed: above ordinary threads, below
JACK's (which runs its own at 70 and more)."""
TEMPO_EPSILON = 0.05
"""Following an external clock, tempo corrections smaller than this (BPM) are not made: a
steady master then makes few tempo changes (each is a segment of the map and an event in the
recording's tempo track), and the phase error they leave is a fraction of a millisecond."""
CLOCK_TYPES = frozenset({"clock", "start", "continue", "stop", "songpos"})
"""What a MIDI clock master sends."""
IDLE_SECONDS = 0.25
"""Longest sleep of the loop (commands and input wake it at once anyway)."""
INPUT_READ_SECONDS = 0.01
"""Longest sleep while playing or following a clock, when the input is read by the loop itself
(``InputQueue.pull``, a JACK input): how late a played note can be heard (its time is exact)."""
HEARD_KEPT = 4096
"""How many of the human's notes are kept for building calls."""
BEAT = TICKS_PER_BEAT


@dataclass(frozen=True)
class _PortChange:
    """From a port watcher thread, queued for the engine thread."""

    text: str
    connected: bool
    kind: str


class Engine:
    """The instrument: implements ``EngineHandle``.

    ``port`` is where the music goes; ``input_queue`` (optional) is filled by the input port's
    callback; ``recorder`` (optional) records the session. ``clock`` defaults to the system
    clock. ``keep_errors`` keeps every message's dispatch error (benchmarks); ``send_clock``
    makes it a MIDI clock master; ``sync="external"`` makes it follow one on the input;
    ``on_close`` is called last by ``close`` (closing the input port).
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
    ) -> None:
        self._config = config
        self.clock: Clock = clock or SystemClock()
        self.port = port
        self.input_queue = input_queue
        self.recorder = recorder
        self._ports = ports or PortsChanged(port.name, None, "test", "internal", None)
        if recorder is not None:
            recorder.tempo_map = self._tempo_changes
            if self._ports.recording is None:
                self._ports = _with(self._ports, recording=str(recorder.path))
        self._on_close = on_close
        self._listeners: list[Callable[[EngineEvent], None]] = []
        self._commands: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._wake = threading.Event()
        if input_queue is not None:
            input_queue.on_put = self._wake.set
        self._thread: threading.Thread | None = None
        self._running = False
        self._closed = False
        self._close_lock = threading.Lock()
        self.error: BaseException | None = None
        """What stopped the timing thread, if it died."""

        rng = np.random.default_rng(config.seed)
        self.form = Form(config.progression)
        # The form answers chord_at for session ticks across progressions: the improviser
        # decodes and encodes over it.
        self.improviser = Improviser(weights, self.form, rng, meter=self.form,
                                     tempo=config.tempo,
                                     temperature=config.temperature, top_p=config.top_p,
                                     velocity=config.velocity)
        self.buffer = EventBuffer()
        self.transport: Transport | None = None
        self.dispatcher = Dispatcher(port, self.clock, self.buffer, self._deadline,
                                     self._sent, config.velocity, keep_errors)
        self.dispatcher.reset_messages = [
            mido.Message("control_change", channel=channel, control=ALL_NOTES_OFF)
            for channel in sorted({config.solo_channel, config.comp_channel})]
        self.listener = Listener()
        self.follower = ClockFollower() if sync == "external" else None
        """Set with ``sync="external"``: start, stop, position and tempo follow the MIDI clock
        on the input."""
        self._next_tempo_check = 0.0
        self.clock_sender = ClockSender() if send_clock else None
        """Set with ``send_clock``: MIDI clock (24 a beat), Start and Stop go out too."""
        self.generator = Generator(self.improviser, self.buffer, self.form, self._place,
                                   lambda: self._config, self.clock.now, self._emit,
                                   self.clock_sender)

        self.playing = False
        self._play_origin = 0
        """Session tick of the bar line where playing last started."""
        self._turns: TradeTurns | CallDetector | None = None
        self._heard: deque[Note] = deque(maxlen=HEARD_KEPT)
        """The human's notes on the grid (session ticks), in the order they ended."""
        self._next_beat = 0
        """Next beat line (session beats) to announce."""
        self._chord_shown: tuple[int, str] | None = None
        self._late_reported = 0
        self._port_losses = 0
        self._port_returns = 0
        self.answers: list[tuple[Answer, float, float]] = []
        """(answer, clock time the priming began, clock time its start was sampled)."""
        self.first_answer_notes: dict[int, tuple[float, float]] = {}
        """Answer's bar line -> (played tick, clock time sent) of its first note."""
        self._switch_interval: float | None = None

    # -- EngineHandle ---------------------------------------------------------------------------

    @property
    def config(self) -> EngineConfig:
        return self._config

    def subscribe(self, listener: Callable[[EngineEvent], None]) -> None:
        self._listeners.append(listener)

    def submit(self, command: cmd.EngineCommand) -> None:
        self._commands.put(command)
        self._wake.set()

    def port_changed(self, kind: str, text: str, connected: bool) -> None:
        """A port watcher saw a port vanish or return (any thread; returns at once)."""
        self._commands.put(_PortChange(text, connected, kind))
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._running = True
        # A thread waiting for the GIL gets it after at most the switch interval (5 ms by
        # default): the timing thread must not wait that long behind a busy thread.
        self._switch_interval = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_INTERVAL)
        self._emit(self._ports)
        self._emit_transport()
        self._thread = threading.Thread(target=self._run, name="live-jazz engine", daemon=True)
        self._thread.start()

    def close(self) -> Path | None:
        with self._close_lock:
            if self._closed:
                return self.recorder.path if self.recorder else None
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
        self._emit(LogLine("info", f"timing thread: {_realtime_priority()}"))
        try:
            while self._running:
                self._iterate(math.inf)
        except BaseException as error:  # the thread must die cleanly whatever happened
            self.error = error
            log.exception("engine stopped by an error")
            self._emit(LogLine("error", f"engine stopped: {error!r}"))
            self._silence()

    def _iterate(self, limit: float) -> None:
        self._send_due()
        self._apply_commands()
        self._hear()
        if self.playing:
            if self.follower is not None:
                self._follow_tempo(self.clock.now())
            self._housekeeping()
            self._generate()
            self._send_due()
        longest = IDLE_SECONDS
        if (self.input_queue is not None and self.input_queue.pull is not None
                and (self.playing or self.follower is not None)):
            longest = INPUT_READ_SECONDS
        wake = min(limit, self._next_wake(), self.clock.now() + longest)
        self.clock.sleep_until(wake, self._wake)

    def _send_due(self) -> None:
        if self.transport is not None:
            self.dispatcher.send_due()

    # -- time -----------------------------------------------------------------------------------

    def _deadline(self, at: float) -> float:
        assert self.transport is not None
        return self.transport.time_of_beat(at / BEAT)

    def _place(self, tick: float) -> float:
        """Where straight tick ``tick`` is played (swung), in session ticks."""
        assert self.transport is not None
        return self.transport.swung(tick)

    def _now_tick(self) -> float:
        """The straight session tick sounding now."""
        assert self.transport is not None
        return self.transport.straight_tick_at(self.clock.now())

    def _tick_at(self, time: float) -> float:
        assert self.transport is not None
        return self.transport.straight_tick_at(time)

    def _next_wake(self) -> float:
        if self.transport is None or not self.playing:
            return math.inf
        times = [self.transport.time_of_beat(self._next_beat)]
        deadline = self.dispatcher.next_deadline()
        if deadline is not None:
            times.append(deadline)
        now = self.clock.now()
        if self.generator.needs(self._horizon(now)) and (deadline is None
                                            or deadline - GENERATE_MARGIN > now):
            times.append(now)
        times.append(self._turn_wake(now))
        return min(times)

    # -- commands -------------------------------------------------------------------------------

    def _apply_commands(self) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            try:
                self._apply(command)
            except (ConfigError, ValueError) as error:
                self._emit(LogLine("warning", f"ignored {type(command).__name__}: {error}"))

    def _apply(self, command: object) -> None:
        if self.follower is not None and isinstance(command, (cmd.Play, cmd.Stop, cmd.SetTempo)):
            self._emit(LogLine("info", "following the external MIDI clock: start, stop and "
                                       "tempo come from the master"))
        elif isinstance(command, cmd.Play):
            self._play()
        elif isinstance(command, cmd.Stop):
            self._stop()
        elif isinstance(command, cmd.SetTempo):
            self._set_config(tempo=float(command.bpm))
            self.improviser.set_tempo(command.bpm)
            if self.transport is not None:
                self.transport.set_tempo(self.clock.now(), command.bpm)
        elif isinstance(command, cmd.SetSwing):
            self._set_config(swing=float(command.ratio))
            if self.transport is not None:
                beat = math.floor(self._now_tick() / BEAT) + 1
                self.transport.set_swing(beat, command.ratio)
                self.buffer.replace(self._place, beat * BEAT)
        elif isinstance(command, cmd.SetTemperature):
            self._set_config(temperature=float(command.temperature))
            self.improviser.set_temperature(command.temperature)
            self.generator.rewind(self._next_line(BEAT))
        elif isinstance(command, cmd.SetVelocity):
            self._set_config(velocity=int(command.velocity))
            self.dispatcher.velocity = command.velocity
            self.improviser.set_velocity(command.velocity)
        elif isinstance(command, cmd.SetProgression):
            self._set_config(progression=command.progression)
            self._change_progression()
        elif isinstance(command, cmd.SetMode):
            self._set_config(mode=command.mode)
            if self.playing:
                self._start_mode(self._next_line(self.form.bar_ticks))
        elif isinstance(command, cmd.ResetModel):
            self.generator.rewind(self._next_line(BEAT))
            self.improviser.reset(self.improviser.position)
            self._emit(LogLine("info", "model state reset"))
        elif isinstance(command, cmd.Panic):
            self.port.panic()
            if self.recorder is not None and self.transport is not None:
                self.recorder.end_notes(self._now_played())
            self._emit(LogLine("warning", "panic: all notes off"))
        elif isinstance(command, _PortChange):
            self._emit(LogLine("info" if command.connected else "warning", command.text))
            if command.kind == "output":
                self._ports = _with(self._ports,
                                    out_port=self.port.name if command.connected else None)
                self._emit(self._ports)
                if command.connected:
                    self.dispatcher.lost = True  # reset it before the next message
        self._emit_transport()

    def _set_config(self, **changes: object) -> None:
        self._config = self._config.with_changes(**changes)

    def _next_line(self, every: int) -> int:
        """The first beat or bar line (``every`` ticks) far enough ahead to change things at:
        after the next PREPARE_SECONDS."""
        if self.transport is None or not self.playing:
            return self.improviser.position
        soon = self._tick_at(self.clock.now() + PREPARE_SECONDS)
        if every == BEAT:
            return math.ceil(soon / BEAT - 1e-9) * BEAT
        return self.form.bar_line_after(soon)

    # -- transport ------------------------------------------------------------------------------

    def _play(self) -> None:
        if self.playing:
            return
        now = self.clock.now()
        if self.transport is None:
            config = self._config
            self.transport = Transport(now + START_DELAY, config.tempo, config.swing)
            origin = 0
            self.improviser.reset(0)
        else:
            # The clock kept counting while stopped: start on the next bar line.
            soon = self._tick_at(now + START_DELAY)
            bar = self.form.bar_ticks
            origin = math.ceil(soon / bar - 1e-9) * bar
        self._begin(origin)

    def _begin(self, origin: int, song_tick: int = 0) -> None:
        """Play the form from session tick ``origin`` (where the song's top is), from song
        tick ``song_tick`` on."""
        start = origin + song_tick
        self.form.start(self._config.progression, origin)
        self.generator.start(origin, start)
        self._play_origin = origin
        self._next_beat = math.ceil(start / BEAT)
        self.playing = True
        # Solo plays from where the song is; turns are taken from a bar line.
        solo = self._config.mode == "solo"
        self._start_mode(start if solo else self.form.bar_line_after(start))
        assert self.transport is not None
        self._emit(LogLine("info", f"playing at {self.transport.bpm:g} BPM, "
                                   f"{self._config.mode} mode"))

    # -- following an external clock ------------------------------------------------------------

    def _follow(self, message: mido.Message, time: float) -> None:
        """A clock or transport message from the master (``--sync external``)."""
        assert self.follower is not None
        event = self.follower.feed(message, time)
        if event is None:
            return
        if event.kind in ("start", "continue"):
            self._stop()
            self._external_play(event.time, event.beat)
        elif event.kind == "stop":
            self._stop()

    def _external_play(self, time: float, song_beat: float) -> None:
        """The master plays from ``song_beat`` at clock second ``time``."""
        assert self.follower is not None
        low, high = TEMPO_RANGE
        bpm = min(high, max(low, self.follower.bpm or self._config.tempo))
        if self.transport is None:
            self.transport = Transport(time, bpm, self._config.swing)
            self.improviser.reset(0)
            session_beat = 0
        else:
            session_beat = math.ceil(self.transport.beat_at(time) - 1e-9)
            self.transport.tempo.jump(time, session_beat, bpm)
        song_tick = round(song_beat * BEAT)
        self._begin(session_beat * BEAT - song_tick, song_tick)
        self._next_tempo_check = time

    def _follow_tempo(self, now: float) -> None:
        """Steer the tempo onto the master's (a few times a beat)."""
        assert self.follower is not None and self.transport is not None
        if now < self._next_tempo_check or not self.follower.running:
            return
        song_beat = self.transport.beat_at(now) - self._play_origin / BEAT
        bpm = self.follower.tempo_to_follow(song_beat, now)
        if bpm is not None and abs(bpm - self.transport.bpm) > TEMPO_EPSILON:
            self.transport.set_tempo(now, bpm)
            self.improviser.set_tempo(bpm)
        self._next_tempo_check = now + self.transport.seconds_per_beat / 4

    def _stop(self) -> None:
        if not self.playing:
            return
        self.playing = False
        self.buffer.clear()
        self.generator.stop()
        self._silence()
        if self.clock_sender is not None:
            self.port.send(self.clock_sender.stop())
        self._emit(LogLine("info", "stopped"))

    def _silence(self) -> None:
        """Note-offs for every sounding note and All Notes Off on our channels."""
        config = self._config
        self.port.all_notes_off(sorted({config.solo_channel, config.comp_channel}))
        if self.recorder is not None and self.transport is not None:
            self.recorder.end_notes(self._now_played())

    def _now_played(self) -> float:
        assert self.transport is not None
        return self.transport.beat_at(self.clock.now()) * BEAT

    def _tempo_changes(self) -> list[tuple[float, float]]:
        """(played beat, bpm) of the tempo map: what the recording's tempo track holds."""
        if self.transport is None:
            return [(0.0, self._config.tempo)]
        return self.transport.tempo.changes_in_beats()

    def _change_progression(self) -> None:
        """The progression in the config plays from the next bar line."""
        if not self.playing:
            return
        tick = self._next_line(self.form.bar_ticks)
        bar = self.form.bar_ticks
        self.generator.rewind(tick)
        self.form.start(self._config.progression, tick)
        self.buffer.cut("comping", tick, self._place(tick))
        self.generator.comp_until = min(self.generator.comp_until, tick)
        if self._turns is not None and self.form.bar_ticks != bar:
            self._start_mode(tick)  # bars of another length: the turns start again

    # -- modes and turns ------------------------------------------------------------------------

    def _start_mode(self, tick: int) -> None:
        """Play the mode in the config from ``tick`` on (a bar line, but in solo mode)."""
        mode = self._config.mode
        bar = self.form.bar_ticks
        generator = self.generator
        if mode == "solo":
            self._turns = None
            span = generator.span
            if span is None or span.end <= tick:
                generator.rewind(tick)
                generator.span = Span(tick, math.inf)
            else:
                generator.span = Span(span.start, math.inf, span.answer)
            return
        generator.end_span(tick)
        if mode == "trade":
            self._turns = TradeTurns(tick, self._config.trade_bars, bar)
        else:
            self._turns = CallDetector(self._config.answer_silence_beats * BEAT, bar, tick)

    def turn_at(self, tick: float) -> Turn:
        """Who plays at session tick ``tick``."""
        if self._turns is None:
            return "solo"
        span = self.generator.span
        if span is not None and span.answer is not None and span.start <= tick < span.end:
            return "answering"
        return self._turns.turn_at(tick)

    def _turn_deadline(self) -> float:
        """Clock time of the next turn decision (answer's bar line, or end of a call's
        silence), or inf."""
        assert self.transport is not None
        turns = self._turns
        if isinstance(turns, TradeTurns):
            boundary = self._next_answer_boundary()
            return self.transport.time_of(boundary) if boundary is not None else math.inf
        if isinstance(turns, CallDetector):
            end = turns.silence_end()
            if end is not None and not self.listener.sounding:
                return self.transport.time_of(end)
        return math.inf

    def _next_answer_boundary(self) -> int | None:
        turns = self._turns
        assert isinstance(turns, TradeTurns)
        now = self._now_tick()
        boundary = turns.next_change(now)
        if turns.turn_at(boundary) != "answering":
            boundary = turns.next_change(boundary)
        span = self.generator.span
        if span is not None and span.start >= boundary:
            return None  # already prepared
        return boundary

    def _take_turns(self) -> None:
        """Close a call and prime its answer, between PREPARE_SECONDS and PREPARE_LATEST
        before its bar line, at a moment when no message is due for PRIME_GAP."""
        assert self.transport is not None
        now = self.clock.now()
        decision = self._turn_deadline()
        if now < decision - PREPARE_SECONDS:
            return
        deadline = self.dispatcher.next_deadline()
        if now < decision - PREPARE_LATEST and deadline is not None \
                and deadline - now < PRIME_GAP:
            return  # after the next send
        # A thousandth of a tick of slack: the decision time was computed from the same tick.
        soon = self._tick_at(now + PREPARE_SECONDS) + 1e-3
        turns = self._turns
        answer: Answer | None = None
        if isinstance(turns, TradeTurns):
            boundary = self._next_answer_boundary()
            if boundary is not None and soon >= boundary:
                answer = turns.answer_at(boundary)
        elif isinstance(turns, CallDetector):
            answer = turns.poll(soon, self.listener.sounding)
        if answer is not None:
            self._answer(answer)

    def _turn_wake(self, now: float) -> float:
        """When the loop must look at the turns next."""
        decision = self._turn_deadline()
        if now < decision - PREPARE_SECONDS:
            return decision - PREPARE_SECONDS
        return decision - PREPARE_LATEST  # waiting for a gap between sends, at the latest

    def _answer(self, answer: Answer) -> None:
        """Hear the call, then play from the answer's bar line."""
        began = self.clock.now()
        notes = self._call_notes(answer.call_start, answer.call_end)
        self.improviser.listen(notes, answer.call_start)
        self.improviser.move_to(answer.start)
        self.generator.heard()
        self.generator.span = Span(answer.start, answer.end, answer)
        self.generator.play(answer.start + 1)
        self.answers.append((answer, began, self.clock.now()))

    def _call_notes(self, start: int, end: int) -> list[Note]:
        """The human's notes of a call, keys still down included, cut at its end (only the
        latest notes are looked at: the kept ones go back a long way)."""
        assert self.transport is not None
        notes = [quantize(note, self.transport.snap)
                 for note in self.listener.held(self.clock.now())]
        for note in reversed(self._heard):
            if note.onset < start - MAX_HELD_BEATS * BEAT:
                break
            notes.append(note)
        return sorted((Note(n.onset, min(n.duration, end - n.onset), n.pitch, n.velocity)
                       for n in notes if start <= n.onset < end),
                      key=lambda n: (n.onset, n.pitch))

    # -- hearing --------------------------------------------------------------------------------

    def _hear(self) -> None:
        if self.input_queue is None:
            return
        events: list[KeyEvent] = []
        for time, message in self.input_queue.drain():
            if self.follower is not None and message.type in CLOCK_TYPES:
                self._follow(message, time)
            else:
                events += self.listener.feed(time, message)
        if self.transport is not None:
            events += self.listener.expire(self.clock.now(),
                                           self.transport.seconds_per_beat)
        if self.transport is not None and self.playing:
            for event in events:
                self._heard_key(event)

    def _heard_key(self, event: KeyEvent) -> None:
        assert self.transport is not None
        message = event.message
        played = self.transport.beat_at(event.time) * BEAT
        tick = self.transport.snap(event.time)
        detector = self._turns if isinstance(self._turns, CallDetector) else None
        if message.type == "note_on":
            if self.recorder is not None:
                self.recorder.note_on("human", played, message.note, message.velocity,
                                      message.channel)
            if detector is not None:
                detector.press(tick)
            return
        if self.recorder is not None:
            self.recorder.note_off("human", played, message.note, message.channel)
        if event.note is not None:
            self._heard.append(quantize(event.note, self.transport.snap))
            if detector is not None:
                detector.release(tick)
            onset = self.transport.beat_at(event.note.onset)
            self._emit(NotePlayed("human", event.note.pitch, event.note.velocity,
                                  onset - self._play_origin / BEAT, played / BEAT - onset))

    # -- housekeeping ---------------------------------------------------------------------------

    def _housekeeping(self) -> None:
        assert self.transport is not None
        now = self.clock.now()
        if self._turns is not None:
            self._take_turns()
        if now >= self.transport.time_of_beat(self._next_beat):
            while now >= self.transport.time_of_beat(self._next_beat):
                self._next_beat += 1
            self._on_beat()

    def _on_beat(self) -> None:
        self._report_trouble()
        self._emit_transport()
        tick = int(self._now_tick())
        bar, _ = self.form.bar_at(tick)
        chord = self.form.chord_at(tick)
        if self._chord_shown != (bar, chord.symbol):
            self._chord_shown = (bar, chord.symbol)
            change = self.form.next_change_after(tick)
            following = change[1].symbol if change is not None else chord.symbol
            self._emit(ChordChanged(bar, chord.symbol, following))
        if self.recorder is not None:
            self.recorder.snapshot(self.clock.now())

    def _report_trouble(self) -> None:
        """Once a beat at most: late events since the last report, and whether the port
        takes what is sent (a lost port is played on into the recording)."""
        stats = self.dispatcher.stats
        if stats.late > self._late_reported:
            self._emit(LogLine("warning", f"{stats.late - self._late_reported} late event(s) "
                                          f"(worst so far {stats.worst_late * 1000:.1f} ms, "
                                          f"{stats.dropped} dropped)"))
            self._late_reported = stats.late
        if stats.losses > self._port_losses:
            self._emit(LogLine("warning", f"MIDI output {self.port.name!r} is not taking "
                                          "messages: playing on into the recording"))
        if stats.returns > self._port_returns:
            self._emit(LogLine("info", f"MIDI output {self.port.name!r} takes messages again "
                                       "(All Notes Off sent first)"))
        self._port_losses, self._port_returns = stats.losses, stats.returns

    def _emit_transport(self) -> None:
        late = self.dispatcher.stats.late
        if self.transport is None or not self.playing:
            self._emit(TransportChanged(False, 0, 0.0, self._config, "solo", None, late))
            return
        tick = self._now_tick()
        beats = max(0.0, (tick - self._play_origin) / BEAT)
        bar, beat = divmod(beats, self.form.bar_ticks // BEAT)
        self._emit(TransportChanged(True, int(bar), float(beat), self._config,
                                    self.turn_at(tick), self._beats_left(tick), late))

    def _beats_left(self, tick: float) -> float | None:
        turns = self._turns
        if turns is None:
            return None
        span = self.generator.span
        if span is not None and span.start <= tick < span.end:
            return (span.end - tick) / BEAT
        if isinstance(turns, TradeTurns):
            return (turns.next_change(tick) - tick) / BEAT
        end = turns.silence_end()
        return None if end is None else max(0.0, (end - tick) / BEAT)

    # -- generating -----------------------------------------------------------------------------

    def _horizon(self, now: float) -> float:
        return self._tick_at(now) + self._config.lookahead_beats * BEAT

    def _generate(self) -> None:
        """Fill the buffer up to the look-ahead, improviser steps only while there is time."""
        now = self.clock.now()
        deadline = self.dispatcher.next_deadline()
        budget = math.inf if deadline is None else deadline - GENERATE_MARGIN
        self.generator.fill(self._horizon(now), budget)

    # -- sent -----------------------------------------------------------------------------------

    def _sent(self, item: Scheduled, due: float) -> None:
        """The dispatcher sent ``item`` (due at clock time ``due``)."""
        message = item.message
        if message.type not in ("note_on", "note_off"):
            return
        track = "improviser" if item.voice == "improviser" else "chords"
        recorder = self.recorder
        if message.type == "note_on" and message.velocity > 0:
            if recorder is not None:
                recorder.note_on(track, item.at, message.note, message.velocity, message.channel)
            if item.voice == "improviser":
                span = self.generator.span
                if span is not None and span.answer is not None \
                        and span.start not in self.first_answer_notes:
                    self.first_answer_notes[span.start] = (item.at, self.clock.now())
                self.generator.sounded(item.tick)
                end = self.buffer.note_off_at(item.note_id) if item.note_id else None
                length = 0.0 if end is None else (end - item.at) / BEAT
                self._emit(NotePlayed("improviser", message.note, message.velocity,
                                      (item.at - self._play_origin) / BEAT, length))
            return
        if recorder is not None:
            recorder.note_off(track, item.at, message.note, message.channel)

    # -- events and the end ---------------------------------------------------------------------

    def _emit(self, event: EngineEvent) -> None:
        for listener in self._listeners:
            try:
                listener(event)
            except Exception:  # a listener's bug must not stop the music
                log.exception("engine listener failed on %s", type(event).__name__)

    def _shutdown(self) -> Path | None:
        """Stop (note-offs, All Notes Off, MIDI Stop), close the port, write the recording."""
        try:
            if self.playing:
                self._stop()
            else:
                self._silence()
        finally:
            self.port.close()
            path = None
            if self.recorder is not None:
                tick = self._now_played() if self.transport is not None else None
                path = self.recorder.close(tick)
        self._emit(_with(self._ports, out_port=None))
        return path


def _realtime_priority() -> str:
    """Ask the OS to run the calling thread before ordinary ones (SCHED_FIFO, as JACK's own
    threads run), so a busy machine cannot preempt it for a whole time slice. Where that is not
    allowed it runs as it is; returns which."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(REALTIME_PRIORITY))
    except (AttributeError, OSError) as error:  # not Linux, or no permission (rtprio limit)
        log.debug("no real-time priority for the timing thread: %s", error)
        return "normal priority (real-time scheduling not permitted)"
    return f"real-time priority (SCHED_FIFO {REALTIME_PRIORITY})"


def _with(ports: PortsChanged, **changes: object) -> PortsChanged:
    return replace(ports, **changes)  # type: ignore[arg-type]
