"""A corpus: solos as notes on the tick grid over a chord timeline, whatever file they came from."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from live_jazz.encoding import COUNT_IN, Note, Value, encode
from live_jazz.theory import ChordTimeline

log = logging.getLogger(__name__)


class CorpusError(Exception):
    """The corpus as a whole cannot be used (missing, empty, nothing readable)."""


class SoloError(Exception):
    """One solo cannot be read; it is skipped with a warning."""


@dataclass(frozen=True)
class Solo:
    """One monophonic solo."""

    name: str
    """Where it came from (file stem), for messages and the train/validation split."""
    notes: tuple[Note, ...]
    """The line, on the grid of ``live_jazz.encoding.TICKS_PER_BEAT``."""
    chords: ChordTimeline
    """The chords under it."""

    def values(self) -> list[Value]:
        """The solo as values, after the count-in."""
        return [COUNT_IN, *encode(self.notes, self.chords, start_tick=self.notes[0].onset)]


def load_corpus(path: Path) -> list[Solo]:
    """Solos from a corpus folder; unreadable solos are skipped with one warning each."""
    from training import wjazzd

    path = Path(path)
    if not path.is_dir():
        raise CorpusError(f"corpus folder not found: {path}")
    if wjazzd.is_wjazzd(path):
        solos = wjazzd.load(path)
    else:
        raise CorpusError(
            f"{path}: not a corpus folder (expected csv_melody/ and csv_beats/ of the "
            "Weimar Jazz Database)"
        )
    if not solos:
        raise CorpusError(f"{path}: no readable solo in the corpus")
    return solos
