"""The built-in voice as an output port: the engine sends to it as to any MIDI port.

``send`` (on the engine's timing thread) only stamps the message with the clock and queues it;
the audio callback renders it at that time's sample, one buffer later. The port's base keeps
the open notes, so stop, panic and close end every note here as on a MIDI port.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import mido

from live_jazz.midi_io.ports import OutputPort
from live_jazz.synth.output import BUFFER_FRAMES, AudioPath, DeviceOutput, MemoryOutput
from live_jazz.synth.soundfont import find_soundfont
from live_jazz.synth.timeline import EventTimeline
from live_jazz.synth.voice import PIANO, SAMPLE_RATE, TENOR_SAX, open_voice

DRAIN_SECONDS = 0.2
"""On close, how long to let the device play the last note-offs before it stops."""


@dataclass(frozen=True)
class SynthOptions:
    """How to open the built-in voice."""

    soundfont: Path | None = None
    """The soundfont (None: search, see ``find_soundfont``)."""
    solo_program: int = TENOR_SAX
    """General MIDI program (0-127) of the improviser."""
    comp_program: int = PIANO
    """General MIDI program of the comping."""
    buffer_frames: int = BUFFER_FRAMES
    """Frames the audio device is asked for at a time (the voice's latency)."""
    extra_programs: Mapping[int, int] = field(default_factory=dict)
    """Programs of further channels (channel -> program)."""

    def programs(self, solo_channel: int, comp_channel: int) -> dict[int, int]:
        """Channel -> program for the engine's channels."""
        return {**self.extra_programs, comp_channel: self.comp_program,
                solo_channel: self.solo_program}


class SynthPort(OutputPort):
    """Plays what it is sent through a SoundFont voice, on the audio device or in memory."""

    def __init__(self, path: AudioPath, output: DeviceOutput | MemoryOutput,
                 soundfont: Path) -> None:
        super().__init__(f"built-in voice ({output.name})")
        self.path = path
        self.output = output
        self.soundfont = soundfont

    def _send(self, message: mido.Message) -> None:
        self.path.timeline.push(self.path.now(), message)

    def _close(self) -> None:
        deadline = time.monotonic() + DRAIN_SECONDS
        while self.path.timeline.pending and time.monotonic() < deadline:
            time.sleep(0.005)
        self.output.close()
        self.path.timeline.voice.close()


def voice_available(options: SynthOptions) -> bool:
    """Whether the built-in voice could play (FluidSynth loads, a soundfont is found), without
    opening an audio device."""
    from live_jazz.synth.voice import VoiceError, _fluidsynth

    try:
        _fluidsynth()
        find_soundfont(options.soundfont)
    except (VoiceError, OSError):
        return False
    return True


def open_synth_port(options: SynthOptions, programs: Mapping[int, int],
                    now: Callable[[], float],
                    sleep_until: Callable[[float], None] | None = None,
                    keep_placed: bool = False) -> SynthPort:
    """The built-in voice on the default audio device, or, with ``sleep_until``, rendering to
    memory on that clock. Raises SoundFontError, VoiceError or AudioDeviceError (one line)."""
    soundfont = find_soundfont(options.soundfont)
    voice = open_voice(soundfont, programs, SAMPLE_RATE)
    path = AudioPath(EventTimeline(voice, keep_placed=keep_placed), now,
                     blocks=[] if keep_placed else None)
    try:
        output: DeviceOutput | MemoryOutput = \
            MemoryOutput(path, sleep_until, options.buffer_frames) if sleep_until is not None \
            else DeviceOutput(path, options.buffer_frames)
    except OSError:
        voice.close()
        raise
    return SynthPort(path, output, soundfont)
