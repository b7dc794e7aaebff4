"""The session: play, stop and the position; the one owner of the live settings; the table from
command to handler.

Live controls take effect within a beat: tempo at once (every waiting message follows the tempo
map), swing from the next beat line, velocity as notes go out, temperature, reset and mode from
the next beat or bar line -- the improviser is rewound to the first of its steps there
(``Generator.rewind``) and the buffer cut, so nothing already buffered plays the old setting for
long. New chords start from the next bar line the same way.

With a ``FollowedBeat`` the master's Start, Continue and Stop play and stop the session, and the
player's Play, Stop and tempo are refused.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import mido

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine import commands as cmd
from live_jazz.engine.beat import BeatSource, FollowedBeat
from live_jazz.engine.buffer import EventBuffer
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.controls import ControlMap, command_for, source_of
from live_jazz.engine.dispatcher import Dispatcher
from live_jazz.engine.events import ControlsChanged, EngineEvent, LogLine, PortsChanged
from live_jazz.engine.external_clock import ClockSender
from live_jazz.engine.generator import Generator
from live_jazz.engine.settings import Settings
from live_jazz.engine.taps import Tap
from live_jazz.engine.turns import PREPARE_SECONDS, Turns
from live_jazz.midi_io.ports import OutputPort, PortChange
from live_jazz.music.form import next_line


class Refused(ValueError):
    """A command the session cannot take now; the message says why, for the player."""


START_DELAY = 0.1
"""Seconds from Play to the first downbeat: time to fill the buffer."""
BEAT = TICKS_PER_BEAT


class Session:
    """What plays, from where, with which settings. Engine thread only, but ``config``."""

    def __init__(
        self,
        settings: Settings,
        beat: BeatSource,
        generator: Generator,
        turns: Turns,
        dispatcher: Dispatcher,
        port: OutputPort,
        taps: list[Tap],
        ports: PortsChanged,
        now: Callable[[], float],
        emit: Callable[[EngineEvent], None],
        clock_sender: ClockSender | None = None,
        controls: ControlMap | None = None,
    ) -> None:
        self.settings = settings
        """The settings in force: the session is the one that changes them."""
        self.beat = beat
        self.generator = generator
        self.improviser = generator.improviser
        self.form = generator.form
        self.buffer: EventBuffer = generator.buffer
        self.turns = turns
        self.dispatcher = dispatcher
        self.port = port
        self.taps = taps
        self.ports = ports
        """Where the music goes and comes from, as last told."""
        self.now = now
        self.emit = emit
        self.clock_sender = clock_sender
        self.playing = False
        self.origin = 0
        """Session tick of the song's top where playing last started (a bar line)."""
        self.next_beat = 0
        """Next beat line (session beats) to announce."""
        self.controls = controls or ControlMap()
        """Knobs, pads and pedals of the input bound to the live controls."""
        self.learning = ""
        """The control the next knob, pad or pedal is bound to ("" when not learning)."""
        self.halted: str | None = None
        """Why nothing can be played any more (``Halt``); None while it can."""
        self.handlers: dict[type, Callable[[Any], None]] = self._handlers()
        """Command type -> handler."""

    def _handlers(self) -> dict[type, Callable[[Any], None]]:
        """The table from command type to handler."""
        return {
            cmd.Play: lambda _: self._play(),
            cmd.Stop: lambda _: self.stop(),
            cmd.SetTempo: self._set_tempo,
            cmd.SetSwing: self._set_swing,
            cmd.SetTemperature: self._set_temperature,
            cmd.SetVelocity: self._set_velocity,
            cmd.SetIntensity: self._set_intensity,
            cmd.SetProgression: self._set_progression,
            cmd.SetMode: self._set_mode,
            # From the next call on.
            cmd.SetAnswerStyle: lambda command: self._set_config(answer_style=command.style),
            cmd.ResetModel: lambda _: self._reset_model(),
            cmd.Panic: lambda _: self._panic(),
            cmd.Halt: self._halt,
            PortChange: self._port_changed,
            cmd.SwitchOutput: self._switch_output,
            cmd.LearnControl: self._learn,
        }

    def apply(self, command: object) -> None:
        """One command from the queue (a ConfigError or ValueError: it is not applied)."""
        if self.beat.follows and isinstance(command, (cmd.Play, cmd.Stop, cmd.SetTempo)):
            raise Refused("following the external MIDI clock: start, stop and tempo come from "
                          "the master")
        handler = self.handlers.get(type(command))
        if handler is None:
            raise ValueError("not a command")
        handler(command)

    @property
    def config(self) -> EngineConfig:
        """The settings in force."""
        return self.settings.config

    def _set_config(self, **changes: object) -> None:
        self.settings.change(**changes)

    def now_tick(self) -> float:
        """The straight session tick sounding now."""
        return self.beat.straight_tick_at(self.now())

    def _next_line(self, every: int) -> int:
        """The first beat or bar line (``every`` ticks) far enough ahead to change things at:
        after the next PREPARE_SECONDS."""
        if not self.beat.started or not self.playing:
            return self.improviser.position
        soon = self.beat.straight_tick_at(self.now() + PREPARE_SECONDS)
        if every == BEAT:
            return next_line(soon, BEAT)
        return self.form.next_bar_line(soon)

    # -- the settings ---------------------------------------------------------------------------

    def _set_tempo(self, command: cmd.SetTempo) -> None:
        self._set_config(tempo=float(command.bpm))
        self.beat.set_tempo(self.now(), command.bpm)
        if self.config.swing_auto:
            self._set_swing(cmd.SetSwing(None))

    def _set_swing(self, command: cmd.SetSwing) -> None:
        players = self.settings.players_swing
        if command.ratio is None:
            ratio = players(self.config.tempo) if players is not None else self.config.swing
            self._set_config(swing=ratio, swing_auto=True)
        else:
            ratio = float(command.ratio)
            self._set_config(swing=ratio, swing_auto=False)
        if not self.beat.started:
            self.beat.set_swing(0, ratio)
            return
        beat = math.floor(self.now_tick() / BEAT) + 1
        self.beat.set_swing(beat, ratio)
        self.buffer.replace(self.beat.swung, beat * BEAT)

    def _set_temperature(self, command: cmd.SetTemperature) -> None:
        self._set_config(temperature=float(command.temperature))
        self.improviser.set_temperature(command.temperature)
        self.generator.rewind(self._next_line(BEAT))

    def _set_velocity(self, command: cmd.SetVelocity) -> None:
        self._set_config(velocity=int(command.velocity))
        self.dispatcher.velocity = command.velocity
        self.improviser.set_velocity(command.velocity)

    def _set_intensity(self, command: cmd.SetIntensity) -> None:
        """From the next note generated on (a beat or two ahead: the generator reads it)."""
        self._set_config(intensity=float(command.intensity))

    def _set_progression(self, command: cmd.SetProgression) -> None:
        """The new progression plays from the next bar line."""
        self._set_config(progression=command.progression)
        if not self.playing:
            return
        tick = self._next_line(self.form.bar_ticks)
        bar = self.form.bar_ticks
        self.generator.rewind(tick)
        self.form.start(self.config.progression, tick)
        self.generator.cut_comping(tick)
        if self.turns.policy is not None and self.form.bar_ticks != bar:
            self._start_mode(tick)  # bars of another length: the turns start again

    def _set_mode(self, command: cmd.SetMode) -> None:
        self._set_config(mode=command.mode)
        if self.playing:
            self._start_mode(self._next_line(self.form.bar_ticks))

    def _start_mode(self, tick: int) -> None:
        config = self.config
        self.turns.start(config.mode, tick, config.trade_bars, config.answer_silence_beats)

    def _reset_model(self) -> None:
        self.generator.rewind(self._next_line(BEAT))
        self.improviser.reset(self.improviser.position)
        self.emit(LogLine("info", "model state reset"))

    def _panic(self) -> None:
        self.port.panic()
        if self.beat.started:
            self._silenced()
        self.emit(LogLine("warning", "panic: all notes off"))

    def _halt(self, command: cmd.Halt) -> None:
        self.halted = command.reason
        self.stop()
        self.emit(LogLine("error", command.reason))

    def _port_changed(self, change: PortChange) -> None:
        self.emit(LogLine("info" if change.connected else "warning", change.text))
        if change.kind == "output":
            self.ports = replace(self.ports,
                                 out_port=self.port.name if change.connected else None)
            self.emit(self.ports)
            if change.connected:
                self.dispatcher.port_back()

    def _switch_output(self, command: cmd.SwitchOutput) -> None:
        old, port = self.port, command.port
        old.all_notes_off(sorted({self.config.solo_channel, self.config.comp_channel}))
        self.port = port
        self.dispatcher.switch_port(port)
        # Closing may wait (a device draining, a JACK cycle): not on the timing thread.
        threading.Thread(target=old.close, name="live-jazz close port", daemon=True).start()
        self.ports = replace(self.ports, out_port=port.name)
        self.emit(self.ports)
        self.emit(LogLine("info", f"output: {port.name}"))

    # -- controls from the instrument -----------------------------------------------------------

    def _learn(self, command: cmd.LearnControl) -> None:
        self.learning = command.target
        if command.target:
            self.emit(LogLine("info", f"learning {command.target}: move a knob, pad or pedal"))

    def control(self, message: mido.Message,
                submit: Callable[[cmd.EngineCommand, str], None]) -> bool:
        """Whether ``message`` is a bound control (or learns one); its command goes to
        ``submit`` with the control's name, to be applied as every command is."""
        if self.learning and (source := source_of(message)) is not None:
            self.controls.bind(self.learning, source)
            self.emit(LogLine("info", f"learned: {self.learning} = {source}"))
            self.emit(ControlsChanged(self.controls.specs()))
            self.learning = ""
            return True
        target = self.controls.match(message)
        if target is None:
            return False
        command = command_for(target, message, self.playing, self.config.mode)
        if command is not None:
            submit(command, str(self.controls.bindings[target]))
        return True

    # -- playing and stopping -------------------------------------------------------------------

    def _play(self) -> None:
        if self.halted is not None:
            self.emit(LogLine("error", self.halted))
            return
        if self.playing:
            return
        now = self.now()
        if not self.beat.started:
            self.beat.start(now + START_DELAY)
            origin = 0
            self.improviser.reset(0)
        else:
            # The clock kept counting while stopped: start on the next bar line.
            soon = self.beat.straight_tick_at(now + START_DELAY)
            origin = next_line(soon, self.form.bar_ticks)
        self._begin(origin)

    def _begin(self, origin: int, song_tick: int = 0) -> None:
        """Play the form from session tick ``origin`` (where the song's top is), from song
        tick ``song_tick`` on."""
        start = origin + song_tick
        self.form.start(self.config.progression, origin)
        self.generator.start(origin, start)
        self.origin = origin
        self.next_beat = math.ceil(start / BEAT)
        self.playing = True
        # Solo plays from where the song is; turns are taken from a bar line.
        solo = self.config.mode == "solo"
        self._start_mode(start if solo else self.form.next_bar_line(start))
        self.emit(LogLine("info", f"playing at {self.beat.bpm:g} BPM, {self.config.mode} mode"))

    def follow(self, message: mido.Message, time: float) -> None:
        """A clock or transport message from the master (a ``FollowedBeat``)."""
        beat = self.beat
        assert isinstance(beat, FollowedBeat)
        event = beat.feed(message, time)
        if event is None:
            return
        if event.kind in ("start", "continue"):
            self.stop()
            first = not beat.started
            session_beat = beat.start_at(event.time)
            if first:
                self.improviser.reset(0)
            song_tick = round(event.beat * BEAT)
            self._begin(session_beat * BEAT - song_tick, song_tick)
        elif event.kind == "stop":
            self.stop()

    def stop(self) -> None:
        if not self.playing:
            return
        self.playing = False
        self.buffer.clear()
        self.generator.stop()
        self.turns.stop()
        self.silence()
        if self.clock_sender is not None:
            self.port.send(self.clock_sender.stop())
        self.emit(LogLine("info", "stopped"))

    def silence(self) -> None:
        """Note-offs for every sounding note and All Notes Off on our channels."""
        config = self.config
        self.port.all_notes_off(sorted({config.solo_channel, config.comp_channel}))
        if self.beat.started:
            self._silenced()

    def _silenced(self) -> None:
        played = self.beat.played_tick_at(self.now())
        for tap in self.taps:
            tap.silenced(played)
