"""Training smoke test, eval, and the CLI's errors, on the tiny corpus the tests write."""

import json

import numpy as np
import pytest

from live_jazz.cli.main import main
from live_jazz.encoding import Vocabulary
from live_jazz.model.arrays import ModelArrays
from live_jazz.model.bundle import load_weights
from training.corpus import load_corpus
from training.evaluate import evaluate, model_cross_entropy
from training.train import TrainConfig, split_solos, train

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(tmp_path_factory, solo_writer):
    root = tmp_path_factory.mktemp("corpus") / "wjazzd"
    rng = np.random.default_rng(1)
    for i in range(6):
        solo_writer(root, f"Player{i}_Tune_Solo", rng)
    out = tmp_path_factory.mktemp("weights")
    config = TrainConfig(epochs=2, batch_size=4, min_count=1, seed=3)
    history = train(load_corpus(root), config, out, verbose=False)
    return root, out, history


def test_loss_falls_over_two_epochs(trained):
    _, _, history = trained
    assert history.train_loss[1] < history.train_loss[0]
    assert history.best_epoch in (1, 2)


def test_weights_folder_has_everything_the_live_path_needs(trained):
    _, out, _ = trained
    for name in ("model.keras", "arrays.npz", "vocabulary.json", "ngram.npz", "config.json",
                 "articulation.json"):
        assert (out / name).is_file()
    weights = load_weights(out)
    assert weights.arrays.n_values == len(weights.vocabulary)
    assert weights.arrays.n_a == 64


def test_split_is_by_solo_and_seeded(trained):
    root, out, _ = trained
    solos = load_corpus(root)
    split = split_solos(solos, 0.2, seed=3)
    assert not set(split.train) & set(split.validation)
    assert sorted(split.train + split.validation) == sorted(s.name for s in solos)
    assert split == split_solos(solos, 0.2, seed=3)
    record = json.loads((out / "config.json").read_text())
    assert record["split"]["validation"] and record["config"]["seed"] == 3


def test_numpy_eval_matches_the_keras_training_model(trained):
    """The eval path (numpy, state carried) gives the same loss as Keras on the same solo."""
    from live_jazz.model.keras_model import build_training_model, load_shared_layers
    from training.windows import epoch_batches

    root, out, _ = trained
    weights = load_weights(out)
    assert weights.features.size == 87  # the conditioned model by default
    solo = load_corpus(root)[0]
    seq = weights.vocabulary.indices(solo.values())
    features = solo.features(weights.features)
    shared = load_shared_layers(out)
    model = build_training_model(shared, 30)
    a = c = np.zeros((1, 64), np.float32)
    total = 0.0
    for batch in epoch_batches([seq], 30, 1, None, [features]):
        x = np.eye(len(weights.vocabulary), dtype=np.float32)[batch.x]
        outputs = model([x, batch.features, a, c])
        probs = np.stack([np.asarray(o) for o in outputs[:30]], axis=1)[0]
        picked = probs[np.arange(30), batch.y[0]]
        total -= float(np.sum(np.log(picked) * batch.weight[0]))
        a, c = np.asarray(outputs[30]), np.asarray(outputs[31])
    keras_ce = total / (len(seq) - 1)
    numpy_ce = model_cross_entropy(ModelArrays.load(out), [seq], [features])
    assert numpy_ce == pytest.approx(keras_ce, rel=1e-4)


def test_the_seed_architecture_trains_on_values_only(trained, tmp_path):
    root, _, _ = trained
    config = TrainConfig(epochs=1, batch_size=4, min_count=1, seed=3, features=())
    train(load_corpus(root), config, tmp_path, verbose=False)
    weights = load_weights(tmp_path)
    assert weights.features.size == 0 and weights.arrays.feature_kernel.shape == (0, 256)
    report = evaluate(weights, load_corpus(root)).as_dict()
    assert report["perplexity"] > 1.0


def test_eval_report(trained):
    root, out, _ = trained
    report = evaluate(load_weights(out), load_corpus(root)).as_dict()
    assert report["n_solos"] == 6
    assert report["unigram_perplexity"] > report["bigram_perplexity"] > 1.0
    assert report["perplexity"] > 1.0


def test_eval_json_keys(trained, capsys):
    root, out, _ = trained
    assert main(["eval", "--corpus", str(root), "--weights", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    for key in ("perplexity", "unigram_perplexity", "bigram_perplexity", "n_values", "n_solos"):
        assert key in report
    assert report["n_values"] == len(Vocabulary.load(out / "vocabulary.json"))


def test_eval_validation_split(trained, capsys):
    root, out, _ = trained
    assert main(["eval", "--corpus", str(root), "--weights", str(out), "--split",
                 "validation", "--json"]) == 0
    validation = json.loads((out / "config.json").read_text())["split"]["validation"]
    assert json.loads(capsys.readouterr().out)["n_solos"] == len(validation)


def test_train_cli_writes_weights(tiny_corpus, tmp_path, capsys):
    out = tmp_path / "w"
    code = main(["train", "--corpus", str(tiny_corpus), "--epochs", "1", "--batch-size", "4",
                 "--min-count", "1", "--out", str(out), "--quiet"])
    assert code == 0
    assert (out / "arrays.npz").is_file()
    assert "kept epoch 1" in capsys.readouterr().out
