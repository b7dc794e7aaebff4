"""Bad input to train/eval: one clear line on stderr and exit code 2, never a traceback."""

import pytest

from live_jazz.cli.main import main


@pytest.mark.parametrize(
    "argv",
    [
        ["train", "--corpus", "{missing}"],
        ["train", "--corpus", "{empty}"],
        ["eval", "--corpus", "{empty}", "--weights", "{empty}"],
        ["eval", "--corpus", "{missing}", "--weights", "{missing}"],
    ],
)
def test_bad_corpus_or_weights_exit_2_with_one_line(argv, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    args = [a.format(missing=tmp_path / "nope", empty=tmp_path / "empty") for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("live-jazz: error: ")


def test_bad_option_value_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["train", "--corpus", ".", "--epochs", "0"])
    assert exit_info.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err
