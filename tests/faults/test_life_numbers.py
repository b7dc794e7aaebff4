"""Bad numbers for every numeric option of every command (issue 13, item 4): NaN, infinities and
negatives are refused with exit code 2 and an error that names the option -- before anything
plays, renders or trains. (``--answer-silence nan`` was accepted, and the engine died on the
first note; ``--seed -1`` was a traceback.)"""

from __future__ import annotations

import pytest

from live_jazz.cli.main import main

pytestmark = pytest.mark.faults

ENGINE = ["--tempo", "--temperature", "--top-p", "--swing", "--velocity", "--trade-bars",
          "--answer-silence", "--solo-channel", "--comp-channel", "--seed"]
"""The options ``play`` and ``tui`` share."""
OPTIONS = {
    "play": (["play", "--headless", "--midi-api", "test", "--no-record", "--duration", "5",
              "--weights", "{weights}"], [*ENGINE, "--duration"]),
    "tui": (["tui", "--midi-api", "test", "--no-record", "--weights", "{weights}"], ENGINE),
    "generate": (["generate", "--preset", "blues-f", "--out", "{tmp}/g.mid", "--weights",
                  "{weights}"], ["--bars", "--tempo", "--swing", "--temperature", "--top-p",
                                 "--seed"]),
    "bench timing": (["bench", "timing", "--duration", "1", "--weights", "{weights}"],
                     ["--duration", "--tempo"]),
    "bench sampler": (["bench", "sampler", "--weights", "{weights}"],
                      ["--steps", "--predict-steps", "--call-steps", "--function-steps",
                       "--starts", "--long-runs"]),
    "train": (["train", "--corpus", "{tmp}", "--out", "{tmp}/out"],
              ["--epochs", "--batch-size", "--tx", "--n-a", "--min-count", "--learning-rate",
               "--seed"]),
}
BAD = ["nan", "inf", "-inf", "-1"]

CASES = [(command, option, value) for command, (_, options) in OPTIONS.items()
         for option in options for value in BAD]


@pytest.mark.parametrize(("command", "option", "value"), CASES,
                         ids=[f"{c}{o}={v}" for c, o, v in CASES])
def test_a_bad_number_is_refused_naming_the_option(command, option, value, random_weights_dir,
                                                   tmp_path, capsys):
    base, _ = OPTIONS[command]
    argv = [a.format(weights=random_weights_dir, tmp=tmp_path) for a in base]
    try:
        code = main([*argv, f"{option}={value}"])
    except SystemExit as exit_:  # argparse's usage error
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err  # no usage block before it
    last = lines[-1]
    name = option.lstrip("-")
    assert "error:" in last and (name in last or name.replace("-", " ") in last), last
    assert not (tmp_path / "g.mid").exists() and not (tmp_path / "out").exists()
