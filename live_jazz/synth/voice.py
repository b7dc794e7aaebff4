"""One SoundFont synthesizer: MIDI messages in, stereo samples out.

FluidSynth through pyfluidsynth (the ``synth`` extra): a pure-Python wheel on every platform
that loads the system's libfluidsynth. Why this one is in the README (built-in voice). Every
call after ``open_voice`` is made from one thread: the audio callback live, the caller offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mido
import numpy as np

from live_jazz.command import install_hint
from live_jazz.midi_io.backends import quiet_stderr

SAMPLE_RATE = 48000
"""Samples a second, live and offline."""
TENOR_SAX, PIANO = 66, 0
"""General MIDI programs (0-based) of the solo and the comping by default."""
GAIN = 0.4
"""FluidSynth's master gain: a solo and four-note chords stay clear of clipping."""

INSTALL_HINT = (
    f"the built-in voice needs FluidSynth: {install_hint('synth')} and the library "
    "(Debian/Ubuntu: apt-get install libfluidsynth3; macOS: brew install fluid-synth; "
    "Windows: FluidSynth's release zip, its bin folder on PATH)"
)


class VoiceError(OSError):
    """The synthesizer cannot be opened (library missing, soundfont unreadable)."""


@dataclass(frozen=True)
class VoiceConfig:
    """What the voice plays with."""

    soundfont: Path
    """The SoundFont (.sf2, or .sf3 where FluidSynth reads it)."""
    programs: Mapping[int, int]
    """MIDI channel (0-15) -> General MIDI program (0-127) selected at the start."""
    sample_rate: int = SAMPLE_RATE
    """Samples a second."""


def _fluidsynth() -> Any:
    try:
        with quiet_stderr():
            import fluidsynth
    except (ImportError, OSError):
        raise VoiceError(INSTALL_HINT) from None
    return fluidsynth


class Voice:
    """A FluidSynth instance with a soundfont loaded and the programs selected."""

    def __init__(self, config: VoiceConfig) -> None:
        fluidsynth = _fluidsynth()
        self.config = config
        self.sample_rate = config.sample_rate
        with quiet_stderr():
            self._synth = fluidsynth.Synth(gain=GAIN, samplerate=float(config.sample_rate))
            sfid = self._synth.sfload(str(config.soundfont))
        if sfid < 0:
            self._synth.delete()
            raise VoiceError(f"cannot read the soundfont {config.soundfont}")
        self._sfid = sfid
        self.reset()

    def reset(self) -> None:
        """Silence everything and select the programs again."""
        for channel in range(16):
            self._synth.all_sounds_off(channel)
        for channel, program in self.config.programs.items():
            bank = 128 if channel == 9 else 0
            self._synth.program_select(channel, self._sfid, bank, program)

    def apply(self, message: mido.Message) -> None:
        """Play one channel message (note, controller, program, pitch bend); others pass."""
        kind = message.type
        if kind == "note_on":
            if message.velocity > 0:
                self._synth.noteon(message.channel, message.note, message.velocity)
            else:
                self._synth.noteoff(message.channel, message.note)
        elif kind == "note_off":
            self._synth.noteoff(message.channel, message.note)
        elif kind == "control_change":
            self._synth.cc(message.channel, message.control, message.value)
        elif kind == "program_change":
            bank = 128 if message.channel == 9 else 0
            self._synth.program_select(message.channel, self._sfid, bank, message.program)
        elif kind == "pitchwheel":
            self._synth.pitch_bend(message.channel, message.pitch)

    def render(self, frames: int) -> np.ndarray:
        """The next ``frames`` samples: int16, interleaved stereo (2 * frames values)."""
        if frames <= 0:
            return np.zeros(0, dtype=np.int16)
        return np.asarray(self._synth.get_samples(frames), dtype=np.int16)

    @property
    def sounding(self) -> int:
        """Voices still sounding (a released note rings until its envelope ends)."""
        return int(self._synth.get_active_voice_count())

    def close(self) -> None:
        """Free the synthesizer. Safe to call twice."""
        if self._synth is not None:
            self._synth.delete()
            self._synth = None


def open_voice(soundfont: Path, programs: Mapping[int, int],
               sample_rate: int = SAMPLE_RATE) -> Voice:
    """A voice on ``soundfont`` with ``programs`` (channel -> GM program); raises VoiceError."""
    return Voice(VoiceConfig(soundfont, dict(programs), sample_rate))
