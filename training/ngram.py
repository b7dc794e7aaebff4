"""Unigram and bigram baselines over value indices, stored beside the weights as counts.

The bigram is interpolated absolute discounting (the core of Kneser-Ney): a fair, standard
baseline, not a straw man. The unigram is add-one smoothed so no value has zero probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NGRAM_FILE = "ngram.npz"
DISCOUNT = 0.75


@dataclass(frozen=True)
class NGramCounts:
    """Counts of values and of value pairs (within a solo) in the training corpus."""

    unigram: np.ndarray
    """(n_values,) how often each value is a prediction target."""
    bigram: np.ndarray
    """(n_values, n_values) how often value j follows value i."""

    @classmethod
    def fit(cls, sequences: Sequence[Sequence[int]], n_values: int) -> NGramCounts:
        """Count over the targets the LSTM predicts: every value but each solo's first."""
        unigram = np.zeros(n_values, dtype=np.int64)
        bigram = np.zeros((n_values, n_values), dtype=np.int64)
        for seq in sequences:
            s = np.asarray(seq, dtype=np.int64)
            np.add.at(unigram, s[1:], 1)
            np.add.at(bigram, (s[:-1], s[1:]), 1)
        return cls(unigram, bigram)

    def unigram_probs(self) -> np.ndarray:
        """Add-one smoothed unigram distribution."""
        counts = self.unigram + 1.0
        return counts / counts.sum()

    def bigram_probs(self) -> np.ndarray:
        """(n_values, n_values) P(next | previous), interpolated with the unigram."""
        counts = self.bigram.astype(np.float64)
        totals = counts.sum(axis=1, keepdims=True)
        seen = (counts > 0).sum(axis=1, keepdims=True)
        safe = np.maximum(totals, 1.0)
        discounted = np.maximum(counts - DISCOUNT, 0.0) / safe
        backoff = np.where(totals > 0, DISCOUNT * seen / safe, 1.0)
        return discounted + backoff * self.unigram_probs()[None, :]

    def save(self, directory: Path) -> None:
        """Write ``ngram.npz``."""
        np.savez(Path(directory) / NGRAM_FILE, unigram=self.unigram, bigram=self.bigram)

    @classmethod
    def load(cls, directory: Path) -> NGramCounts:
        """Read ``ngram.npz``."""
        with np.load(Path(directory) / NGRAM_FILE, allow_pickle=False) as data:
            return cls(data["unigram"], data["bigram"])


def cross_entropy(probs_of_targets: np.ndarray) -> float:
    """Mean negative log-likelihood in nats."""
    return float(-np.mean(np.log(probs_of_targets)))


def ngram_cross_entropies(
    counts: NGramCounts, sequences: Sequence[Sequence[int]]
) -> tuple[float, float]:
    """Unigram and bigram cross-entropy over every value but each solo's first."""
    uni, bi = counts.unigram_probs(), counts.bigram_probs()
    prev = np.concatenate([np.asarray(s[:-1]) for s in sequences])
    nxt = np.concatenate([np.asarray(s[1:]) for s in sequences])
    return cross_entropy(uni[nxt]), cross_entropy(bi[prev, nxt])
