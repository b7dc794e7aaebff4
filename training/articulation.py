"""The players' articulation, measured on the training solos: for each value duration, how much
of it their notes sounded (``live_jazz.encoding.articulation``).

``live-jazz train`` writes ``articulation.json`` with the weights. For weights trained before
it did, measure it on their own training solos (their ``config.json`` split)::

    python -m training.articulation --corpus ../shared/corpora/wjazzd --weights weights
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from live_jazz.encoding.articulation import Articulation, fit_articulation, gate_of
from training.corpus import CorpusError, load_corpus
from training.evaluate import recorded_split
from training.solo import Solo


def measure_articulation(solos: Iterable[Solo]) -> Articulation:
    """The gates of the note values of ``solos``, by value duration."""
    measured: dict[int, list[float]] = defaultdict(list)
    for solo in solos:
        for played in solo.played():
            if played.sounding is not None:
                measured[played.value.duration].append(
                    gate_of(played.sounding, played.value.duration))
    return fit_articulation(measured)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.articulation",
                                     description="write articulation.json into a weights "
                                                 "folder, measured on its training solos")
    parser.add_argument("--corpus", type=Path, required=True, help="the corpus it trained on")
    parser.add_argument("--weights", type=Path, required=True, help="the weights folder")
    args = parser.parse_args(argv)
    try:
        train = recorded_split(args.weights, "train")
        solos = [s for s in load_corpus(args.corpus) if s.name in train]
        articulation = measure_articulation(solos)
        articulation.save(args.weights)
    except (OSError, KeyError, ValueError, CorpusError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.weights}: articulation of {len(solos)} training solos written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
