"""A weights folder: the files training writes and the live path reads."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from live_jazz.encoding import Vocabulary
from live_jazz.encoding.features import FeatureSpec
from live_jazz.model.arrays import ARRAYS_FILE, ModelArrays

VOCABULARY_FILE = "vocabulary.json"
CONFIG_FILE = "config.json"
WEIGHTS_ENV = "LIVE_JAZZ_WEIGHTS"


class WeightsError(Exception):
    """A weights folder is missing or incomplete."""


def default_weights_dir() -> Path:
    """``$LIVE_JAZZ_WEIGHTS`` if set, else the shipped ``weights/`` of the checkout."""
    override = os.environ.get(WEIGHTS_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "weights"


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


def load_weights(directory: Path | None = None) -> Weights:
    """Load a weights folder (default: ``default_weights_dir()``)."""
    directory = Path(directory) if directory is not None else default_weights_dir()
    for name in (ARRAYS_FILE, VOCABULARY_FILE):
        if not (directory / name).is_file():
            raise WeightsError(
                f"{directory}: no {name} (train with 'live-jazz train' or pass --weights DIR)"
            )
    try:
        arrays = ModelArrays.load(directory)
        vocabulary = Vocabulary.load(directory / VOCABULARY_FILE)
        features = FeatureSpec.load(directory)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise WeightsError(f"{directory}: unreadable weights ({error})") from error
    if arrays.n_values != len(vocabulary):
        raise WeightsError(
            f"{directory}: arrays have {arrays.n_values} values, vocabulary {len(vocabulary)}"
        )
    if arrays.n_features != features.size:
        raise WeightsError(
            f"{directory}: arrays have {arrays.n_features} feature rows, features.json "
            f"{features.size}"
        )
    return Weights(directory, arrays, vocabulary, features)
