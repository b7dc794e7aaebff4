"""``live-jazz train --midi``: fine-tuning from existing weights, and bad input."""

import json

import numpy as np
import pytest
from midi_writer import Track, band_file, drums, solo_line, write_midi

from live_jazz.cli.main import main
from live_jazz.model.arrays import ModelArrays
from live_jazz.model.bundle import load_weights
from training.midi_corpus import load_midi_corpus
from training.train import TrainConfig, train


@pytest.mark.slow
def test_fine_tuning_from_weights_keeps_their_vocabulary(tmp_path, random_weights_dir, capsys):
    band = band_file(tmp_path / "band.mid")
    out = tmp_path / "tuned"
    code = main(["train", "--midi", str(band), "--init", str(random_weights_dir),
                 "--epochs", "2", "--tx", "8", "--out", str(out), "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "melody: track 1 'Sax' (automatic)" in printed
    assert "| Dm7 G7 | Cmaj7 | Am7 D7 | Dm7 G7 |" in printed
    assert f"fine-tuning {random_weights_dir}" in printed
    start, tuned = load_weights(random_weights_dir), load_weights(out)
    # The line's 5-tick eighths are not in the test vocabulary: they fold, it stays.
    assert "fold into their nearest kept value" in printed
    assert tuned.vocabulary.values == start.vocabulary.values
    assert tuned.arrays.kernel.shape == start.arrays.kernel.shape
    record = json.loads((out / "config.json").read_text())
    assert record["init"] == str(random_weights_dir)
    assert record["config"]["learning_rate"] == pytest.approx(0.0001)
    assert record["history"]["train_loss"][1] < record["history"]["train_loss"][0]
    assert not np.allclose(tuned.arrays.kernel, start.arrays.kernel)
    # eval reads MIDI files the same way (no report lines with --json: stdout is the JSON)
    assert main(["eval", "--midi", str(band), "--window", "1:4", "--weights", str(out),
                 "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n_values"] == len(start.vocabulary) and report["n_solos"] == 1


@pytest.mark.slow
def test_training_from_scratch_keeps_every_value_of_a_small_midi_corpus(tmp_path, capsys):
    out = tmp_path / "scratch"
    code = main(["train", "--midi", str(band_file(tmp_path / "band.mid")), "--epochs", "1",
                 "--tx", "8", "--n-a", "8", "--out", str(out), "--quiet"])
    assert code == 0
    assert "0 of them fold into their nearest kept value" in capsys.readouterr().out
    record = json.loads((out / "config.json").read_text())
    assert record["config"]["min_count"] == 1 and record["init"] is None
    assert load_weights(out).arrays.n_a == 8


@pytest.mark.slow
def test_fine_tuning_keeps_the_starting_weights_when_no_epoch_does_better(
    tmp_path, random_weights_dir
):
    files = [band_file(tmp_path / f"take{k}.mid") for k in range(3)]
    solos, _ = load_midi_corpus(files)
    start = load_weights(random_weights_dir)
    # A learning rate this wild only makes things worse: epoch 0 (the start) must win.
    config = TrainConfig(epochs=1, batch_size=2, tx=8, n_a=start.arrays.n_a, learning_rate=10.0)
    history = train(solos, config, tmp_path / "out", init=start, verbose=False)
    assert history.best_epoch == 0
    assert history.start_validation_loss < history.validation_loss[0]
    kept = ModelArrays.load(tmp_path / "out")
    np.testing.assert_allclose(kept.kernel, start.arrays.kernel, rtol=1e-6)
    np.testing.assert_allclose(kept.dense_bias, start.arrays.dense_bias, rtol=1e-6)


def test_init_with_another_hidden_size_is_an_error(tmp_path, random_weights):
    solos, _ = load_midi_corpus([band_file(tmp_path / "band.mid")])
    config = TrainConfig(epochs=1, n_a=random_weights.arrays.n_a + 1)
    with pytest.raises(ValueError, match="hidden size"):
        train(solos, config, tmp_path / "out", init=random_weights, verbose=False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--midi", "{band}", "--init", "{nope}"], "no arrays.npz"),
        (["--midi", "{band}", "--init", "{weights}", "--min-count", "2"],
         "--min-count does not apply with --init"),
        (["--midi", "{band}", "--init", "{weights}", "--n-a", "99"], "--n-a 99"),
        (["--corpus", "{tmp}", "--window", "1:4"], "only with --midi: --window"),
        (["--midi", "{nope}"], "not found"),
        (["--midi", "{alone}"], "alone.mid: no recognizable harmony"),
        (["--midi", "{band}", "--melody-track", "Guitar"], "no track 'Guitar'"),
        (["--midi", "{band}", "--window", "40:"], "starts after the last bar"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, random_weights_dir, capsys, argv, message):
    paths = {
        "band": band_file(tmp_path / "band.mid"),
        "alone": write_midi(tmp_path / "alone.mid", [Track("Sax", 0, solo_line(8)), drums(8)]),
        "weights": random_weights_dir,
        "nope": tmp_path / "nope",
        "tmp": tmp_path,
    }
    args = ["train", *(a.format(**paths) for a in argv), "--out", str(tmp_path / "out")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("live-jazz: error: ") and message in err[0]
    assert not (tmp_path / "out").exists()


def test_bad_window_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--midi", "x.mid", "--window", "9:3"])
    assert exit_info.value.code == 2
    assert "END is before START" in capsys.readouterr().err

