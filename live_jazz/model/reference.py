"""The Keras one-step reference: the SAME trained shared layers (``model.keras``) cut down to one
step, ``(x_t, [f_t,] a, c) -> (probabilities, a', c')``. Used by the parity test and by
``live-jazz bench sampler``; never by the live path (Keras is imported when this is built).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from live_jazz.model.keras_model import build_one_step_model, load_shared_layers


class KerasReference:
    """The one-step Keras model of a weights folder, callable three ways (same arithmetic):
    ``predict_step`` (``model.predict``, what the exercise's inference does), ``call_step``
    (the model called directly) and ``function_step`` (a compiled ``tf.function``)."""

    def __init__(self, directory: Path) -> None:
        import tensorflow as tf

        self._tf = tf
        self.shared = load_shared_layers(Path(directory))
        self.model = self.build_model()
        self.n_values = self.shared.n_values
        self.n_a = self.shared.n_a
        self.n_features = self.shared.n_features
        model = self.model

        @tf.function(reduce_retracing=True)
        def step(inputs: Any) -> Any:
            return model(inputs, training=False)

        self._function = step

    def build_model(self) -> Any:
        """The one-step model on the shared layers."""
        return build_one_step_model(self.shared)

    def one_hot(self, index: int) -> np.ndarray:
        """The input row of value ``index``, (1, n_values) float32."""
        x = np.zeros((1, self.n_values), np.float32)
        x[0, index] = 1.0
        return x

    def inputs(self, index: int, a: np.ndarray, c: np.ndarray,
               features: np.ndarray | None) -> list[np.ndarray]:
        """The one-step model's inputs: value ``index`` and, for a conditioned model, its
        features (zeros if None)."""
        if not self.n_features:
            return [self.one_hot(index), a, c]
        row = np.zeros((1, self.n_features), np.float32)
        if features is not None:
            row[0] = features
        return [self.one_hot(index), row, a, c]

    def zero_state(self) -> tuple[np.ndarray, np.ndarray]:
        """``a`` and ``c`` of a fresh solo, (1, n_a) float32."""
        return np.zeros((1, self.n_a), np.float32), np.zeros((1, self.n_a), np.float32)

    def call_step(
        self, index: int, a: np.ndarray, c: np.ndarray, features: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Feed value ``index`` (with the next value's ``features``) from state (a, c):
        (probabilities, a', c') as numpy, (1, ...)."""
        probs, a_next, c_next = self.model(self.inputs(index, a, c, features), training=False)
        return probs.numpy(), a_next.numpy(), c_next.numpy()

    def predict_step(
        self, index: int, a: np.ndarray, c: np.ndarray, features: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The same step through ``model.predict``."""
        probs, a_next, c_next = self.model.predict(self.inputs(index, a, c, features),
                                                   verbose=0)
        return probs, a_next, c_next

    def function_step(
        self, index: int, a: np.ndarray, c: np.ndarray, features: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The same step through a ``tf.function``."""
        probs, a_next, c_next = self._function(self.inputs(index, a, c, features))
        return probs.numpy(), a_next.numpy(), c_next.numpy()
