"""Controls from the instrument: controller knobs, pads and pedals mapped to the live controls.

A binding is ``TARGET=SOURCE``: ``temperature=cc21`` (controller 21 on any channel),
``tempo=cc22/ch2`` (on channel 2 only), ``play=note36`` (a pad), ``panic=pc5`` (a program
change). Continuous targets (temperature, tempo, swing, velocity, intensity) take a controller's
value scaled over their range; the others are buttons, fired by a note-on, a controller value
of 64 or more (a pedal pressed) or a program change. A message a binding matches is a control,
never a note: it never reaches the listener or the model (the note-off of a mapped pad neither).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import mido

from live_jazz.engine import commands as cmd
from live_jazz.engine.config import MODES, SWING_RANGE
from live_jazz.music.dynamics import INTENSITY_RANGE

CONTINUOUS: dict[str, tuple[float, float]] = {
    "temperature": (0.1, 2.0),
    "tempo": (40.0, 300.0),
    "swing": SWING_RANGE,
    "velocity": (1.0, 127.0),
    "intensity": INTENSITY_RANGE,
}
"""Continuous targets and the range a controller's 0-127 covers (the musical part of each)."""
BUTTONS = ("play", "panic", "reset", "mode")
"""Button targets: play/stop, all notes off, a fresh model state, the next mode."""
TARGETS = (*CONTINUOUS, *BUTTONS)

SourceKind = Literal["cc", "note", "pc"]
_SOURCE = re.compile(r"^(cc|note|pc)(\d{1,3})(?:/ch(\d{1,2}))?$")


class ControlError(ValueError):
    """A binding that cannot be read, with the reason."""


@dataclass(frozen=True)
class Source:
    """Which incoming messages a binding takes."""

    kind: SourceKind
    """``cc`` (control change), ``note`` or ``pc`` (program change)."""
    number: int
    """Controller, note or program number, 0-127."""
    channel: int | None = None
    """0-15, or None for any channel."""

    def matches(self, message: mido.Message) -> bool:
        if self.channel is not None and getattr(message, "channel", None) != self.channel:
            return False
        if self.kind == "cc":
            return message.type == "control_change" and message.control == self.number
        if self.kind == "note":
            return message.type in ("note_on", "note_off") and message.note == self.number
        return message.type == "program_change" and message.program == self.number

    def __str__(self) -> str:
        channel = "" if self.channel is None else f"/ch{self.channel + 1}"
        return f"{self.kind}{self.number}{channel}"


def parse_source(text: str) -> Source:
    match = _SOURCE.match(text.strip().lower())
    if match is None:
        raise ControlError(f"not a control source: {text!r} (e.g. cc21, note36, pc5, cc21/ch2)")
    kind, number, channel = match.group(1), int(match.group(2)), match.group(3)
    if number > 127:
        raise ControlError(f"{text!r}: numbers are 0-127")
    if channel is not None and not 1 <= int(channel) <= 16:
        raise ControlError(f"{text!r}: channels are 1-16")
    return Source(kind, number, None if channel is None else int(channel) - 1)  # type: ignore[arg-type]


def parse_binding(text: str) -> tuple[str, Source]:
    """``TARGET=SOURCE`` -> (target, source); ControlError with the reason."""
    target, sep, source = text.partition("=")
    target = target.strip().lower()
    if not sep or target not in TARGETS:
        raise ControlError(f"not a control binding: {text!r} (TARGET=SOURCE, TARGET one of "
                           f"{', '.join(TARGETS)})")
    return target, parse_source(source)


def source_of(message: mido.Message) -> Source | None:
    """What learn mode binds to: the source of a controller, a note-on or a program change."""
    channel = getattr(message, "channel", None)
    if message.type == "control_change":
        return Source("cc", message.control, channel)
    if message.type == "note_on" and message.velocity > 0:
        return Source("note", message.note, channel)
    if message.type == "program_change":
        return Source("pc", message.program, channel)
    return None


class ControlMap:
    """The bindings in force; used by the engine thread only."""

    def __init__(self, bindings: dict[str, Source] | None = None) -> None:
        self.bindings: dict[str, Source] = dict(bindings or {})

    def specs(self) -> tuple[str, ...]:
        """The bindings as ``TARGET=SOURCE`` texts (what the settings file keeps)."""
        return tuple(f"{target}={source}" for target, source in self.bindings.items())

    def bind(self, target: str, source: Source) -> None:
        """Bind ``target`` to ``source`` (taking the source from any other target)."""
        for other in [t for t, s in self.bindings.items() if s == source]:
            del self.bindings[other]
        self.bindings[target] = source

    def match(self, message: mido.Message) -> str | None:
        """The target a message is bound to, if any."""
        for target, source in self.bindings.items():
            if source.matches(message):
                return target
        return None


def command_for(target: str, message: mido.Message, playing: bool, mode: str
                ) -> cmd.EngineCommand | None:
    """The command a bound message gives (None: a button released, a note-off)."""
    if target in CONTINUOUS:
        if message.type != "control_change":
            return None
        low, high = CONTINUOUS[target]
        value = low + (high - low) * message.value / 127
        if target == "temperature":
            return cmd.SetTemperature(round(value, 2))
        if target == "tempo":
            return cmd.SetTempo(round(value, 1))
        if target == "swing":
            return cmd.SetSwing(round(value, 3))
        if target == "intensity":
            return cmd.SetIntensity(round(value, 2))
        return cmd.SetVelocity(round(value))
    pressed = (message.type == "note_on" and message.velocity > 0) \
        or (message.type == "control_change" and message.value >= 64) \
        or message.type == "program_change"
    if not pressed:
        return None
    if target == "play":
        return cmd.Stop() if playing else cmd.Play()
    if target == "panic":
        return cmd.Panic()
    if target == "reset":
        return cmd.ResetModel()
    return cmd.SetMode(MODES[(MODES.index(mode) + 1) % len(MODES)])  # type: ignore[arg-type]
