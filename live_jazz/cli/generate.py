"""``live-jazz generate``: render a solo over a chord progression to a standard MIDI file.

The same musical path as the live instrument (``engine.improviser``, ``engine.comping``,
``engine.swing``), run as fast as it goes instead of on the clock.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from live_jazz.cli.command import CliError, Command, positive_int
from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.features import RegularMeter
from live_jazz.engine.comping import comp
from live_jazz.engine.config import ConfigError, EngineConfig
from live_jazz.engine.improviser import DEFAULT_TEMPO, Improviser
from live_jazz.engine.midifile import MidiFileError, Track, read_notes, write_midi
from live_jazz.model.bundle import Weights, WeightsError, load_weights
from live_jazz.theory import LeadSheetError, Progression, parse_progression, preset, preset_names

SOLO_CHANNEL, COMP_CHANNEL, CALL_CHANNEL = 0, 1, 2
"""MIDI channels (0-based) of the tracks: a DAW shows them as 1, 2 and 3."""
TENOR_SAX, PIANO = 66, 0
"""General MIDI programs selected at the start of the solo and chord tracks."""


@dataclass(frozen=True)
class Rendering:
    """A rendered solo, in ticks (12 a beat) from the start of the file."""

    solo: list[Note]
    """The improviser's notes."""
    chords: list[Note]
    """The comping."""
    call: list[Note]
    """The priming phrase (empty without ``--prime``)."""
    solo_start: int
    """Where the solo starts: 0, or the first bar line after the priming phrase."""
    end: int
    """Where the rendering ends (a bar line)."""


def render(
    weights: Weights,
    progression: Progression,
    bars: int,
    rng: np.random.Generator,
    *,
    temperature: float = 1.0,
    top_p: float = 1.0,
    tempo: float = DEFAULT_TEMPO,
    prime: list[Note] | None = None,
    on_bar: Callable[[int, int], None] | None = None,
) -> Rendering:
    """Render ``bars`` bars of solo over ``progression`` (looped), with its comping.

    ``tempo``: the BPM the model is told (a feature of its steps). ``prime``: a phrase (ticks
    from the start) heard first, as a human's call: the solo answers
    from the first bar line after it. ``on_bar(done, total)`` is called after each bar.
    """
    timeline = progression.timeline(TICKS_PER_BEAT)
    bar_ticks = progression.beats_per_bar * TICKS_PER_BEAT
    improviser = Improviser(weights, timeline, rng, meter=RegularMeter(bar_ticks), tempo=tempo,
                            temperature=temperature, top_p=top_p)
    call = sorted(prime or [], key=lambda n: (n.onset, n.pitch))
    if call:
        improviser.listen(call, 0)
        improviser.move_to(-(-improviser.position // bar_ticks) * bar_ticks)
    start = improviser.position
    end = start + bars * bar_ticks
    solo: list[Note] = []
    for bar in range(bars):
        for step in improviser.until(start + (bar + 1) * bar_ticks):
            if step.note is not None and step.note.onset < end:
                solo.append(_cut(step.note, end))
        if on_bar is not None:
            on_bar(bar + 1, bars)
    # A hit in the last eighth would push into a bar that never comes.
    last_hit = end - TICKS_PER_BEAT // 2
    chords = [_cut(n, end) for n in comp(timeline, 0, last_hit, progression.beats_per_bar)]
    return Rendering(solo, chords, call, start, end)


def _cut(note: Note, end: int) -> Note:
    """``note``, ending by ``end`` at the latest."""
    if note.onset + note.duration <= end:
        return note
    return Note(note.onset, end - note.onset, note.pitch, note.velocity)


class ProgressBar:
    """A one-line progress bar redrawn in place on a terminal (nothing elsewhere)."""

    WIDTH = 30

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        filled = self.WIDTH * done // total
        if filled == self._last and done != total:
            return
        self._last = filled
        bar = "#" * filled + "." * (self.WIDTH - filled)
        end = "\n" if done == total else ""
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} bars{end}")
        self.stream.flush()


def _configure(parser: argparse.ArgumentParser) -> None:
    defaults = EngineConfig()
    chords = parser.add_mutually_exclusive_group(required=True)
    chords.add_argument("--chords", metavar="TEXT",
                        help='lead-sheet chords, e.g. "| Dm7 G7 | Cmaj7 |"')
    chords.add_argument("--preset", metavar="NAME",
                        help=f"a built-in progression: {', '.join(preset_names())}")
    parser.add_argument("--bars", type=positive_int, default=None,
                        help="bars of solo; the progression loops to fill them "
                        "(default: one chorus of the form)")
    parser.add_argument("--tempo", type=float, default=defaults.tempo, metavar="BPM",
                        help=f"beats per minute (default: {defaults.tempo:g})")
    parser.add_argument("--swing", type=float, default=defaults.swing, metavar="R",
                        help="where the off-beat eighth falls: 0.5 straight to 0.75 "
                        f"(default: {defaults.swing:g})")
    parser.add_argument("--temperature", type=float, default=defaults.temperature, metavar="T",
                        help="sampling temperature, 0 = always the most likely value "
                        f"(default: {defaults.temperature:g})")
    parser.add_argument("--top-p", type=float, default=defaults.top_p, metavar="P",
                        help="sample only from the most likely values covering this share "
                        f"(default: {defaults.top_p:g}, off)")
    parser.add_argument("--seed", type=int, default=None, metavar="S",
                        help="random seed: the same seed gives the same solo "
                        "(default: a fresh one, printed)")
    parser.add_argument("--prime", type=Path, metavar="FILE.mid",
                        help="a MIDI phrase the improviser hears first and answers")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help="weights folder (default: the shipped weights/ or "
                        "$LIVE_JAZZ_WEIGHTS)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.mid",
                        help="the MIDI file to write")
    parser.add_argument("--quiet", action="store_true", help="no progress bar, no summary")


def _progression(args: argparse.Namespace) -> Progression:
    source = "--chords" if args.chords is not None else "--preset"
    try:
        progression = parse_progression(args.chords) if args.chords is not None \
            else preset(args.preset)
        progression.timeline(TICKS_PER_BEAT)  # chords that do not fit the tick grid
    except LeadSheetError as error:
        raise CliError(f"{source}: {error}") from error
    return progression


def _run(args: argparse.Namespace) -> int:
    progression = _progression(args)
    try:
        EngineConfig(tempo=args.tempo, swing=args.swing, temperature=args.temperature,
                     top_p=args.top_p, progression=progression)
    except ConfigError as error:
        raise CliError(str(error)) from error
    if not args.out.parent.is_dir():
        raise CliError(f"--out: no folder {args.out.parent}")
    prime = None
    if args.prime is not None:
        try:
            prime = read_notes(args.prime)
        except MidiFileError as error:
            raise CliError(f"--prime: {error}") from error
        if not prime:
            raise CliError(f"--prime: {args.prime} has no notes")
    try:
        weights = load_weights(args.weights)
    except WeightsError as error:
        raise CliError(str(error)) from error

    seed = args.seed if args.seed is not None else random.randrange(2**31)
    bars = args.bars if args.bars is not None else progression.n_bars
    progress = ProgressBar(sys.stderr, "rendering") if not args.quiet and sys.stderr.isatty() \
        else None
    rendering = render(weights, progression, bars, np.random.default_rng(seed),
                       temperature=args.temperature, top_p=args.top_p, tempo=args.tempo,
                       prime=prime,
                       on_bar=progress)
    tracks = [Track("improviser", SOLO_CHANNEL, rendering.solo, TENOR_SAX),
              Track("chords", COMP_CHANNEL, rendering.chords, PIANO)]
    if rendering.call:
        tracks.append(Track("call", CALL_CHANNEL, rendering.call, PIANO))
    try:
        write_midi(args.out, tracks, [(0.0, args.tempo)], progression.beats_per_bar, args.swing)
    except OSError as error:
        raise CliError(f"--out: cannot write {args.out} ({error.strerror or error})") from error
    if not args.quiet:
        name = progression.name or "the chords"
        print(f"wrote {args.out}: {bars} bars over {name} at {args.tempo:g} BPM, swing "
              f"{args.swing:g}, {len(rendering.solo)} notes (seed {seed})")
    return 0


COMMAND = Command(
    name="generate",
    help="render a solo over a chord progression to a MIDI file",
    configure=_configure,
    run=_run,
)
