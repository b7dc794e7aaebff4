"""The TUI's messages: what the engine said, turned into dataclass Textual messages.

After toolong's ``messages.py``: small dataclasses, ``can_replace`` where only the newest
matters. High-rate events (notes, model steps, log lines) arrive as batches (see ``bridge``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from live_jazz.engine.events import (
    ChordChanged,
    CommandApplied,
    ControlsChanged,
    LogLine,
    ModelStepped,
    NotePlayed,
    PortsChanged,
    TransportChanged,
)
from live_jazz.engine.protocol import EngineHandle


@dataclass
class TransportUpdated(Message):
    """Play state, position and settings in force (every beat and on every change)."""

    transport: TransportChanged

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TransportUpdated)


@dataclass
class CommandDone(Message):
    """The engine applied (or refused) a command: the settings in force after it."""

    applied: CommandApplied


@dataclass
class ControlsUpdated(Message):
    """The instrument's controls bound now (a control was learned)."""

    controls: ControlsChanged


@dataclass
class ChordUpdated(Message):
    """The chord sounding now and the next."""

    chord: ChordChanged

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ChordUpdated)


@dataclass
class PortsUpdated(Message):
    """Ports, MIDI API, sync source, recording file."""

    ports: PortsChanged

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PortsUpdated)


@dataclass
class AudioHeard(Message):
    """The microphone now (``--audio-in``): its level and the pitch heard."""

    level_db: float
    """The meter's level, dBFS."""
    pitch: int | None
    """The MIDI note heard, None where none (silent, gated, no clear pitch)."""
    source_open: bool
    """Whether an input is open (else the listener is retrying)."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AudioHeard)


@dataclass
class NotesPlayed(Message):
    """Notes that sounded since the last batch, oldest first."""

    notes: tuple[NotePlayed, ...]
    restart: bool = False
    """The transport started anew before these notes (and after any shown so far): the roll
    starts over. Carried here, in the notes' own order, not by the transport's message, which
    crosses threads on its own and may arrive after notes that followed it."""


@dataclass
class ModelSteps(Message):
    """Model steps since the last batch, oldest first."""

    steps: tuple[ModelStepped, ...]


@dataclass
class LogLines(Message):
    """Log lines since the last batch, oldest first; `dropped` lines were lost to a flood."""

    lines: tuple[LogLine, ...]
    dropped: int = 0


@dataclass
class EngineReady(Message):
    """The model is loaded and the engine started."""

    engine: EngineHandle


@dataclass
class EngineFailed(Message):
    """The engine could not be built (bad port, no MIDI backend, missing weights...)."""

    error: str
