"""The trained weights as plain numpy arrays: what the live path loads (no pickle, no
TensorFlow)."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path

import numpy as np

ARRAYS_FILE = "arrays.npz"


@dataclass(frozen=True)
class ModelArrays:
    """Weights of the shared LSTM cell and dense layer, in Keras' layout (gates i, f, c, o)."""

    kernel: np.ndarray
    """LSTM input kernel, (n_values, 4 * n_a)."""
    recurrent_kernel: np.ndarray
    """LSTM recurrent kernel, (n_a, 4 * n_a)."""
    bias: np.ndarray
    """LSTM bias, (4 * n_a,)."""
    dense_kernel: np.ndarray
    """Output layer kernel, (n_a, n_values)."""
    dense_bias: np.ndarray
    """Output layer bias, (n_values,)."""
    feature_kernel: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    """LSTM input kernel of the conditioning features, (n_features, 4 * n_a): the rows of the
    Keras kernel after the values'. Empty (or absent from the file): a values-only model, kept
    as (0, 4 * n_a)."""

    def __post_init__(self) -> None:
        if self.feature_kernel.size == 0:
            empty = np.zeros((0, self.kernel.shape[1]), self.kernel.dtype)
            object.__setattr__(self, "feature_kernel", empty)

    @property
    def n_a(self) -> int:
        """Hidden size."""
        return int(self.recurrent_kernel.shape[0])

    @property
    def n_features(self) -> int:
        """Width of the conditioning features (0: values only)."""
        return int(self.feature_kernel.shape[0])

    @property
    def n_values(self) -> int:
        """Vocabulary size."""
        return int(self.kernel.shape[0])

    def save(self, directory: Path) -> None:
        """Write ``arrays.npz`` into ``directory``."""
        np.savez(
            Path(directory) / ARRAYS_FILE,
            kernel=self.kernel,
            recurrent_kernel=self.recurrent_kernel,
            bias=self.bias,
            dense_kernel=self.dense_kernel,
            dense_bias=self.dense_bias,
            feature_kernel=self.feature_kernel,
        )

    @classmethod
    def load(cls, directory: Path, dtype: type = np.float64) -> ModelArrays:
        """Read ``arrays.npz`` from ``directory``; float64 by default so that long runs do not
        accumulate float32 rounding."""
        with np.load(Path(directory) / ARRAYS_FILE, allow_pickle=False) as data:
            arrays: dict[str, np.ndarray] = {
                name: np.ascontiguousarray(data[name], dtype=dtype) for name in data.files
            }
        known = {f.name: f for f in fields(cls)}
        for name in arrays:
            if name not in known:
                raise ValueError(f"unknown array {name!r}")
        for name, spec in known.items():
            if name not in arrays and spec.default is MISSING \
                    and spec.default_factory is MISSING:
                raise ValueError(f"no array {name!r}")
        return cls(**arrays)
