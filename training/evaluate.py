"""Per-value cross-entropy and perplexity of a weights folder on a corpus, beside n-gram baselines.

The model is run the way the instrument runs it: the numpy step on the exported arrays, each solo
from a fresh (zero) state, the state carried across the whole solo, with the features of each
value computed from the transcription (its position, the chords, the previous pitch, the tempo).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from live_jazz.model.arrays import ModelArrays
from live_jazz.model.bundle import CONFIG_FILE, Weights
from live_jazz.model.lstm import LstmCell, log_softmax
from training.corpus import Solo
from training.ngram import NGramCounts, ngram_cross_entropies


@dataclass(frozen=True)
class EvalReport:
    """Cross-entropies in nats per value; perplexity is exp of each."""

    cross_entropy: float
    """The LSTM."""
    unigram_cross_entropy: float
    """Add-one unigram fitted on the training solos."""
    bigram_cross_entropy: float
    """Interpolated bigram fitted on the training solos."""
    n_values: int
    """Vocabulary size."""
    n_solos: int
    """Solos evaluated."""
    n_targets: int
    """Values predicted (every value but each solo's first)."""

    def as_dict(self) -> dict[str, float | int]:
        """The report with perplexities, for ``--json``."""
        return {
            "perplexity": math.exp(self.cross_entropy),
            "unigram_perplexity": math.exp(self.unigram_cross_entropy),
            "bigram_perplexity": math.exp(self.bigram_cross_entropy),
            "cross_entropy": self.cross_entropy,
            "unigram_cross_entropy": self.unigram_cross_entropy,
            "bigram_cross_entropy": self.bigram_cross_entropy,
            "n_values": self.n_values,
            "n_solos": self.n_solos,
            "n_targets": self.n_targets,
        }


def model_cross_entropy(arrays: ModelArrays, sequences: Sequence[Sequence[int]],
                        features: Sequence[np.ndarray] | None = None) -> float:
    """Mean NLL of every value but each solo's first, all solos stepped side by side (float64,
    the live path's step). ``features``: each solo's rows (see ``Solo.features``)."""
    lengths = np.array([len(s) for s in sequences])
    padded = np.zeros((len(sequences), lengths.max()), dtype=np.int64)
    rows = np.zeros((len(sequences), lengths.max(), arrays.n_features))
    for row, seq in enumerate(sequences):
        padded[row, : len(seq)] = seq
        if features is not None:
            rows[row, : len(seq)] = features[row]
    cell = LstmCell(arrays, np.float64, batch=len(sequences))
    a, c = cell.zero_state(len(sequences))
    scores = np.zeros((len(sequences), arrays.n_values))
    total = 0.0
    solos = np.arange(len(sequences))
    for t in range(lengths.max() - 1):
        cell.step(padded[:, t], rows[:, t + 1], a, c, a, c)
        cell.logits(a, scores)
        live = lengths > t + 1
        logp = log_softmax(scores[live])
        total -= logp[np.arange(live.sum()), padded[solos[live], t + 1]].sum()
    return total / float((lengths - 1).sum())


def recorded_split(weights_dir: Path, side: str) -> set[str]:
    """Names of the 'train' or 'validation' solos the weights were trained with, from their
    config.json (OSError, ValueError or KeyError where it says none)."""
    record = json.loads((Path(weights_dir) / CONFIG_FILE).read_text(encoding="utf-8"))
    return set(record["split"][side])


def solo_names_of_split(weights_dir: Path, split: str) -> set[str] | None:
    """``recorded_split``, or None for 'all'."""
    return None if split == "all" else recorded_split(weights_dir, split)


def evaluate(weights: Weights, solos: Sequence[Solo]) -> EvalReport:
    """Evaluate ``weights`` (with its stored n-gram counts) on ``solos``."""
    kept = [s for s in solos if len(s.values()) > 1]
    sequences = [weights.vocabulary.indices(s.values()) for s in kept]
    features = [s.features(weights.features) for s in kept]
    if not sequences:
        raise ValueError("no solo with two or more values to evaluate")
    unigram, bigram = ngram_cross_entropies(NGramCounts.load(weights.directory), sequences)
    return EvalReport(
        cross_entropy=model_cross_entropy(weights.arrays, sequences, features),
        unigram_cross_entropy=unigram,
        bigram_cross_entropy=bigram,
        n_values=len(weights.vocabulary),
        n_solos=len(sequences),
        n_targets=sum(len(s) - 1 for s in sequences),
    )
