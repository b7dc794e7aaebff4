"""The Keras model of the "Improvise a Jazz Solo with an LSTM" exercise, and its shared layers.

Keras is imported inside the functions: this module is for training, exporting and the reference
path, never for the live path (which uses ``live_jazz.model.lstm`` on exported arrays).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from live_jazz.model.arrays import ModelArrays

KERAS_FILE = "model.keras"


@dataclass(frozen=True)
class SharedLayers:
    """The exercise's global shared layers, reused by the training and the one-step models."""

    reshaper: Any
    """Reshape((1, n_values)): one time step as a length-1 sequence."""
    lstm_cell: Any
    """LSTM(n_a, return_state=True)."""
    densor: Any
    """Dense(n_values, softmax)."""

    @property
    def n_a(self) -> int:
        """Hidden size."""
        return int(self.lstm_cell.units)

    @property
    def n_values(self) -> int:
        """Vocabulary size."""
        return int(self.densor.units)


def make_shared_layers(n_values: int, n_a: int) -> SharedLayers:
    """New shared layers. ``unroll=True``: each call sees a single step, so a symbolic loop
    would only add overhead (same weights and arithmetic either way)."""
    from keras import layers

    return SharedLayers(
        reshaper=layers.Reshape((1, n_values), name="reshaper"),
        lstm_cell=layers.LSTM(n_a, return_state=True, unroll=True, name="lstm_cell"),
        densor=layers.Dense(n_values, activation="softmax", name="densor"),
    )


def build_training_model(shared: SharedLayers, tx: int) -> Any:
    """The exercise's ``djmodel``: inputs ``X (m, Tx, n_values)``, ``a0``, ``c0``; the shared
    layers applied at each of the Tx steps. Outputs: the Tx softmax outputs, then the final
    ``a`` and ``c`` (so training can carry the state into the next window of a solo)."""
    import keras

    x_in = keras.Input(shape=(tx, shared.n_values), name="X")
    a0 = keras.Input(shape=(shared.n_a,), name="a0")
    c0 = keras.Input(shape=(shared.n_a,), name="c0")
    a, c = a0, c0
    outputs = []
    for t in range(tx):
        x = shared.reshaper(x_in[:, t, :])
        _, a, c = shared.lstm_cell(x, initial_state=[a, c])
        outputs.append(shared.densor(a))
    return keras.Model(inputs=[x_in, a0, c0], outputs=[*outputs, a, c], name="djmodel")


def build_one_step_model(shared: SharedLayers) -> Any:
    """The reference step from the same trained layers: ``(x_t, a, c) -> (probs, a', c')``."""
    import keras

    x_t = keras.Input(shape=(shared.n_values,), name="x_t")
    a0 = keras.Input(shape=(shared.n_a,), name="a")
    c0 = keras.Input(shape=(shared.n_a,), name="c")
    _, a, c = shared.lstm_cell(shared.reshaper(x_t), initial_state=[a0, c0])
    return keras.Model(inputs=[x_t, a0, c0], outputs=[shared.densor(a), a, c], name="one_step")


def export_arrays(shared: SharedLayers) -> ModelArrays:
    """The trained weights as numpy arrays for the live path."""
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in shared.lstm_cell.get_weights())
    dense_kernel, dense_bias = (np.asarray(w) for w in shared.densor.get_weights())
    return ModelArrays(kernel, recurrent_kernel, bias, dense_kernel, dense_bias)


def load_shared_layers(directory: Path) -> SharedLayers:
    """The shared layers of a saved training model (``model.keras``)."""
    import keras

    model = keras.models.load_model(Path(directory) / KERAS_FILE, compile=False)
    return SharedLayers(
        reshaper=model.get_layer("reshaper"),
        lstm_cell=model.get_layer("lstm_cell"),
        densor=model.get_layer("densor"),
    )
