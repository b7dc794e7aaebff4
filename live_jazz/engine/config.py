"""The engine's settings: a frozen dataclass, swapped whole when the user changes something live."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Literal

from live_jazz.command import SEED_LIMIT
from live_jazz.music.answer_styles import ANSWER_STYLES, AnswerStyle
from live_jazz.music.dynamics import INTENSITY_RANGE
from live_jazz.music.performer import FEELS, Feel
from live_jazz.theory import Progression, preset

Mode = Literal["solo", "trade", "answer"]
MODES: tuple[Mode, ...] = ("solo", "trade", "answer")

TEMPO_RANGE = (20.0, 400.0)
SWING_RANGE = (0.5, 0.75)
TEMPERATURE_RANGE = (0.0, 5.0)
MAX_ANSWER_SILENCE = 64.0
"""The longest silence (beats) that may end a call: 16 bars of 4/4."""
DEFAULT_PRESET = "blues-f"


class ConfigError(ValueError):
    """A setting out of range; the message says which and what is allowed."""


def _default_progression() -> Progression:
    return preset(DEFAULT_PRESET)


@dataclass(frozen=True)
class EngineConfig:
    """Everything the user can set; changed live by swapping in a new instance."""

    tempo: float = 120.0
    """Beats per minute, 20-400."""
    swing: float = 0.6
    """Where the off-beat eighth falls within the beat: 0.5 straight, 0.75 hard swing."""
    swing_auto: bool = True
    """``swing`` follows the players' swing at the tempo in force (the weights' feel model;
    without one ``swing`` stays)."""
    temperature: float = 1.0
    """Sampling temperature of the model; 0 is greedy (argmax)."""
    top_p: float = 1.0
    """Nucleus sampling: sample only from the most likely values covering this share."""
    mode: Mode = "solo"
    """solo: plays on over the form; trade: trades `trade_bars` with the human; answer: answers
    each call as long as it lasted."""
    trade_bars: int = 4
    """Bars per turn in trade mode."""
    answer_silence_beats: float = 1.0
    """In answer mode, a call ends after this much silence from the human."""
    answer_style: AnswerStyle = "auto"
    """How answers (trade and answer modes) work with the call: echo, develop, contrast, or
    auto (chosen per call)."""
    velocity: int = 90
    """Base MIDI velocity of the improviser (dynamics)."""
    feel: Feel = "players"
    """players: each note placed and shaped as the players do (``music.performer``); grid:
    exactly on the (swung) grid at one velocity."""
    intensity: float = 1.0
    """Scales the dynamic range of the players' feel: 0 flat, 1 as learned, 2 twice as wide."""
    progression: Progression = field(default_factory=_default_progression)
    """The chords, looped over the form; a change takes effect from the next bar."""
    solo_channel: int = 0
    """MIDI channel (0-based) of the improviser."""
    comp_channel: int = 1
    """MIDI channel (0-based) of the comping chords."""
    comping: bool = True
    """Whether the chords are comped on `comp_channel`."""
    lookahead_beats: float = 2.0
    """How far ahead of the clock notes are sampled and decoded."""
    seed: int | None = None
    """Seed of the sampler and decoder (None: fresh each run)."""

    def __post_init__(self) -> None:
        _check_range("tempo", self.tempo, TEMPO_RANGE, "BPM")
        _check_range("swing", self.swing, SWING_RANGE, "")
        _check_range("temperature", self.temperature, TEMPERATURE_RANGE, "")
        if not 0.0 < self.top_p <= 1.0:
            raise ConfigError(f"top-p must be in (0, 1], got {self.top_p}")
        if self.mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")
        if self.trade_bars < 1:
            raise ConfigError(f"trade bars must be at least 1, got {self.trade_bars}")
        if self.answer_style not in ANSWER_STYLES:
            raise ConfigError(f"answer style must be one of {', '.join(ANSWER_STYLES)}, "
                              f"got {self.answer_style!r}")
        if not 0 < self.answer_silence_beats <= MAX_ANSWER_SILENCE:  # NaN fails this too
            raise ConfigError(f"answer silence must be above 0 and at most "
                              f"{MAX_ANSWER_SILENCE:g} beats, got {self.answer_silence_beats:g}")
        if self.feel not in FEELS:
            raise ConfigError(f"feel must be one of {', '.join(FEELS)}, got {self.feel!r}")
        _check_range("intensity", self.intensity, INTENSITY_RANGE, "")
        if not 1 <= self.velocity <= 127:
            raise ConfigError(f"velocity must be 1-127, got {self.velocity}")
        for name in ("solo_channel", "comp_channel"):
            if not 0 <= getattr(self, name) <= 15:
                raise ConfigError(f"{name.replace('_', ' ')} must be 1-16")
        if not 0 < self.lookahead_beats < math.inf:
            raise ConfigError("look-ahead must be positive")
        if self.seed is not None and not 0 <= self.seed < SEED_LIMIT:
            raise ConfigError(f"seed must be 0-{SEED_LIMIT - 1}, got {self.seed}")

    def with_changes(self, **changes: object) -> EngineConfig:
        """A validated copy with some settings changed (raises ConfigError)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _check_range(name: str, value: float, bounds: tuple[float, float], unit: str) -> None:
    low, high = bounds
    if not low <= value <= high:
        suffix = f" {unit}" if unit else ""
        raise ConfigError(f"{name} must be {low:g}-{high:g}{suffix}, got {value:g}")


SHOWN = {"tempo": "{:g} BPM", "swing": "{:.2f}", "temperature": "{:.2f}", "velocity": "{}",
         "mode": "{}", "answer_style": "{}"}
"""How a changed setting is written in the log (the others are named only)."""


def describe_changes(before: EngineConfig, after: EngineConfig) -> str:
    """The settings ``after`` changed, for a log line: ``temperature 2.00, tempo 171 BPM``
    ("" if none did)."""
    parts = []
    for name in before.__dataclass_fields__:
        value = getattr(after, name)
        if value != getattr(before, name):
            label = name.replace("_", " ")
            parts.append(f"{label} {SHOWN[name].format(value)}" if name in SHOWN
                         else f"new {label}")
    return ", ".join(parts)
