"""The Keras model of the "Improvise a Jazz Solo with an LSTM" exercise, and its shared layers.

Two architectures from the same code: the seed-exact model (one-hot values only, as in the
exercise) and the conditioned model, whose input at each step is the one-hot value joined with
the features of the value to predict (``encoding.features``). Either way: shared layers (join,
reshape, one LSTM returning its state, dense softmax), one training model over Tx steps and a
one-step model from the same trained layers, exported to numpy for the live path.

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
    """Reshape((1, n_values + n_features)): one time step as a length-1 sequence."""
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

    @property
    def n_features(self) -> int:
        """Width of the conditioning features (0: the seed-exact model)."""
        return int(self.reshaper.target_shape[-1]) - self.n_values

    def step_input(self, value: Any, features: Any) -> Any:
        """One step's LSTM input: the one-hot value, joined with its features if any."""
        if not self.n_features:
            return self.reshaper(value)
        from keras import layers

        return self.reshaper(layers.Concatenate(axis=-1)([value, features]))


def make_shared_layers(n_values: int, n_a: int, n_features: int = 0) -> SharedLayers:
    """New shared layers. ``unroll=True``: each call sees a single step, so a symbolic loop
    would only add overhead (same weights and arithmetic either way)."""
    from keras import layers

    return SharedLayers(
        reshaper=layers.Reshape((1, n_values + n_features), name="reshaper"),
        lstm_cell=layers.LSTM(n_a, return_state=True, unroll=True, name="lstm_cell"),
        densor=layers.Dense(n_values, activation="softmax", name="densor"),
    )


def build_training_model(shared: SharedLayers, tx: int) -> Any:
    """The exercise's ``djmodel``: inputs ``X (m, Tx, n_values)``, with features
    ``F (m, Tx, n_features)`` (those of each step's target), ``a0``, ``c0``; the shared layers
    applied at each of the Tx steps. Outputs: the Tx softmax outputs, then the final ``a`` and
    ``c`` (so training can carry the state into the next window of a solo)."""
    import keras

    x_in = keras.Input(shape=(tx, shared.n_values), name="X")
    f_in = keras.Input(shape=(tx, shared.n_features), name="F") if shared.n_features else None
    a0 = keras.Input(shape=(shared.n_a,), name="a0")
    c0 = keras.Input(shape=(shared.n_a,), name="c0")
    a, c = a0, c0
    outputs = []
    for t in range(tx):
        x = shared.step_input(x_in[:, t, :], None if f_in is None else f_in[:, t, :])
        _, a, c = shared.lstm_cell(x, initial_state=[a, c])
        outputs.append(shared.densor(a))
    inputs = [x_in, a0, c0] if f_in is None else [x_in, f_in, a0, c0]
    return keras.Model(inputs=inputs, outputs=[*outputs, a, c], name="djmodel")


def build_one_step_model(shared: SharedLayers) -> Any:
    """The reference step from the same trained layers: ``(x_t, [f_t,] a, c) -> (probs, a',
    c')``."""
    import keras

    x_t = keras.Input(shape=(shared.n_values,), name="x_t")
    f_t = keras.Input(shape=(shared.n_features,), name="f_t") if shared.n_features else None
    a0 = keras.Input(shape=(shared.n_a,), name="a")
    c0 = keras.Input(shape=(shared.n_a,), name="c")
    _, a, c = shared.lstm_cell(shared.step_input(x_t, f_t), initial_state=[a0, c0])
    inputs = [x_t, a0, c0] if f_t is None else [x_t, f_t, a0, c0]
    return keras.Model(inputs=inputs, outputs=[shared.densor(a), a, c], name="one_step")


def export_arrays(shared: SharedLayers) -> ModelArrays:
    """The trained weights as numpy arrays for the live path: the LSTM kernel's rows split
    into the values' and the features'."""
    kernel, recurrent_kernel, bias = (np.asarray(w) for w in shared.lstm_cell.get_weights())
    dense_kernel, dense_bias = (np.asarray(w) for w in shared.densor.get_weights())
    n = shared.n_values
    return ModelArrays(kernel[:n], recurrent_kernel, bias, dense_kernel, dense_bias,
                       feature_kernel=kernel[n:])


def load_shared_layers(directory: Path) -> SharedLayers:
    """The shared layers of a saved training model (``model.keras``)."""
    import keras

    model = keras.models.load_model(Path(directory) / KERAS_FILE, compile=False)
    return SharedLayers(
        reshaper=model.get_layer("reshaper"),
        lstm_cell=model.get_layer("lstm_cell"),
        densor=model.get_layer("densor"),
    )
