"""The LSTM step in numpy, written once: the live sampler, evaluation and the benchmarks use it.

The arithmetic is Keras' LSTM cell (gates i, f, c, o; sigmoid and tanh) on the exported arrays,
rearranged once at construction so that a step is a handful of ufunc calls on preallocated
buffers:

- the input is a value index plus a small feature vector, so ``x @ kernel + bias`` is one
  precomputed row plus ``features @ feature_kernel``;
- the gates are reordered to (i, f, o, g) and the sigmoid gates' columns are scaled by 1/2, so
  one ``tanh`` over all four gates gives every gate: ``sigmoid(x) = (tanh(x / 2) + 1) / 2``.

A cell works on one state (shape ``(n_a,)``, the live path: no array is allocated in a step) or
on a batch of states (``(batch, n_a)``, evaluation).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import DTypeLike

from live_jazz.model.arrays import ModelArrays


class LstmCell:
    """The trained LSTM and output layer, ready to step ``batch`` states (None: one state)."""

    def __init__(self, arrays: ModelArrays, dtype: DTypeLike = np.float32,
                 batch: int | None = None) -> None:
        n = arrays.n_a
        self.n_a = n
        self.n_values = arrays.n_values
        self.n_features = arrays.n_features
        self.dtype = float_type = np.dtype(dtype)
        order = np.r_[0:n, n : 2 * n, 3 * n : 4 * n, 2 * n : 3 * n]  # (i, f, o, g)
        scale = np.r_[np.full(3 * n, 0.5), np.ones(n)]
        self.inputs = np.ascontiguousarray((arrays.kernel[:, order] + arrays.bias[order]) * scale,
                                           float_type)
        """(n_values, 4 n_a): each value's input row, bias included."""
        self.features = np.ascontiguousarray(arrays.feature_kernel[:, order] * scale, float_type)
        """(n_features, 4 n_a): the feature kernel."""
        self.recurrent = np.ascontiguousarray(arrays.recurrent_kernel[:, order] * scale,
                                              float_type)
        self.dense = np.ascontiguousarray(arrays.dense_kernel, float_type)
        self.dense_bias = np.ascontiguousarray(arrays.dense_bias, float_type)
        shape = (4 * n,) if batch is None else (batch, 4 * n)
        self._z = np.zeros(shape, float_type)
        self._zf = np.zeros(shape, float_type)
        self._tmp = np.zeros(shape[:-1] + (n,), float_type)
        z = self._z
        self._sig = z[..., : 3 * n]
        self._i, self._f, self._o, self._g = (z[..., k * n : (k + 1) * n] for k in range(4))

    def zero_state(self, batch: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``a`` and ``c`` of a fresh solo."""
        shape = (self.n_a,) if batch is None else (batch, self.n_a)
        return np.zeros(shape, self.dtype), np.zeros(shape, self.dtype)

    def step(self, index: int | np.ndarray, features: np.ndarray | None,
             a: np.ndarray, c: np.ndarray, a_out: np.ndarray, c_out: np.ndarray) -> None:
        """Feed value ``index`` with ``features`` (of the value to predict next) from state
        ``(a, c)``; the new state goes to ``(a_out, c_out)`` (may be ``a`` and ``c``)."""
        z = self._z
        np.dot(a, self.recurrent, out=z)
        np.add(z, self.inputs[index], out=z)
        if self.n_features:
            assert features is not None, "this model needs the features of each step"
            np.dot(features, self.features, out=self._zf)
            np.add(z, self._zf, out=z)
        np.tanh(z, out=z)
        np.multiply(self._sig, 0.5, out=self._sig)
        np.add(self._sig, 0.5, out=self._sig)
        tmp = self._tmp
        np.multiply(self._f, c, out=c_out)
        np.multiply(self._i, self._g, out=tmp)
        np.add(c_out, tmp, out=c_out)
        np.tanh(c_out, out=tmp)
        np.multiply(self._o, tmp, out=a_out)

    def logits(self, a: np.ndarray, out: np.ndarray) -> None:
        """Pre-softmax scores of the next value from state ``a`` into ``out``."""
        np.dot(a, self.dense, out=out)
        np.add(out, self.dense_bias, out=out)


def log_softmax(scores: np.ndarray) -> np.ndarray:
    """Log-probabilities along the last axis."""
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
