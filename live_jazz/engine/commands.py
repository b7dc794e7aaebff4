"""What the UI asks of the engine. Put on the engine's command queue (thread-safe, non-blocking);
the engine thread applies them between events, each within one beat."""

from __future__ import annotations

import re
from dataclasses import dataclass

from live_jazz.engine.config import Mode
from live_jazz.midi_io.ports import OutputPort
from live_jazz.music.answer_styles import AnswerStyle
from live_jazz.theory import Progression


@dataclass(frozen=True)
class Play:
    """Start the transport (from the next bar line if already counting)."""


@dataclass(frozen=True)
class Stop:
    """Stop the transport: note-offs for open notes, All Notes Off."""


@dataclass(frozen=True)
class SetTempo:
    """Change the tempo, smoothly from the next event on."""

    bpm: float
    """20-400."""


@dataclass(frozen=True)
class SetTemperature:
    """Change the sampling temperature."""

    temperature: float
    """0 (greedy) to 5."""


@dataclass(frozen=True)
class SetIntensity:
    """Scale the dynamic range of the players' feel."""

    intensity: float
    """0 (one level) to 2 (twice the learned range)."""


@dataclass(frozen=True)
class SetSwing:
    """Change the swing ratio."""

    ratio: float | None
    """0.5 (straight) to 0.75; None: auto, the players' swing at the tempo in force."""


@dataclass(frozen=True)
class SetMode:
    """Switch between solo, trade and answer."""

    mode: Mode
    """The new mode."""


@dataclass(frozen=True)
class SetAnswerStyle:
    """How the next answers work with their calls."""

    style: AnswerStyle
    """echo, develop, contrast or auto."""


@dataclass(frozen=True)
class SetProgression:
    """Play over new chords from the next bar."""

    progression: Progression
    """The new form."""


@dataclass(frozen=True)
class SetVelocity:
    """Change the improviser's dynamics."""

    velocity: int
    """1-127."""


@dataclass(frozen=True)
class ResetModel:
    """Reset the LSTM's state (a fresh start of the solo)."""


@dataclass(frozen=True)
class Panic:
    """All notes off now, on every channel."""


@dataclass(frozen=True)
class Halt:
    """What live-jazz plays into is gone for good (the JACK server stopped): stop, say why, and
    play no more in this session."""

    reason: str
    """One line for the player."""


@dataclass(frozen=True)
class SwitchOutput:
    """Play into another output port from now on, without a restart: the old one gets its
    note-offs and All Notes Off and is closed (off the timing thread)."""

    port: OutputPort
    """The new output, already open."""


@dataclass(frozen=True)
class LearnControl:
    """Bind ``target`` to the next knob, pad, pedal or program change on the input."""

    target: str
    """A control (``controls.TARGETS``), or "" to stop learning."""


EngineCommand = (
    Play | Stop | SetTempo | SetTemperature | SetSwing | SetMode | SetAnswerStyle | SetProgression
    | SetVelocity | SetIntensity | ResetModel | Panic | Halt | SwitchOutput | LearnControl
)


def describe(command: object) -> str:
    """``SetAnswerStyle`` -> "answer style", ``Play`` -> "play": a command in a log line."""
    name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(command).__name__).lower()
    return name.removeprefix("set ")
