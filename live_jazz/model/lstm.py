"""The LSTM step in numpy: the same arithmetic as Keras' LSTM cell (gates i, f, c, o; sigmoid
and tanh), on a batch of states. The input is a value index, so ``x @ kernel`` is a row lookup."""

from __future__ import annotations

import numpy as np

from live_jazz.model.arrays import ModelArrays


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function, written through tanh so it never overflows."""
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def lstm_step(
    arrays: ModelArrays, index: np.ndarray, a: np.ndarray, c: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """New ``(a, c)`` after feeding value ``index`` (shape (batch,)) to states (batch, n_a)."""
    n = arrays.n_a
    z = arrays.kernel[index] + a @ arrays.recurrent_kernel + arrays.bias
    i = sigmoid(z[:, :n])
    f = sigmoid(z[:, n : 2 * n])
    g = np.tanh(z[:, 2 * n : 3 * n])
    o = sigmoid(z[:, 3 * n :])
    c = f * c + i * g
    return o * np.tanh(c), c


def logits(arrays: ModelArrays, a: np.ndarray) -> np.ndarray:
    """Pre-softmax scores of the next value, (batch, n_values)."""
    return a @ arrays.dense_kernel + arrays.dense_bias


def log_softmax(scores: np.ndarray) -> np.ndarray:
    """Log-probabilities along the last axis."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
