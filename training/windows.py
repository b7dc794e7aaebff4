"""Training batches for truncated backpropagation through time.

Each solo is cut into consecutive windows of Tx values (targets shifted by one step). The
solos are spread over ``batch_size`` streams; a batch is the next window of every stream, and
the LSTM state at the end of a window is carried into the next window of the same solo (reset
to zero where a stream starts a new solo). So the model learns to run on from any state, as the
instrument does for hours, not only from the zero state of a fresh window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Batch:
    """One step of training."""

    x: np.ndarray
    """(batch, Tx) input value indices."""
    y: np.ndarray
    """(batch, Tx) target value indices."""
    weight: np.ndarray
    """(batch, Tx) 1 where the target is real, 0 for padding."""
    reset: np.ndarray
    """(batch,) True where the row starts a new solo (state set to zero)."""
    features: np.ndarray
    """(batch, Tx, n_features) float32: the features of each target (width 0: none)."""


Window = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""(x, y, weight, features) of one window."""


def solo_windows(seq: Sequence[int], tx: int,
                 features: np.ndarray | None = None) -> list[Window]:
    """Consecutive (x, y, weight, features) windows of one solo; the last one padded with
    weight 0. ``features`` (len(seq), n_features): row k those of value k; a window's rows
    are its targets' (None: width 0)."""
    s = np.asarray(seq, dtype=np.int64)
    f = np.zeros((len(s), 0), np.float32) if features is None else features
    n_targets = len(s) - 1
    windows = []
    for start in range(0, n_targets, tx):
        x = np.zeros(tx, dtype=np.int64)
        y = np.zeros(tx, dtype=np.int64)
        w = np.zeros(tx, dtype=np.float32)
        rows = np.zeros((tx, f.shape[1]), dtype=np.float32)
        stop = min(start + tx, n_targets)
        x[: stop - start] = s[start:stop]
        y[: stop - start] = s[start + 1 : stop + 1]
        w[: stop - start] = 1.0
        rows[: stop - start] = f[start + 1 : stop + 1]
        windows.append((x, y, w, rows))
    return windows


def epoch_batches(
    sequences: Sequence[Sequence[int]], tx: int, batch_size: int, rng: np.random.Generator | None,
    features: Sequence[np.ndarray] | None = None,
) -> list[Batch]:
    """The batches of one pass over all solos; ``rng`` varies the streams (None keeps them
    fixed, for validation). ``features``: each solo's (see ``solo_windows``)."""
    windows = [solo_windows(seq, tx, None if features is None else features[k])
               for k, seq in enumerate(sequences)]
    width = 0 if features is None or not len(features) else features[0].shape[1]
    # Longest solos first, each to the least loaded stream, keeps the streams about equally
    # long (little padding); the random tie-break and the shuffle inside each stream vary what
    # trains beside what from epoch to epoch.
    jitter = rng.random(len(windows)) if rng is not None else np.zeros(len(windows))
    order = sorted(range(len(windows)), key=lambda k: (-len(windows[k]), jitter[k]))
    assigned: list[list[int]] = [[] for _ in range(min(batch_size, len(order)))]
    loads = [0] * len(assigned)
    for k in order:
        target = loads.index(min(loads))
        assigned[target].append(k)
        loads[target] += len(windows[k])
    streams = []
    for solos in assigned:
        if rng is not None:
            rng.shuffle(solos)
        streams.append([(x, y, w, i == 0, f) for k in solos
                        for i, (x, y, w, f) in enumerate(windows[k])])
    empty = (np.zeros(tx, np.int64), np.zeros(tx, np.int64), np.zeros(tx, np.float32), True,
             np.zeros((tx, width), np.float32))
    padded = [[s[step] if step < len(s) else empty for s in streams]
              for step in range(max(loads, default=0))]
    return [
        Batch(
            x=np.stack([r[0] for r in rows]),
            y=np.stack([r[1] for r in rows]),
            weight=np.stack([r[2] for r in rows]),
            reset=np.array([r[3] for r in rows]),
            features=np.stack([r[4] for r in rows]),
        )
        for rows in padded
    ]
