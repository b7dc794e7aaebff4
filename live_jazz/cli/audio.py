"""The microphone's options (``--audio-in``, ``--audio-gate``, ``--tuning``) and the tracker's
settings they make."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from live_jazz.audio_in.capture import DeviceCapture, MemoryCapture
from live_jazz.audio_in.listen import AudioListener, Opener
from live_jazz.audio_in.tracker import TrackerConfig
from live_jazz.audio_in.wavfile import AudioFileError, read_audio
from live_jazz.command import CliError
from live_jazz.engine.clock import SystemClock
from live_jazz.midi_io.ports import InputQueue

TUNING_RANGE = (400.0, 480.0)
"""A4 frequencies a band might tune to, Hz."""


def _tuning(text: str) -> float:
    """argparse type: A4 in Hz, 400-480."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a frequency: {text!r}") from None
    low, high = TUNING_RANGE
    if not (math.isfinite(value) and low <= value <= high):
        raise argparse.ArgumentTypeError(f"A4 must be {low:g}-{high:g} Hz, got {text}")
    return value


def _gate(text: str) -> float:
    """argparse type: a level in dBFS, -100 to 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a level in dB: {text!r}") from None
    if not (math.isfinite(value) and -100.0 <= value <= 0.0):
        raise argparse.ArgumentTypeError(f"the gate is -100 to 0 dBFS, got {text}")
    return value


def add_tracker_options(parser: argparse.ArgumentParser) -> argparse._ArgumentGroup:
    """``--tuning`` and ``--audio-gate``, in a group of their own (returned)."""
    group = parser.add_argument_group("hearing audio")
    group.add_argument("--tuning", type=_tuning, default=440.0, metavar="HZ",
                       help="the band's A4 (default 440)")
    group.add_argument("--audio-gate", type=_gate, metavar="DB",
                       help="level in dBFS under which the input is not heard (default: the "
                            "noise floor measured over the first half second, plus 8 dB)")
    return group


def tracker_config(args: argparse.Namespace) -> TrackerConfig:
    """The tracker's settings from the parsed options."""
    return TrackerConfig(tuning=args.tuning, gate_db=args.audio_gate)


FILE_PREFIX = "file:"
"""``--audio-in file:take.wav`` plays a recording through the live path instead of a device."""


@dataclass(frozen=True)
class AudioInOptions:
    """What ``--audio-in`` asked for."""

    device: str | None
    """Part of an input's name, ``file:PATH`` for a recording, or None: the default input."""
    tracker: TrackerConfig
    """The tracker's settings (``--tuning``, ``--audio-gate``)."""


def add_audio_options(parser: argparse.ArgumentParser) -> None:
    """``--audio-in [DEVICE]`` with the tracker's options."""
    group = add_tracker_options(parser)
    group.add_argument("--audio-in", nargs="?", const="", default=None, metavar="DEVICE",
                       help="hear a monophonic instrument through an audio input (default: "
                            "the system's; DEVICE: part of an input's name, or file:TAKE.wav "
                            "to play a recording through the live path); its notes are heard "
                            "as MIDI keys on channel 16, beside MIDI in")


def audio_options(args: argparse.Namespace) -> AudioInOptions | None:
    """``AudioInOptions`` from parsed ``add_audio_options`` arguments (None: no --audio-in)."""
    device = getattr(args, "audio_in", None)
    if device is None:
        return None
    if device.startswith(FILE_PREFIX):
        try:  # refused here, before any port is opened
            read_audio(Path(device[len(FILE_PREFIX):]))
        except AudioFileError as error:
            raise CliError(f"--audio-in: {error}") from None
    return AudioInOptions(device or None, tracker_config(args))


def audio_opener(options: AudioInOptions, sleep_until: Callable[[float], None]) -> Opener:
    """Opens the device (or the file) ``options`` name, for ``AudioListener``."""
    device = options.device
    if device is not None and device.startswith(FILE_PREFIX):
        path = Path(device[len(FILE_PREFIX):])
        try:
            samples, rate = read_audio(path)
        except AudioFileError as error:
            raise CliError(str(error)) from None
        return lambda blocks: MemoryCapture(samples, rate, blocks, sleep_until,
                                            name=path.name)
    return lambda blocks: DeviceCapture(device, blocks)


def start_hearing(options: AudioInOptions | None, queue: InputQueue | None,
                  now: Callable[[], float]) -> tuple[InputQueue | None, AudioListener | None]:
    """The input queue (a new one if MIDI in opened none) and the listener that puts the
    microphone's notes on it; (``queue``, None) without ``--audio-in``. A file is handed over
    on a clock that sleeps without spinning (the timing thread alone spins)."""
    if options is None:
        return queue, None
    queue = queue if queue is not None else InputQueue(now)
    opener = audio_opener(options, SystemClock(spin=0.0).sleep_until)
    return queue, AudioListener(opener, queue, options.tracker, now)
