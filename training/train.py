"""Train the exercise's LSTM on a corpus and write a weights folder."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from live_jazz.encoding import Vocabulary
from live_jazz.encoding.features import (
    CONDITIONED_GROUPS,
    GROUP_SIZES,
    SEED_SPEC,
    FeatureSpec,
)
from live_jazz.model.arrays import ModelArrays
from live_jazz.model.bundle import CONFIG_FILE, VOCABULARY_FILE, Weights
from live_jazz.model.keras_model import (
    KERAS_FILE,
    SharedLayers,
    build_training_model,
    export_arrays,
    make_shared_layers,
)
from training.articulation import measure_articulation
from training.corpus import Solo
from training.ngram import NGramCounts
from training.windows import Batch, epoch_batches


@dataclass(frozen=True)
class TrainConfig:
    """Settings of one training run; the exercise's values are the defaults."""

    epochs: int = 100
    """Passes over the training solos (the exercise: 100)."""
    batch_size: int = 32
    """Solos trained side by side (Keras' default, as in the exercise)."""
    tx: int = 30
    """Values a window (backpropagation runs through one window; the state runs on)."""
    n_a: int = 64
    """LSTM hidden size."""
    learning_rate: float = 0.01
    """Adam's initial learning rate (the exercise: 0.01)."""
    lr_decay: float = 0.5
    """Inverse-time decay per epoch: lr / (1 + lr_decay * epoch). At 0.01 without a fast decay
    the validation loss swings from epoch to epoch; halving by epoch 2 settles it."""
    clipnorm: float = 5.0
    """Gradient norm clip: keeps lr 0.01 stable on long carried states."""
    min_count: int = 10
    """Values seen fewer times in the training solos fold into their nearest kept value."""
    validation_share: float = 0.1
    """Share of solos (never windows) held out to pick the best epoch."""
    seed: int = 0
    """Seeds the split, the initial weights and the batch order."""
    features: tuple[str, ...] = CONDITIONED_GROUPS
    """Conditioning feature groups fed beside each value (``encoding.features``); empty: the
    exercise's seed-exact model, one-hot values only."""
    patience: int = 15
    """Stop when this many epochs in a row did not beat the best validation loss (the loss
    plateaus around epoch 40 of 100); 0: run every epoch."""


ARCHITECTURES: dict[str, tuple[str, ...]] = {
    "seed": SEED_SPEC.groups,
    "conditioned": FeatureSpec().groups,
    "phrase": tuple(GROUP_SIZES),
}
"""``--arch``: the feature groups of each architecture."""


@dataclass(frozen=True)
class Split:
    """Solo names on each side of the train/validation split."""

    train: list[str]
    """Solos the weights learn from."""
    validation: list[str]
    """Solos that choose the best epoch."""


def split_solos(solos: Sequence[Solo], share: float, seed: int) -> Split:
    """A seeded split by solo; at least one validation solo when there are two or more."""
    names = sorted(s.name for s in solos)
    np.random.default_rng(seed).shuffle(names)
    n_val = min(len(names) - 1, max(1, round(share * len(names)))) if len(names) > 1 else 0
    return Split(train=sorted(names[n_val:]), validation=sorted(names[:n_val]))


@dataclass
class History:
    """Per-epoch losses (nats per value) and the chosen epoch."""

    train_loss: list[float]
    """Mean training loss of each epoch."""
    validation_loss: list[float]
    """Validation loss after each epoch, state carried through each solo."""
    best_epoch: int = 0
    """1-based epoch whose weights were kept; 0: the starting weights of a fine-tuning run,
    when no epoch did better on validation."""
    start_validation_loss: float | None = None
    """Validation loss of the starting weights of a fine-tuning run (None otherwise, or
    without validation solos)."""
    seconds: float = 0.0
    """Wall time of the training loop."""


def _steps(shared: SharedLayers, config: TrainConfig, optimizer: Any) -> tuple[Any, Any]:
    """Compiled train and validation steps over a batch with carried states."""
    import keras
    import tensorflow as tf

    model = build_training_model(shared, config.tx)
    n_values, tx = shared.n_values, config.tx
    conditioned = shared.n_features > 0

    def loss_terms(x: Any, y: Any, w: Any, f: Any, a0: Any, c0: Any, training: bool) -> Any:
        inputs = [tf.one_hot(x, n_values), f, a0, c0] if conditioned \
            else [tf.one_hot(x, n_values), a0, c0]
        outputs = model(inputs, training=training)
        probs = tf.stack(outputs[:tx], axis=1)
        ce = keras.losses.categorical_crossentropy(tf.one_hot(y, n_values), probs)
        return tf.reduce_sum(ce * w), outputs[tx], outputs[tx + 1]

    @tf.function(reduce_retracing=True)
    def train_step(x: Any, y: Any, w: Any, f: Any, a0: Any, c0: Any) -> Any:
        with tf.GradientTape() as tape:
            total, a, c = loss_terms(x, y, w, f, a0, c0, True)
            loss = total / tf.maximum(tf.reduce_sum(w), 1.0)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return total, a, c

    @tf.function(reduce_retracing=True)
    def eval_step(x: Any, y: Any, w: Any, f: Any, a0: Any, c0: Any) -> Any:
        return loss_terms(x, y, w, f, a0, c0, False)

    return train_step, eval_step


def _run_epoch(
    step: Any,
    batches: Sequence[Batch],
    n_a: int,
    on_batch: Callable[[int, float], None] | None = None,
) -> float:
    """Mean loss per target over one pass, carrying the state through each solo."""
    total, count = 0.0, 0.0
    a = c = np.zeros((len(batches[0].reset), n_a), np.float32)
    for number, batch in enumerate(batches, 1):
        keep = (~batch.reset)[:, None].astype(np.float32)
        loss_sum, a_t, c_t = step(batch.x, batch.y, batch.weight, batch.features, a * keep,
                                  c * keep)
        a, c = np.asarray(a_t), np.asarray(c_t)
        total += float(loss_sum)
        count += float(batch.weight.sum())
        if on_batch is not None:
            on_batch(number, total / max(count, 1.0))
    return total / max(count, 1.0)


@dataclass
class _Data:
    """The corpus as the model reads it: split, on the vocabulary, with its features."""

    split: Split
    vocabulary: Vocabulary
    spec: FeatureSpec
    train_seqs: list[list[int]]
    val_seqs: list[list[int]]
    train_feats: list[np.ndarray]
    val_feats: list[np.ndarray]
    train_solos: list[Solo]


def train(
    solos: Sequence[Solo],
    config: TrainConfig,
    out: Path,
    *,
    init: Weights | None = None,
    verbose: bool = True,
) -> History:
    """Train on ``solos`` and write ``out``: the Keras model, the numpy arrays, the vocabulary,
    the n-gram baselines' counts, the players' articulation and ``config.json`` (settings, split,
    history).

    ``init``: fine-tune these weights instead of starting from random ones. Their vocabulary
    is kept (``config.min_count`` does not apply), so the result runs wherever they ran and
    values they lack fold into the nearest they have; so are their features
    (``config.features`` does not apply); ``config.n_a`` must be theirs.
    """
    if init is not None and init.arrays.n_a != config.n_a:
        raise ValueError(f"{init.directory} has hidden size {init.arrays.n_a}, not {config.n_a}")
    spec = FeatureSpec(config.features) if init is None else init.features
    if init is not None:
        config = replace(config, features=spec.groups)
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(config.seed)
    tf.config.experimental.enable_op_determinism()
    data = _prepare(solos, config, spec, init)
    shared = make_shared_layers(len(data.vocabulary), config.n_a, spec.size)
    history = _fit(shared, data, config, init, verbose)
    _write(Path(out), shared, data, config, init, history)
    return history


def _prepare(solos: Sequence[Solo], config: TrainConfig, spec: FeatureSpec,
             init: Weights | None) -> _Data:
    """The split, the vocabulary (``init``'s, or built from the training solos) and the
    training and validation sequences (solos of one value cannot be trained on)."""
    split = split_solos(solos, config.validation_share, config.seed)
    by_name = {s.name: s.values() for s in solos}
    vocabulary = (
        Vocabulary.build((by_name[n] for n in split.train), config.min_count)
        if init is None
        else init.vocabulary
    )
    solo_by_name = {s.name: s for s in solos}
    train_names = [n for n in split.train if len(by_name[n]) > 1]
    val_names = [n for n in split.validation if len(by_name[n]) > 1]
    return _Data(
        split, vocabulary, spec,
        [vocabulary.indices(by_name[n]) for n in train_names],
        [vocabulary.indices(by_name[n]) for n in val_names],
        [solo_by_name[n].features(spec) for n in train_names],
        [solo_by_name[n].features(spec) for n in val_names],
        [solo_by_name[n] for n in split.train],
    )


def _fit(shared: SharedLayers, data: _Data, config: TrainConfig, init: Weights | None,
         verbose: bool) -> History:
    """Train ``shared`` epoch by epoch, keep the weights of the best validation loss (stopping
    after ``config.patience`` epochs without a better one) and leave them in ``shared``."""
    import keras

    rng = np.random.default_rng(config.seed)
    first_epoch = epoch_batches(data.train_seqs, config.tx, config.batch_size, rng,
                                data.train_feats)
    val_batches = epoch_batches(data.val_seqs, config.tx, config.batch_size, None,
                                data.val_feats)
    schedule = keras.optimizers.schedules.InverseTimeDecay(
        config.learning_rate, decay_steps=len(first_epoch), decay_rate=config.lr_decay
    )
    optimizer = keras.optimizers.Adam(
        learning_rate=schedule, beta_1=0.9, beta_2=0.999, clipnorm=config.clipnorm
    )
    train_step, eval_step = _steps(shared, config, optimizer)  # builds the layers
    if init is not None:
        _set_layer_weights(shared, _layer_weights_of(init.arrays))
    history = History([], [])
    best: tuple[float, list[Any]] = (math.inf, [])
    if init is not None and val_batches:
        # A small corpus can only pull good weights off course: keep them unless an epoch
        # does better on the held-out solos.
        history.start_validation_loss = _run_epoch(eval_step, val_batches, config.n_a)
        best = (history.start_validation_loss, _layer_weights(shared))
    started = time.perf_counter()
    for epoch in range(1, config.epochs + 1):
        batches = first_epoch if epoch == 1 else epoch_batches(
            data.train_seqs, config.tx, config.batch_size, rng, data.train_feats)
        val_loss = _epoch(epoch, batches, val_batches, train_step, eval_step, config, history,
                          verbose)
        if val_loss < best[0]:
            best = (val_loss, [w.copy() for w in _layer_weights(shared)])
            history.best_epoch = epoch
        elif config.patience and epoch - history.best_epoch >= config.patience:
            if verbose:
                print(f"no better validation loss for {config.patience} epochs: stopping")
            break
    history.seconds = time.perf_counter() - started
    _set_layer_weights(shared, best[1])
    return history


def _epoch(epoch: int, batches: list[Batch], val_batches: list[Batch], train_step: Any,
           eval_step: Any, config: TrainConfig, history: History, verbose: bool) -> float:
    """One epoch, its losses added to ``history`` (shown with Keras' progress bar when
    ``verbose``); returns the validation loss (the training loss with no validation)."""
    import keras

    bar = keras.utils.Progbar(len(batches), verbose=1 if verbose else 0, unit_name="batch")
    if verbose:
        print(f"Epoch {epoch}/{config.epochs}")

    def show(number: int, loss: float) -> None:
        bar.update(number - 1, [("loss", loss)])

    train_loss = _run_epoch(train_step, batches, config.n_a, show)
    val_loss = _run_epoch(eval_step, val_batches, config.n_a) if val_batches else train_loss
    history.train_loss.append(train_loss)
    history.validation_loss.append(val_loss)
    if verbose:
        bar.update(len(batches), [("loss", train_loss), ("val_loss", val_loss)], finalize=True)
    return val_loss


def _write(out: Path, shared: SharedLayers, data: _Data, config: TrainConfig,
           init: Weights | None, history: History) -> None:
    """The weights folder: the Keras model, the arrays, the vocabulary, the features, the
    players' articulation, the n-gram counts and ``config.json``."""
    out.mkdir(parents=True, exist_ok=True)
    build_training_model(shared, config.tx).save(out / KERAS_FILE)
    export_arrays(shared).save(out)
    data.vocabulary.save(out / VOCABULARY_FILE)
    data.spec.save(out)
    measure_articulation(data.train_solos).save(out)
    NGramCounts.fit(data.train_seqs, len(data.vocabulary)).save(out)
    record = {
        "config": asdict(config),
        "n_values": len(data.vocabulary),
        "init": str(init.directory) if init is not None else None,
        "split": asdict(data.split),
        "history": asdict(history),
    }
    (out / CONFIG_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def _layer_weights(shared: SharedLayers) -> list[np.ndarray]:
    return [*shared.lstm_cell.get_weights(), *shared.densor.get_weights()]


def _layer_weights_of(arrays: ModelArrays) -> list[np.ndarray]:
    """Exported arrays in the order of ``_layer_weights`` (the values' and the features'
    kernel rows joined again, as Keras holds them)."""
    kernel = np.concatenate([arrays.kernel, arrays.feature_kernel])
    return [
        np.asarray(w, np.float32)
        for w in (kernel, arrays.recurrent_kernel, arrays.bias, arrays.dense_kernel,
                  arrays.dense_bias)
    ]


def _set_layer_weights(shared: SharedLayers, weights: list[np.ndarray]) -> None:
    if weights:
        shared.lstm_cell.set_weights(weights[:3])
        shared.densor.set_weights(weights[3:])
