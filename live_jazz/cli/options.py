"""The options of ``live-jazz play`` and the TUI: the command line -> ``PlayOptions`` (the
engine's settings and where it plays), which ``wiring.build_engine`` turns into an engine."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from live_jazz.cli.audio import AudioInOptions, add_audio_options, audio_options
from live_jazz.cli.voice import add_voice_options, voice_options
from live_jazz.command import CliError, positive_int, random_seed, swing_arg
from live_jazz.engine.config import DEFAULT_PRESET, MODES, ConfigError, EngineConfig
from live_jazz.engine.controls import ControlError, ControlMap, parse_binding
from live_jazz.midi_io.backends import API_NAMES
from live_jazz.music.answer_styles import ANSWER_STYLES
from live_jazz.music.performer import FEELS
from live_jazz.synth.port import SynthOptions
from live_jazz.theory import LeadSheetError, parse_progression, preset, preset_names

Sync = Literal["internal", "external"]


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
    audio_in: AudioInOptions | None = None
    """Hear a microphone (or a recording) too, its notes as keys (None: MIDI in only)."""


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """The options shared by ``play`` and the TUI (tempo, chords, ports, ...). Settings of the
    engine default to None here, so that ``options_from_args`` can tell what was given."""
    _add_music_options(parser.add_argument_group("music"))
    _add_midi_options(parser.add_argument_group("MIDI"))
    _add_recording_options(parser.add_argument_group("recording"))
    add_voice_options(parser, live=True)
    add_audio_options(parser)


def _add_music_options(music: argparse._ArgumentGroup) -> None:
    music.add_argument("--tempo", type=float, metavar="BPM", help="tempo, 20-400 (default 120)")
    music.add_argument("--temperature", type=float, metavar="T",
                       help="sampling temperature, 0 (greedy) to 5 (default 1)")
    music.add_argument("--top-p", type=float, metavar="P",
                       help="nucleus sampling share, (0, 1] (default 1: off)")
    music.add_argument("--swing", type=swing_arg, metavar="auto|RATIO",
                       help="auto (the players' swing at the tempo, as learned: the default) "
                            "or where the off-beat eighth falls, 0.5 (straight) to 0.75")
    music.add_argument("--velocity", type=int, metavar="V",
                       help="the improviser's velocity, 1-127 (default 90)")
    music.add_argument("--feel", choices=FEELS,
                       help="players: time feel and dynamics learned from the recordings "
                            "(default); grid: exactly on the grid, one velocity")
    music.add_argument("--intensity", type=float, metavar="X",
                       help="dynamic range of the players' feel, 0 (flat) to 2 (default 1)")
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


def _add_midi_options(midi: argparse._ArgumentGroup) -> None:
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
                           "(targets: temperature, tempo, swing, velocity, intensity, play, "
                           "panic, reset, mode); repeat for more")


def _add_recording_options(record: argparse._ArgumentGroup) -> None:
    where = record.add_mutually_exclusive_group()
    where.add_argument("--record", type=Path, metavar="FILE",
                       help="record the session to this .mid file (default: a new file in "
                            "$LIVE_JAZZ_SESSIONS or ~/.local/share/live-jazz/sessions)")
    where.add_argument("--no-record", action="store_true", help="record nothing")


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
                         ("top_p", "top_p"), ("velocity", "velocity"),
                         ("feel", "feel"), ("intensity", "intensity"),
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
    swing = getattr(args, "swing", None)
    if swing == "auto":
        changes["swing_auto"] = True
    elif swing is not None:
        changes.update(swing=swing, swing_auto=False)
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
        audio_in=audio_options(args),
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
