"""What the engine tells its subscribers (the TUI, the headless logger). Plain frozen dataclasses:
the engine thread calls subscribers with them and subscribers must return at once (the TUI turns
them into non-blocking ``post_message``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from live_jazz.engine.config import EngineConfig

Player = Literal["human", "improviser", "comping"]
Turn = Literal["solo", "listening", "answering"]


@dataclass(frozen=True)
class TransportChanged:
    """Sent on every beat and whenever play state or a setting changes."""

    playing: bool
    """Whether the clock runs."""
    bar: int
    """Current bar, 0-based from the start of playing."""
    beat: float
    """Beat within the bar, 0-based."""
    config: EngineConfig
    """The settings in force."""
    turn: Turn
    """Who plays now: solo mode, or in trade/answer whether it listens or answers."""
    beats_left: float | None
    """Beats until the turn changes (trade/answer), else None."""
    late_events: int
    """Events sent late so far (counted, never burst out)."""
    bpm: float
    """The tempo in force: the beat source's (following a master, the master's), which
    ``config.tempo`` (the tempo asked for) is not while following."""


@dataclass(frozen=True)
class NotePlayed:
    """A note that sounded (sent, or heard from the human)."""

    player: Player
    """Who played it."""
    pitch: int
    """MIDI pitch."""
    velocity: int
    """MIDI velocity."""
    beat: float
    """Onset in beats from the start of playing."""
    duration: float
    """Length in beats."""


@dataclass(frozen=True)
class ModelStepped:
    """One sampled value: something of the model's inner state for the live plot."""

    entropy: float
    """Entropy (nats) of the distribution the value was drawn from."""
    top_probability: float
    """Probability of the most likely value."""
    a_norm: float
    """Euclidean norm of the hidden state a."""
    c_norm: float
    """Euclidean norm of the cell state c."""
    token: str
    """The value drawn, e.g. ``C:+2:6``."""


@dataclass(frozen=True)
class ChordChanged:
    """The chord sounding now and the next one."""

    bar: int
    """Bar within the form, 0-based."""
    current: str
    """Symbol of the chord sounding now."""
    next: str
    """Symbol of the next different chord."""


@dataclass(frozen=True)
class LogLine:
    """A line for the log pane: late events, port changes, warnings."""

    level: Literal["info", "warning", "error"]
    """Severity."""
    text: str
    """One line."""


@dataclass(frozen=True)
class PortsChanged:
    """Where the music goes and comes from."""

    out_port: str | None
    """Name of the output port, None while it is lost."""
    in_port: str | None
    """Name of the input port, if any."""
    midi_api: str
    """rtmidi API in use (ALSA, JACK, CoreMIDI, or 'test')."""
    sync: Literal["internal", "external"]
    """Clock source."""
    recording: str | None
    """Path of the session recording, if recording."""


@dataclass(frozen=True)
class ControlsChanged:
    """The instrument's controls bound now (after learning one)."""

    bindings: tuple[str, ...]
    """``TARGET=SOURCE`` texts, e.g. ``temperature=cc21``."""


@dataclass(frozen=True)
class CommandApplied:
    """A command from the queue was applied (or refused): whoever sent it may stop showing it
    as pending and show ``config`` -- the engine owns the settings, the UI shows them."""

    command: object
    """The command as submitted (the same object)."""
    config: EngineConfig
    """The settings in force after it."""
    refused: str | None
    """Why it was not applied (already said in the log), or None."""


EngineEvent = (TransportChanged | NotePlayed | ModelStepped | ChordChanged | LogLine | PortsChanged
               | ControlsChanged | CommandApplied)


def first_ports(out_port: str, recording: str | None, given: PortsChanged | None) -> PortsChanged:
    """Where the music goes and comes from as first told: ``given`` (tests give none) with the
    ``recording`` path if it has none."""
    ports = given or PortsChanged(out_port, None, "test", "internal", None)
    if recording is not None and ports.recording is None:
        ports = replace(ports, recording=recording)
    return ports
