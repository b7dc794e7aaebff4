"""Wiring shared by ``live-jazz play --headless`` and the TUI: options -> a ready ``Engine``.

The TUI's ``make_app(config, engine)`` gets its engine from ``build_engine(options)``; tests pass
``PlayOptions(..., midi_api="test")`` to get an engine on a recording port with no MIDI backend.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from live_jazz.cli.voice import add_voice_options, voice_options
from live_jazz.command import CliError, positive_int, random_seed, tell
from live_jazz.engine.config import DEFAULT_PRESET, MODES, ConfigError, EngineConfig
from live_jazz.engine.controls import ControlError, ControlMap, parse_binding
from live_jazz.midi_io.backends import API_NAMES
from live_jazz.music.answer_styles import ANSWER_STYLES
from live_jazz.synth.port import SynthOptions
from live_jazz.theory import LeadSheetError, parse_progression, preset, preset_names

if TYPE_CHECKING:
    from live_jazz.engine.engine import Engine
    from live_jazz.engine.recorder import Recorder
    from live_jazz.midi_io.backends import MidiApi
    from live_jazz.midi_io.jack_server import ServerWatch
    from live_jazz.midi_io.ports import OutputPort, PortChange

Sync = Literal["internal", "external"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlayOptions:
    """Everything ``build_engine`` needs besides the engine's own settings."""

    config: EngineConfig = field(default_factory=EngineConfig)
    """The engine's settings (tempo, swing, chords, mode, ...)."""
    weights: Path | None = None
    """Weights folder (None: the shipped weights or ``$LIVE_JAZZ_WEIGHTS``)."""
    midi_api: str = "auto"
    """``auto``, ``alsa``, ``jack``, ``coremidi``, or ``test`` (a recording port, no backend)."""
    out_port: str | None = None
    """An existing output port by name or substring; None: a virtual port ``live-jazz``."""
    in_port: str | None = None
    """An existing input port by name or substring; None: a virtual port ``live-jazz in``."""
    no_input: bool = False
    """Open no input port at all."""
    record: Path | None = None
    """Where to record the session (None: a new file in the sessions folder)."""
    no_record: bool = False
    """Record nothing."""
    sync: Sync = "internal"
    """Clock source: internal, or a DAW's MIDI clock on the input port."""
    send_clock: bool = False
    """Send MIDI clock (24 ppqn) and Start/Stop to the output: be the master."""
    client_name: str = "live-jazz"
    """Name of the MIDI client and of the virtual output port."""
    synth: SynthOptions | None = None
    """Play through the built-in voice (on the default audio device) instead of a MIDI port."""
    controls: tuple[str, ...] = ()
    """Knobs, pads and pedals of the input bound to live controls (``temperature=cc21``)."""


def sessions_folder(environ: Mapping[str, str] | None = None) -> Path:
    """Where sessions are recorded unless ``--record FILE``: ``$LIVE_JAZZ_SESSIONS``, else
    ``$XDG_DATA_HOME/live-jazz/sessions`` (``~/.local/share/live-jazz/sessions``)."""
    env = os.environ if environ is None else environ
    if env.get("LIVE_JAZZ_SESSIONS"):
        return Path(env["LIVE_JAZZ_SESSIONS"])
    data = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else \
        Path(env.get("HOME", str(Path.home()))) / ".local" / "share"
    return data / "live-jazz" / "sessions"


def build_engine(options: PlayOptions) -> Engine:
    """Load the weights, open the ports, and return an Engine (not yet started).

    Raises ``CliError`` with a one-line message for a user error (unknown port, no MIDI backend,
    unreadable weights).
    """
    from live_jazz.engine.engine import Engine
    from live_jazz.engine.events import PortsChanged
    from live_jazz.engine.recorder import Recorder, default_session_path
    from live_jazz.midi_io.ports import InputQueue, PortError, RecordingPort
    from live_jazz.model.bundle import WeightsError, load_weights

    try:
        weights = load_weights(options.weights)
    except WeightsError as error:
        raise CliError(str(error)) from None
    config = options.config
    recorder = None
    if not options.no_record:
        path = options.record or default_session_path(sessions_folder())
        try:
            recorder = Recorder(path, {"improviser": config.solo_channel,
                                       "chords": config.comp_channel},
                                config.progression.beats_per_bar)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise CliError(f"cannot record to {path}: {reason}") from None
    if options.midi_api == "test":
        if options.synth is not None:  # the voice needs no MIDI system
            from live_jazz.cli.voice import open_voice_port
            from live_jazz.engine.clock import SystemClock

            try:
                port: OutputPort = open_voice_port(options.synth, config.solo_channel,
                                                   config.comp_channel, SystemClock().now)
            except CliError:
                if recorder is not None:
                    recorder.close()
                    recorder.path.unlink(missing_ok=True)
                raise
        else:
            port = RecordingPort("test")
        ports = PortsChanged(port.name, None, "test", options.sync, _path_text(recorder))
        return Engine(config, weights, port, recorder=recorder, ports=ports,
                      send_clock=options.send_clock, sync=options.sync)

    from live_jazz.engine.clock import SystemClock
    from live_jazz.midi_io.backends import resolve_api
    from live_jazz.midi_io.rtmidi_ports import open_input, open_output

    clock = SystemClock()
    engine_box: list[Engine] = []

    def port_changed(change: PortChange) -> None:
        if engine_box:
            engine_box[0].port_changed(change)

    output: OutputPort | None = None
    try:
        if options.synth is not None:
            from live_jazz.cli.voice import open_voice_port

            output = open_voice_port(options.synth, config.solo_channel, config.comp_channel,
                                     clock.now)
        api = resolve_api(options.midi_api)
        if output is None and options.out_port is None and api.name == "winmm":
            output = windows_output(api, options, clock.now, port_changed)
        if output is None:
            output = open_output(api, options.out_port, options.client_name, port_changed)
        output.reset(sorted({config.solo_channel, config.comp_channel}))
        input_port = None
        queue = None
        if api.name == "winmm" and options.in_port is None and not options.no_input:
            log.warning("no virtual MIDI ports on Windows: no input (--in-port NAME to play "
                        "to it)")
        elif not options.no_input:
            queue = InputQueue(clock.now)
            input_port = open_input(api, options.in_port, queue, options.client_name,
                                    clock=options.sync == "external", on_change=port_changed)
    except (PortError, CliError) as error:
        if output is not None:
            output.close()
        if recorder is not None:
            recorder.close()
            recorder.path.unlink(missing_ok=True)
        raise CliError(str(error)) from None
    ports = PortsChanged(output.name, input_port.name if input_port else None,
                         api.display_name, options.sync, _path_text(recorder))
    watch = server_watch(api, options.client_name, engine_box)

    def close_inputs() -> None:
        if input_port is not None:
            input_port.close()
        if watch is not None:
            watch.close()

    engine = Engine(config, weights, output, clock=clock, input_queue=queue, recorder=recorder,
                    ports=ports, send_clock=options.send_clock, sync=options.sync,
                    on_close=close_inputs, controls=control_map(options.controls))
    engine_box.append(engine)
    return engine


def server_watch(api: MidiApi, client_name: str, engine_box: list[Engine]) -> ServerWatch | None:
    """Under JACK, a watch that halts the engine (in ``engine_box`` once built) when the
    server goes away: the player is told, rather than live-jazz playing on into nothing."""
    if api.name != "jack":
        return None
    from live_jazz.engine.commands import Halt
    from live_jazz.midi_io.jack_server import ServerWatch

    def gone(reason: str) -> None:
        if engine_box:
            engine_box[0].submit(Halt(f"the JACK server stopped ({reason}): nothing more can "
                                      "be played; start it and live-jazz again"))

    return ServerWatch(f"{client_name} server", gone)


def windows_output(api: MidiApi, options: PlayOptions, now: Callable[[], float],
                   port_changed: Callable[[PortChange], None]) -> OutputPort:
    """The default output on Windows (no virtual ports there): see ``midi_io.windows``."""
    from live_jazz.cli.voice import open_voice_port
    from live_jazz.midi_io.backends import list_ports
    from live_jazz.midi_io.rtmidi_ports import open_output
    from live_jazz.midi_io.windows import choose_windows_output
    from live_jazz.synth.port import voice_available

    synth = SynthOptions()
    try:
        choice = choose_windows_output(list_ports(api)[1], voice_available(synth))
    except ValueError as error:
        raise CliError(str(error)) from None
    log.warning(choice.reason)
    if choice.kind == "voice":
        return open_voice_port(synth, options.config.solo_channel, options.config.comp_channel,
                               now)
    return open_output(api, choice.port, options.client_name, port_changed)


def report_recording(recording: Path | None, error: str | None) -> bool:
    """Tell the user where the session's recording is, or that it is lost (``error``, after
    the engine closed); returns False if it is lost."""
    if error is not None:
        tell(f"live-jazz: error: recording lost: {error}", sys.stderr)
        return False
    if recording is not None:
        tell(f"live-jazz: recording saved to {recording}")
    return True


def _path_text(recorder: Recorder | None) -> str | None:
    return None if recorder is None else str(recorder.path)


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``play`` and the TUI (tempo, chords, ports, ...). Settings of the
    engine default to None here, so that ``options_from_args`` can tell what was given."""
    music = parser.add_argument_group("music")
    music.add_argument("--tempo", type=float, metavar="BPM", help="tempo, 20-400 (default 120)")
    music.add_argument("--temperature", type=float, metavar="T",
                       help="sampling temperature, 0 (greedy) to 5 (default 1)")
    music.add_argument("--top-p", type=float, metavar="P",
                       help="nucleus sampling share, (0, 1] (default 1: off)")
    music.add_argument("--swing", type=float, metavar="RATIO",
                       help="swing ratio, 0.5 (straight) to 0.75 (default 0.6)")
    music.add_argument("--velocity", type=int, metavar="V",
                       help="the improviser's velocity, 1-127 (default 90)")
    chords = music.add_mutually_exclusive_group()
    chords.add_argument("--chords", metavar="TEXT",
                        help='a lead sheet, e.g. "| Dm7 G7 | Cmaj7 | %% |"')
    chords.add_argument("--preset", metavar="NAME",
                        help=f"a built-in progression: {', '.join(preset_names())} "
                             f"(default {DEFAULT_PRESET})")
    music.add_argument("--mode", choices=MODES,
                       help="solo: plays on; trade: trades --trade-bars with you; answer: "
                            "answers each call (default solo)")
    music.add_argument("--trade-bars", type=positive_int, metavar="N",
                       help="bars per turn in trade mode (default 4)")
    music.add_argument("--answer-silence", type=float, metavar="BEATS",
                       help="in answer mode, silence that ends a call (default 1 beat)")
    music.add_argument("--answer-style", choices=ANSWER_STYLES, metavar="STYLE",
                       help="how answers work with the call: echo, develop, contrast, or auto "
                            "(chosen per call) (default auto)")
    music.add_argument("--solo-channel", type=_channel, metavar="CH",
                       help="MIDI channel of the improviser, 1-16 (default 1)")
    music.add_argument("--comp-channel", type=_channel, metavar="CH",
                       help="MIDI channel of the comping chords, 1-16 (default 2)")
    music.add_argument("--no-comping", action="store_true", default=None,
                       help="do not comp the chords")
    music.add_argument("--seed", type=random_seed, metavar="N", help="random seed (default: fresh)")
    music.add_argument("--weights", type=Path, metavar="DIR",
                       help="weights folder (default: the shipped weights or "
                            "$LIVE_JAZZ_WEIGHTS)")
    midi = parser.add_argument_group("MIDI")
    midi.add_argument("--midi-api", choices=(*API_NAMES, "test"), default="auto",
                      help="auto (ALSA on Linux, JACK without ALSA; CoreMIDI on macOS; WinMM "
                           "on Windows), alsa, jack, coremidi, winmm, or test (no MIDI at all) "
                           "(default auto)")
    midi.add_argument("--out-port", metavar="NAME",
                      help="play into this existing port (name or part of it); default: a "
                           "virtual port 'live-jazz'")
    midi.add_argument("--in-port", metavar="NAME",
                      help="listen to this existing port; default: a virtual port "
                           "'live-jazz in'")
    midi.add_argument("--no-input", action="store_true", help="open no input port")
    midi.add_argument("--sync", choices=("internal", "external"), default="internal",
                      help="clock source: internal, or external (follow MIDI clock on the "
                           "input port) (default internal)")
    midi.add_argument("--send-clock", action="store_true",
                      help="send MIDI clock, Start and Stop: be the master")
    midi.add_argument("--client-name", default="live-jazz", metavar="NAME",
                      help="MIDI client name (default live-jazz)")
    midi.add_argument("--control", action="append", metavar="TARGET=SOURCE",
                      help="bind a knob, pad or pedal of the input to a live control, e.g. "
                           "temperature=cc21, tempo=cc22/ch2, play=note36, panic=pc5 "
                           "(targets: temperature, tempo, swing, velocity, play, panic, reset, "
                           "mode); repeat for more")
    record = parser.add_argument_group("recording")
    where = record.add_mutually_exclusive_group()
    where.add_argument("--record", type=Path, metavar="FILE",
                       help="record the session to this .mid file (default: a new file in "
                            "$LIVE_JAZZ_SESSIONS or ~/.local/share/live-jazz/sessions)")
    where.add_argument("--no-record", action="store_true", help="record nothing")
    add_voice_options(parser, live=True)


def _channel(text: str) -> int:
    """argparse type: a MIDI channel 1-16 -> 0-15."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a channel number: {text!r}") from None
    if not 1 <= value <= 16:
        raise argparse.ArgumentTypeError(f"a MIDI channel is 1-16, got {value}")
    return value - 1


def options_from_args(args: argparse.Namespace, base: EngineConfig | None = None) -> PlayOptions:
    """``PlayOptions`` from parsed ``add_engine_options`` arguments; options not given keep
    their value in ``base`` (e.g. the TUI's saved settings). Raises CliError."""
    config = base or EngineConfig()
    changes: dict[str, object] = {}
    for option, name in (("tempo", "tempo"), ("temperature", "temperature"),
                         ("top_p", "top_p"), ("swing", "swing"), ("velocity", "velocity"),
                         ("mode", "mode"), ("trade_bars", "trade_bars"),
                         ("answer_silence", "answer_silence_beats"),
                         ("answer_style", "answer_style"),
                         ("solo_channel", "solo_channel"), ("comp_channel", "comp_channel"),
                         ("seed", "seed")):
        value = getattr(args, option, None)
        if value is not None:
            changes[name] = value
    if getattr(args, "no_comping", None):
        changes["comping"] = False
    try:
        if getattr(args, "chords", None):
            changes["progression"] = parse_progression(args.chords)
        elif getattr(args, "preset", None):
            changes["progression"] = preset(args.preset)
        config = config.with_changes(**changes)
    except (ConfigError, LeadSheetError) as error:
        raise CliError(str(error)) from None
    if args.sync == "external" and args.no_input:
        raise CliError("--sync external needs an input port (drop --no-input)")
    return PlayOptions(
        config=config,
        weights=args.weights,
        midi_api=args.midi_api,
        out_port=args.out_port,
        in_port=args.in_port,
        no_input=args.no_input,
        record=args.record,
        no_record=args.no_record,
        sync=args.sync,
        send_clock=args.send_clock,
        client_name=args.client_name,
        synth=voice_options(args) if getattr(args, "synth", False) else None,
        controls=control_map(getattr(args, "control", None) or ()).specs(),
    )


def control_map(bindings: Sequence[str]) -> ControlMap:
    """The controls bound by ``--control`` texts (or saved ones); CliError for a bad one."""
    controls = ControlMap()
    for text in bindings:
        try:
            controls.bind(*parse_binding(text))
        except ControlError as error:
            raise CliError(f"--control: {error}") from None
    return controls


__all__ = [
    "ConfigError",
    "PlayOptions",
    "add_engine_options",
    "build_engine",
    "options_from_args",
    "report_recording",
    "sessions_folder",
]
