"""A weights folder: the files training writes and the live path reads."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from live_jazz.encoding import Vocabulary
from live_jazz.encoding.articulation import ARTICULATION_FILE, LEGATO, Articulation
from live_jazz.encoding.features import FEATURES_FILE, FeatureSpec
from live_jazz.encoding.feel import FEEL_FILE, FeelModel
from live_jazz.model.arrays import ARRAYS_FILE, ModelArrays

VOCABULARY_FILE = "vocabulary.json"
CONFIG_FILE = "config.json"
WEIGHTS_ENV = "LIVE_JAZZ_WEIGHTS"
SHIPPED_WEIGHTS = "live_jazz.weights"
"""The package that carries the shipped weights (``weights/`` in the repository)."""


class WeightsError(Exception):
    """A weights folder is missing or incomplete."""


def default_weights_dir() -> Path:
    """``$LIVE_JAZZ_WEIGHTS`` if set, else the shipped weights: the package ``live_jazz.weights``
    (the checkout's ``weights/``, mapped into the distribution at build time)."""
    override = os.environ.get(WEIGHTS_ENV)
    if override:
        return Path(override)
    return Path(str(resources.files(SHIPPED_WEIGHTS)))


@dataclass(frozen=True)
class Weights:
    """What the live path needs from a weights folder."""

    directory: Path
    """Where it was loaded from."""
    arrays: ModelArrays
    """The LSTM and dense weights."""
    vocabulary: Vocabulary
    """The values, in the order of the model's outputs."""
    features: FeatureSpec
    """The conditioning features the model reads at each step (none: the seed-exact model)."""
    articulation: Articulation = LEGATO
    """How long the notes sound within their values (``articulation.json``; else legato)."""
    feel: FeelModel | None = None
    """The players' time feel (``feel.json``; None: an older folder, played on the grid)."""


def load_weights(directory: Path | None = None) -> Weights:
    """Load a weights folder (default: ``default_weights_dir()``)."""
    directory = Path(directory) if directory is not None else default_weights_dir()
    for name in (ARRAYS_FILE, VOCABULARY_FILE):
        if not (directory / name).is_file():
            raise WeightsError(
                f"{directory}: no {name} (train with 'live-jazz train' or pass --weights DIR)"
            )
    arrays_file, vocabulary_file = directory / ARRAYS_FILE, directory / VOCABULARY_FILE
    try:
        vocabulary = Vocabulary.load(vocabulary_file)
    except (OSError, ValueError) as error:
        raise WeightsError(f"{vocabulary_file}: {_reason(error)}") from None
    try:
        arrays = ModelArrays.load(directory)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise WeightsError(f"{arrays_file}: {_reason(error)}") from None
    try:
        features = FeatureSpec.load(directory)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise WeightsError(f"{directory / FEATURES_FILE}: {_reason(error)}") from None
    try:
        check_arrays(arrays, vocabulary, features.size)
    except ValueError as error:
        raise WeightsError(f"{arrays_file}: {error}") from None
    try:
        articulation = Articulation.load(directory)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise WeightsError(f"{directory / ARTICULATION_FILE}: {_reason(error)}") from None
    try:
        feel = FeelModel.load(directory)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise WeightsError(f"{directory / FEEL_FILE}: {_reason(error)}") from None
    return Weights(directory, arrays, vocabulary, features, articulation, feel)


def check_arrays(arrays: ModelArrays, vocabulary: Vocabulary, n_features: int) -> None:
    """Raise ValueError naming the first array whose shape does not fit the others, the
    vocabulary and the ``n_features`` conditioning features, or that holds a value that is not
    finite (NaN weights sample nonsense without a word). A new array is one more line in
    ``expected``."""
    n_values = len(vocabulary)
    shape = arrays.recurrent_kernel.shape
    n_a = shape[0] if len(shape) == 2 else 0
    if n_a < 1:
        raise ValueError(f"recurrent_kernel has shape {shape}, expected (n_a, 4 * n_a)")
    expected = {
        "kernel": (n_values, 4 * n_a),
        "recurrent_kernel": (n_a, 4 * n_a),
        "bias": (4 * n_a,),
        "dense_kernel": (n_a, n_values),
        "dense_bias": (n_values,),
        "feature_kernel": (n_features, 4 * n_a),
    }
    for name, want in expected.items():
        array = getattr(arrays, name)
        if array.shape != want:
            raise ValueError(f"{name} has shape {array.shape}, expected {want} (hidden size "
                             f"{n_a}, {n_values} values in the vocabulary)")
        bad = array.size - int(np.count_nonzero(np.isfinite(array)))
        if bad:
            raise ValueError(f"{name} holds {bad} value(s) that are not finite (NaN or inf)")


def _reason(error: BaseException) -> str:
    """One line about a failed read: the OS's words for an OSError, else the error's."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, zipfile.BadZipFile | EOFError):
        return f"not a complete npz archive ({error or 'truncated'})"
    return str(error) or type(error).__name__
