"""The built-in voice's options (``--synth``, ``--soundfont``, programs) and opening it for the
CLI: the engine's output port, or a WAV file of a rendered MIDI file (``generate --wav``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from live_jazz.command import CliError, install_hint
from live_jazz.synth.port import SynthOptions, SynthPort

PROGRAM_HELP = "General MIDI program 1-128"


def _program(text: str) -> int:
    """argparse type: a General MIDI program 1-128 -> 0-127."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a program number: {text!r}") from None
    if not 1 <= value <= 128:
        raise argparse.ArgumentTypeError(f"a General MIDI program is 1-128, got {value}")
    return value - 1


def add_voice_options(parser: argparse.ArgumentParser, live: bool) -> None:
    """``--soundfont`` and the programs; with ``live``, ``--synth`` too."""
    defaults = SynthOptions()
    group = parser.add_argument_group(f"built-in voice ({install_hint('synth')})")
    if live:
        group.add_argument("--synth", action="store_true",
                           help="play through the built-in SoundFont voice on the default "
                                "audio device instead of a MIDI port")
    group.add_argument("--soundfont", type=Path, metavar="FILE.sf2",
                       help="the General MIDI soundfont of the built-in voice (default: "
                            "$LIVE_JAZZ_SOUNDFONT, the system's, else the shipped TimGM6mb)")
    group.add_argument("--solo-program", type=_program, default=defaults.solo_program,
                       metavar="N", help=f"{PROGRAM_HELP} of the improviser "
                                         f"(default {defaults.solo_program + 1}: tenor sax)")
    group.add_argument("--comp-program", type=_program, default=defaults.comp_program,
                       metavar="N", help=f"{PROGRAM_HELP} of the comping "
                                         f"(default {defaults.comp_program + 1}: piano)")


def voice_options(args: argparse.Namespace) -> SynthOptions:
    """``SynthOptions`` from parsed ``add_voice_options`` arguments."""
    return SynthOptions(soundfont=args.soundfont, solo_program=args.solo_program,
                        comp_program=args.comp_program)


def open_voice_port(options: SynthOptions, solo_channel: int, comp_channel: int,
                    now: Callable[[], float]) -> SynthPort:
    """The built-in voice on the default audio device; CliError (one line) if it cannot."""
    from live_jazz.synth.port import open_synth_port

    try:
        return open_synth_port(options, options.programs(solo_channel, comp_channel), now)
    except OSError as error:
        raise CliError(str(error)) from None


def check_wav_path(path: Path) -> None:
    """CliError unless ``path`` can be a WAV file to write (checked before any rendering)."""
    if path.suffix.lower() != ".wav":
        raise CliError(f"--wav: {path} must end in .wav")
    if not path.parent.is_dir():
        raise CliError(f"--wav: no folder {path.parent}")


def write_audio(path: Path, midi: bytes, options: SynthOptions,
                programs: dict[int, int]) -> float:
    """Render a MIDI file's bytes with the built-in voice to a WAV file; returns its seconds."""
    from live_jazz.synth.offline import midi_events, render, write_wav
    from live_jazz.synth.soundfont import find_soundfont
    from live_jazz.synth.voice import open_voice

    check_wav_path(path)
    try:
        voice = open_voice(find_soundfont(options.soundfont), programs)
    except OSError as error:
        raise CliError(str(error)) from None
    try:
        audio = render(voice, midi_events(midi))
    finally:
        voice.close()
    try:
        write_wav(path, audio, voice.sample_rate)
    except OSError as error:
        raise CliError(f"--wav: cannot write {path} ({error.strerror or error})") from None
    return len(audio) / voice.sample_rate
