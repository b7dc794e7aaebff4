"""``live-jazz train`` and ``live-jazz eval``, registered through the ``live_jazz.commands``
entry point group."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from live_jazz.cli.command import CliError, Command, positive_int, quiet_tensorflow
from live_jazz.model.bundle import WeightsError, default_weights_dir, load_weights
from training.corpus import CorpusError, Solo, load_corpus
from training.train import TrainConfig

DEFAULT_OUT = Path("live-jazz-weights")


def _solos(args: argparse.Namespace) -> list[Solo]:
    try:
        return load_corpus(args.corpus)
    except CorpusError as error:
        raise CliError(str(error)) from error


def _configure_train(parser: argparse.ArgumentParser) -> None:
    defaults = TrainConfig()
    parser.add_argument("--corpus", type=Path, required=True,
                        help="Weimar Jazz Database CSV folder (with csv_melody/ and csv_beats/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"weights folder to write (default: ./{DEFAULT_OUT})")
    parser.add_argument("--epochs", type=positive_int, default=defaults.epochs,
                        help=f"passes over the corpus (default: {defaults.epochs})")
    parser.add_argument("--batch-size", type=positive_int, default=defaults.batch_size,
                        help=f"solos trained side by side (default: {defaults.batch_size})")
    parser.add_argument("--tx", type=positive_int, default=defaults.tx,
                        help=f"values a window (default: {defaults.tx})")
    parser.add_argument("--n-a", type=positive_int, default=defaults.n_a,
                        help=f"LSTM hidden size (default: {defaults.n_a})")
    parser.add_argument("--min-count", type=positive_int, default=defaults.min_count,
                        help="values rarer than this fold into their nearest kept value "
                        f"(default: {defaults.min_count})")
    parser.add_argument("--seed", type=int, default=defaults.seed,
                        help=f"random seed (default: {defaults.seed})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _run_train(args: argparse.Namespace) -> int:
    solos = _solos(args)
    quiet_tensorflow()
    from training.train import train

    config = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, tx=args.tx,
                         n_a=args.n_a, min_count=args.min_count, seed=args.seed)
    print(f"{len(solos)} solos from {args.corpus}")
    history = train(solos, config, args.out, verbose=not args.quiet)
    best = history.validation_loss[history.best_epoch - 1]
    print(f"kept epoch {history.best_epoch} (validation loss {best:.4f}); "
          f"trained in {history.seconds:.0f} s; wrote {args.out}")
    return 0


def _configure_eval(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, required=True,
                        help="Weimar Jazz Database CSV folder to evaluate on")
    parser.add_argument("--weights", type=Path, default=None,
                        help=f"weights folder (default: {default_weights_dir()})")
    parser.add_argument("--split", choices=("all", "train", "validation"), default="all",
                        help="only the solos on this side of the weights' train/validation "
                        "split (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _run_eval(args: argparse.Namespace) -> int:
    from training.evaluate import evaluate, solo_names_of_split

    try:
        weights = load_weights(args.weights)
        names = solo_names_of_split(weights.directory, args.split)
    except (WeightsError, OSError, KeyError, ValueError) as error:
        raise CliError(str(error)) from error
    solos = [s for s in _solos(args) if names is None or s.name in names]
    if not solos:
        raise CliError(f"no solo of the {args.split} split in {args.corpus}")
    report = evaluate(weights, solos).as_dict()
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{report['n_solos']} solos, {report['n_targets']} values predicted, "
              f"vocabulary {report['n_values']}")
        for name in ("perplexity", "bigram_perplexity", "unigram_perplexity"):
            print(f"  {name:20s} {report[name]:8.2f}")
    return 0


TRAIN = Command("train", "train an improviser on a corpus", _configure_train, _run_train)
EVAL = Command("eval", "perplexity of an improviser on a corpus, beside n-gram baselines",
               _configure_eval, _run_eval)
