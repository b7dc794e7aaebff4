"""``live-jazz train`` and ``live-jazz eval``, registered through the ``live_jazz.commands``
entry point group."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from live_jazz.command import (
    CliError,
    Command,
    install_hint,
    positive_float,
    positive_int,
    quiet_tensorflow,
    random_seed,
    require,
)
from live_jazz.encoding import Vocabulary
from live_jazz.encoding.features import GROUP_SIZES
from live_jazz.model.bundle import (
    VOCABULARY_FILE,
    Weights,
    WeightsError,
    default_weights_dir,
    load_weights,
)
from training.corpus import CorpusError, Solo, load_corpus
from training.midi_corpus import MidiOptions, Window, load_midi_corpus, parse_window
from training.train import ARCHITECTURES, TrainConfig

DEFAULT_OUT = Path("live-jazz-weights")
FINE_TUNE_LEARNING_RATE = 0.0001
"""Adam's learning rate with ``--init``. Fine-tuned on bars 68-107 of the Metheny guitar solo,
the shipped weights' perplexity on bars 108-123 (``live-jazz eval --midi ... --window 108:123``)
goes from 107.8 to 106.7-107.4 over 5-100 epochs at 0.0001; at 0.0003 to 107.2 after 5 epochs
but 110.6 after 100; at 0.001 to 110.9 after 5. A few bars teach little that carries over, so
the rate that never ends worse than it started is the default."""
MIDI_MIN_COUNT = 1
"""``--min-count`` with ``--midi``: a few files repeat few values, and at the corpus default
(10) the 18 bars of the Metheny solo keep 2 of their 95 values."""
_MIDI_OPTIONS = ("melody_track", "chord_tracks", "window")


def _solos(args: argparse.Namespace, *, describe: bool = True) -> list[Solo]:
    """The solos of ``--corpus`` or ``--midi``; with ``describe``, prints what was read from
    each MIDI file (melody, chords)."""
    if args.corpus is not None:
        given = [f"--{name.replace('_', '-')}" for name in _MIDI_OPTIONS
                 if getattr(args, name) is not None]
        if given:
            raise CliError(f"only with --midi: {', '.join(given)}")
        try:
            return load_corpus(args.corpus)
        except CorpusError as error:
            raise CliError(str(error)) from error
    options = MidiOptions(
        melody_track=args.melody_track,
        chord_tracks=tuple(args.chord_tracks) if args.chord_tracks else None,
        window=args.window or MidiOptions().window,
    )
    try:
        solos, readings = load_midi_corpus(args.midi, options)
    except CorpusError as error:
        raise CliError(str(error)) from error
    if describe:
        for reading in readings:
            print(reading.describe())
    return solos


def _add_corpus_options(parser: argparse.ArgumentParser, verb: str) -> None:
    """``--corpus`` or ``--midi``, and how to read MIDI files."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--corpus", type=Path, metavar="DIR",
                        help=f"Weimar Jazz Database CSV folder (with csv_melody/ and "
                        f"csv_beats/) to {verb}")
    source.add_argument("--midi", type=Path, nargs="+", metavar="PATH",
                        help=f"MIDI files, or folders searched for them, to {verb}")
    midi = parser.add_argument_group("MIDI files (with --midi)")
    midi.add_argument("--melody-track", metavar="NAME|INDEX",
                      help="the part that plays the solo: a track name (or a unique part of "
                      "one), or an index as the report lists them (default: the most melodic "
                      "monophonic track)")
    midi.add_argument("--chord-tracks", nargs="+", metavar="NAME|INDEX",
                      help="parts to recognize the chords from (default: chord symbols in the "
                      "file's text/marker events, else all other pitched parts)")
    midi.add_argument("--window", type=_window, metavar="START:END",
                      help="only bars START to END, 1-based, both included; a side may be left "
                      "open (default: the whole file)")


def _window(text: str) -> Window:
    """argparse type for ``--window``."""
    try:
        return parse_window(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _configure_train(parser: argparse.ArgumentParser) -> None:
    defaults = TrainConfig()
    _add_corpus_options(parser, "train on")
    parser.add_argument("--init", type=Path, metavar="DIR",
                        help="fine-tune from this weights folder (e.g. weights/): keeps its "
                        "vocabulary and hidden size")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"weights folder to write (default: ./{DEFAULT_OUT})")
    parser.add_argument("--epochs", type=positive_int, default=defaults.epochs,
                        help=f"passes over the corpus (default: {defaults.epochs})")
    parser.add_argument("--batch-size", type=positive_int, default=defaults.batch_size,
                        help=f"solos trained side by side (default: {defaults.batch_size})")
    parser.add_argument("--tx", type=positive_int, default=defaults.tx,
                        help=f"values a window (default: {defaults.tx})")
    parser.add_argument("--n-a", type=positive_int,
                        help=f"LSTM hidden size (default: {defaults.n_a}; with --init, its own)")
    parser.add_argument("--min-count", type=positive_int,
                        help="values rarer than this fold into their nearest kept value "
                        f"(default: {defaults.min_count}; with --midi {MIDI_MIN_COUNT}; not "
                        "with --init, whose vocabulary is kept)")
    parser.add_argument("--learning-rate", type=positive_float,
                        help=f"Adam's initial learning rate (default: {defaults.learning_rate}; "
                        f"with --init {FINE_TUNE_LEARNING_RATE})")
    parser.add_argument("--seed", type=random_seed, default=defaults.seed,
                        help=f"random seed (default: {defaults.seed})")
    parser.add_argument("--arch", choices=tuple(ARCHITECTURES), default="conditioned",
                        help="'seed': the exercise's model, one-hot values only; "
                        "'conditioned': the values and, at each step, where the next value "
                        "starts in the bar, the harmony against the previous pitch, the "
                        "register, the tempo and where the line is in its phrase; 'phrase': "
                        "conditioned and the phrase's contour so far (measured no better) "
                        "(default: conditioned; with --init, its own)")
    parser.add_argument("--without", choices=tuple(GROUP_SIZES), nargs="+", default=[],
                        metavar="GROUP",
                        help="leave these feature groups out (ablations): "
                        f"{', '.join(GROUP_SIZES)}")
    parser.add_argument("--patience", type=int, default=defaults.patience, metavar="N",
                        help="stop after N epochs without a better validation loss; 0 runs "
                        f"every epoch (default: {defaults.patience})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _train_config(args: argparse.Namespace, init: Weights | None) -> TrainConfig:
    """The settings from the options; with ``--init`` its hidden size and vocabulary rule."""
    defaults = TrainConfig()
    n_a = args.n_a or defaults.n_a
    min_count = MIDI_MIN_COUNT if args.midi is not None else defaults.min_count
    learning_rate = args.learning_rate or defaults.learning_rate
    features = tuple(g for g in ARCHITECTURES[args.arch] if g not in args.without)
    if init is not None:
        features = init.features.groups
        if args.n_a is not None and args.n_a != init.arrays.n_a:
            raise CliError(f"--n-a {args.n_a}: {init.directory} has hidden size "
                           f"{init.arrays.n_a} (leave --n-a out with --init)")
        if args.min_count is not None:
            raise CliError(f"--min-count does not apply with --init: the vocabulary of "
                           f"{init.directory} is kept")
        n_a = init.arrays.n_a
        learning_rate = args.learning_rate or FINE_TUNE_LEARNING_RATE
    return TrainConfig(epochs=args.epochs, batch_size=args.batch_size, tx=args.tx, n_a=n_a,
                       learning_rate=learning_rate,
                       min_count=args.min_count or min_count, seed=args.seed,
                       features=features, patience=max(0, args.patience))


def _run_train(args: argparse.Namespace) -> int:
    require("tensorflow", "TensorFlow", "live-jazz train", "train")
    try:
        init = load_weights(args.init) if args.init is not None else None
    except WeightsError as error:
        raise CliError(str(error)) from error
    config = _train_config(args, init)
    solos = _solos(args)
    quiet_tensorflow()
    from training.train import train

    where = args.corpus or ", ".join(map(str, args.midi))
    print(f"{len(solos)} solo{'s' if len(solos) != 1 else ''} from {where}")
    if init is not None:
        print(f"fine-tuning {init.directory} ({vocabulary_report(init.vocabulary, solos)})")
    history = train(solos, config, args.out, init=init, verbose=not args.quiet)
    if init is None:
        print(vocabulary_report(Vocabulary.load(args.out / VOCABULARY_FILE), solos))
    if history.best_epoch == 0:
        kept = (f"kept the starting weights (validation loss "
                f"{history.start_validation_loss:.4f}: no epoch did better)")
    elif len(solos) > 1:
        loss = history.validation_loss[history.best_epoch - 1]
        kept = f"kept epoch {history.best_epoch} (validation loss {loss:.4f})"
    else:
        loss = history.train_loss[history.best_epoch - 1]
        kept = (f"kept epoch {history.best_epoch} (training loss {loss:.4f}; one solo, so "
                "none held out for validation)")
    print(f"{kept}; trained in {history.seconds:.0f} s; wrote {args.out}")
    _learn_feel(args)
    return 0


def _learn_feel(args: argparse.Namespace) -> None:
    """The players' feel beside the model, where the corpus has a beat track (WJazzD)."""
    from training.feel import learn

    if args.corpus is None:
        print("no feel.json: MIDI files carry no beat track to learn the timing from (the "
              "notes play on the grid, their velocities from the performance rules)")
        return
    try:
        print(learn(args.corpus, args.out))
    except (ValueError, OSError) as error:
        print(f"no feel.json: {error}")


def vocabulary_report(vocabulary: Vocabulary, solos: list[Solo]) -> str:
    """How the solos' distinct values meet a vocabulary, in words."""
    distinct = {v for solo in solos for v in solo.values()}
    known = sum(1 for v in distinct if v in vocabulary.values)
    return (f"vocabulary of {len(vocabulary)} values; the solos use {len(distinct)} distinct "
            f"values, {len(distinct) - known} of them fold into their nearest kept value")


def _configure_eval(parser: argparse.ArgumentParser) -> None:
    _add_corpus_options(parser, "evaluate on")
    parser.add_argument("--weights", type=Path, default=None,
                        help=f"weights folder (default: {default_weights_dir()})")
    parser.add_argument("--split", choices=("all", "train", "validation"), default="all",
                        help="only the solos on this side of the weights' train/validation "
                        "split (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _run_eval(args: argparse.Namespace) -> int:
    from training.evaluate import evaluate, solo_names_of_split
    from training.ngram import NGRAM_FILE

    try:
        weights = load_weights(args.weights)
        names = solo_names_of_split(weights.directory, args.split)
    except (WeightsError, OSError, KeyError, ValueError) as error:
        raise CliError(str(error)) from error
    if not (weights.directory / NGRAM_FILE).is_file():
        raise CliError(f"{weights.directory}: no {NGRAM_FILE}, the n-gram baselines' counts "
                       "(live-jazz train writes it; an installed live-jazz ships only what "
                       "playing needs: pass --weights with a checkout's weights/ or your own)")
    solos = [s for s in _solos(args, describe=not args.json) if names is None or s.name in names]
    if not solos:
        where = args.corpus or ", ".join(map(str, args.midi))
        raise CliError(f"no solo of the {args.split} split in {where}")
    report = evaluate(weights, solos).as_dict()
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{report['n_solos']} solos, {report['n_targets']} values predicted, "
              f"vocabulary {report['n_values']}")
        for name in ("perplexity", "bigram_perplexity", "unigram_perplexity"):
            print(f"  {name:20s} {report[name]:8.2f}")
    return 0


TRAIN = Command("train", "train an improviser on a corpus (needs TensorFlow: "
                f"{install_hint('train')})", _configure_train, _run_train)
EVAL = Command("eval", "perplexity of an improviser on a corpus, beside n-gram baselines",
               _configure_eval, _run_eval)
