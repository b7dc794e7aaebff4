"""A corpus folder: its solos (``training.solo``), whatever files they came from."""

from __future__ import annotations

import logging
from pathlib import Path

from training import wjazzd
from training.solo import CorpusError, Solo, SoloError

__all__ = ["CorpusError", "Solo", "SoloError", "load_corpus"]

log = logging.getLogger(__name__)


def load_corpus(path: Path) -> list[Solo]:
    """Solos from a corpus folder; unreadable solos are skipped with one warning each."""
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
