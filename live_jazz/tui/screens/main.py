"""The main screen: every panel, the controls, and the handlers of the engine's messages."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header

from live_jazz.engine.commands import LearnControl, SwitchOutput
from live_jazz.engine.controls import TARGETS
from live_jazz.engine.events import LogLine
from live_jazz.theory import Progression
from live_jazz.tui.bindings import main_bindings
from live_jazz.tui.bridge import FLUSH_INTERVAL_S, EngineBridge
from live_jazz.tui.collector import Collector
from live_jazz.tui.controller import Controller
from live_jazz.tui.messages import (
    AudioHeard,
    ChordUpdated,
    CommandDone,
    ControlsUpdated,
    EngineReady,
    LogLines,
    ModelSteps,
    NotesPlayed,
    PortsUpdated,
    TransportUpdated,
)
from live_jazz.tui.microphone import Microphone
from live_jazz.tui.outputs import Outputs
from live_jazz.tui.screens.chord_editor import ChordEditor
from live_jazz.tui.screens.help import HelpScreen
from live_jazz.tui.screens.learn import LearnScreen
from live_jazz.tui.screens.ports import PortScreen
from live_jazz.tui.widgets import (
    HearingMeter,
    LogPane,
    ModelPlot,
    PianoRoll,
    ProgressionView,
    StatusBar,
    TransportBar,
)


class MainScreen(Screen):
    """What the musician looks at while playing."""

    BINDINGS = main_bindings()
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    """Under 30 rows (80x24) the title row goes and the lower panels shrink: the roll keeps
    room to be read."""

    LISTENERS_CHECK_S = 2.0
    """How often to ask whether anything listens to the output."""

    def __init__(self, controller: Controller, outputs: Outputs | None = None,
                 microphone: Microphone | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.outputs = outputs
        """The outputs to offer (None: no port screen, e.g. ``--midi-api test``)."""
        self.microphone = microphone
        """The microphone (``--audio-in``), or None."""
        self.out_port: str | None = None
        """The output in use, as the engine last said."""
        self.bridge = EngineBridge(self, microphone)
        """Subscribe this to the engine: it posts the engine's events to this screen."""
        self._position = 0.0
        """Beats from the start of playing at the last transport report."""
        self._position_time = 0.0
        """When that report arrived (monotonic seconds)."""
        self._engine_playing = False
        """Whether the transport ran at the last report."""
        self.collector = Collector()
        """Holds off Python's full garbage collections while the music plays."""
        self.clock: Callable[[], float] = time.monotonic
        """Seconds for tap tempo (tests give their own: a loaded machine's key presses may
        lie seconds apart)."""

    def compose(self) -> ComposeResult:
        config = self.controller.config
        yield Header(show_clock=False)
        if self.microphone is None:
            yield StatusBar(id="status")
        else:
            with Horizontal(id="status-row"):
                yield StatusBar(id="status")
                yield HearingMeter(id="hearing")
        yield TransportBar(config, id="transport")
        yield ProgressionView(config.progression, id="progression")
        yield PianoRoll(config.progression.beats_per_bar, id="roll")
        with Horizontal(id="lower"):
            yield ModelPlot(id="model")
            with Vertical(id="log-box"):
                yield LogPane(id="log")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#roll", PianoRoll).border_title = (
            "last bars · [bold yellow]you[/] / [bold cyan]improviser[/]"
        )
        self.query_one("#model", ModelPlot).border_title = "model"
        self.query_one("#log-box").border_title = "log"
        self.query_one("#progression", ProgressionView).border_title = (
            self.controller.config.progression.name or "progression"
        )
        self.set_interval(FLUSH_INTERVAL_S, self._tick, name="flush engine events")
        if self.outputs is not None:
            self.set_interval(self.LISTENERS_CHECK_S, self._check_listeners,
                              name="anyone listening?")

    def on_unmount(self) -> None:
        self.collector.restore()

    def _tick(self) -> None:
        """30 times a second: drain the batched engine events and scroll the roll."""
        self.bridge.flush()
        if self.controller.playing:
            transport = self.query_one("#transport", TransportBar)
            elapsed_beats = (time.monotonic() - self._position_time) * transport.bpm / 60
            # Between the engine's beat reports the roll moves on at the tempo, but never more
            # than a beat past the last report (a stalled engine does not run away).
            self.query_one("#roll", PianoRoll).show_until(self._position + min(elapsed_beats, 1.0),
                                                         transport.config.progression.beats_per_bar)

    # -- what the engine says ---------------------------------------------------------------

    def on_transport_updated(self, message: TransportUpdated) -> None:
        transport = message.transport
        beats_per_bar = transport.config.progression.beats_per_bar
        roll = self.query_one("#roll", PianoRoll)
        if transport.playing and not self._engine_playing:
            roll.restart_marks()  # the chords' and the position's part of a new start
        self._engine_playing = transport.playing
        self.collector.transport(transport.playing)
        self.controller.engine_reported(transport.playing, transport.config)
        self._position = transport.bar * beats_per_bar + transport.beat
        self._position_time = time.monotonic()
        roll.show_until(self._position, beats_per_bar)
        self.query_one("#transport", TransportBar).show_transport(transport,
                                                                   self.controller.config)
        self._show_progression(self.controller.config.progression)
        if not transport.playing:
            self.query_one("#progression", ProgressionView).show_bar(None)

    def on_command_done(self, message: CommandDone) -> None:
        self.controller.applied(message.applied)
        self.query_one("#transport", TransportBar).show_settings(self.controller.config,
                                                                  self.controller.playing)
        self._show_progression(self.controller.config.progression)

    def on_chord_updated(self, message: ChordUpdated) -> None:
        chord = message.chord
        self.query_one("#progression", ProgressionView).show_bar(chord.bar, chord.current,
                                                                  chord.next)
        self.query_one("#transport", TransportBar).show_form_bar(chord.bar)
        # The engine reports a change on the beat it happens, after that beat's transport.
        self.query_one("#roll", PianoRoll).mark_chord(self._position, chord.current)

    def on_ports_updated(self, message: PortsUpdated) -> None:
        self.out_port = message.ports.out_port
        self.query_one("#status", StatusBar).show_ports(message.ports)
        self._check_listeners()

    @work(thread=True, exclusive=True, group="listeners")
    def _check_listeners(self) -> None:
        """(Worker thread.) Say so in the status line when nothing listens to the output."""
        if self.outputs is None or self.out_port is None:
            return
        unheard = self.outputs.listeners(self.out_port) == 0
        self.app.call_from_thread(self.query_one("#status", StatusBar).show_unheard, unheard)

    def on_notes_played(self, message: NotesPlayed) -> None:
        roll = self.query_one("#roll", PianoRoll)
        if message.restart:
            roll.restart_notes()  # the notes' part of a new start
        roll.add_notes(message.notes)

    def on_audio_heard(self, message: AudioHeard) -> None:
        self.query_one("#hearing", HearingMeter).show(message.level_db, message.pitch,
                                                      message.source_open)

    def on_model_steps(self, message: ModelSteps) -> None:
        self.query_one("#model", ModelPlot).add_steps(message.steps)

    def on_log_lines(self, message: LogLines) -> None:
        log = self.query_one("#log", LogPane)
        for line in message.lines:
            log.add(line)
        if message.dropped:
            log.add_dropped(message.dropped)

    def on_engine_ready(self, message: EngineReady) -> None:
        self.collector.settle()
        self.query_one("#transport", TransportBar).show_ready(True)
        self.query_one("#status", StatusBar).show_message("ready")
        self._log("ready: space to play, ? for every key")

    # -- the controls (see bindings.CONTROLS) -----------------------------------------------

    def action_toggle_play(self) -> None:
        self._did(self.controller.toggle_play())

    def action_tempo(self, delta: float) -> None:
        self._did(self.controller.nudge_tempo(delta))

    def action_temperature(self, delta: float) -> None:
        self._did(self.controller.nudge_temperature(delta))

    def action_swing(self) -> None:
        self._did(self.controller.cycle_swing())

    def action_intensity(self, delta: float) -> None:
        self._did(self.controller.nudge_intensity(delta))

    def action_mode(self) -> None:
        self._did(self.controller.cycle_mode())

    def action_answer_style(self) -> None:
        self._did(self.controller.cycle_answer_style())

    def action_reset_model(self) -> None:
        self._did(self.controller.reset_model())

    def action_panic(self) -> None:
        self._did(self.controller.panic())

    def action_tap(self) -> None:
        self._did(self.controller.tap(self.clock()))

    def action_edit_chords(self) -> None:
        self.app.push_screen(ChordEditor(self.controller.config.progression), self._chords_edited)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_learn(self) -> None:
        self.app.push_screen(LearnScreen(TARGETS), self._learn)

    def _learn(self, target: str | None) -> None:
        if target is not None:
            self.controller.submit(LearnControl(target))
            self._log(f"learning {target}: move a knob, pad or pedal on your instrument")

    def on_controls_updated(self, message: ControlsUpdated) -> None:
        self.controller.changed["controls"] = list(message.controls.bindings)

    def action_ports(self) -> None:
        if self.outputs is None:
            self._log("no MIDI system to choose an output from")
            return
        self.app.push_screen(PortScreen(self.outputs, self._current_choice(), self.microphone,
                                        self._audio_chosen), self._port_chosen)

    def _audio_chosen(self, device: str) -> None:
        if self.microphone is not None and self.microphone.choose(device):
            self._log(f"hearing {device}")
        else:
            self._log(f"{device}: the engine is still loading")

    def _current_choice(self) -> str | None:
        return None if self.outputs is None else self.outputs.choice_of(self.out_port)

    def _port_chosen(self, choice: str | None) -> None:
        if choice is not None and choice != self._current_choice():
            self._log(f"opening {choice}")
            self._open_output(choice)

    @work(thread=True, group="ports")
    def _open_output(self, choice: str) -> None:
        """(Worker thread.) Open the chosen output and hand it to the engine."""
        assert self.outputs is not None
        engine = self.controller.engine
        if engine is None:
            self.app.call_from_thread(self._log, f"{choice}: the engine is still loading")
            return
        try:
            port = self.outputs.open(choice, engine.port_changed)
        except OSError as error:
            self.app.call_from_thread(self._log, f"cannot open {choice}: {error}")
            return
        self.controller.submit(SwitchOutput(port))
        self.controller.changed["output"] = choice

    def _chords_edited(self, progression: Progression | None) -> None:
        if progression is not None:
            self._did(self.controller.set_progression(progression))
            self._show_progression(progression)

    def _show_progression(self, progression: Progression) -> None:
        view = self.query_one("#progression", ProgressionView)
        if progression != view.progression:
            view.show_progression(progression)
            view.border_title = progression.name or "progression"

    def _did(self, description: str) -> None:
        """Show what a control did: the settings at once, and a line in the log."""
        self.query_one("#transport", TransportBar).show_settings(self.controller.config,
                                                                  self.controller.playing)
        self._log(description)

    def _log(self, text: str) -> None:
        self.query_one("#log", LogPane).add(LogLine("info", f"› {text}"))

