"""``live-jazz generate``: render a solo over a chord progression to a standard MIDI file.

The same musical path as the live instrument (``music.render``: the improviser and the
comping), run as fast as it goes instead of on the clock.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import TextIO

import numpy as np

from live_jazz.cli.voice import add_voice_options, check_wav_path, voice_options, write_audio
from live_jazz.command import CliError, Command, positive_int, random_seed, swing_arg
from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine.config import ConfigError, EngineConfig
from live_jazz.model.bundle import WeightsError, load_weights
from live_jazz.music.answer_styles import ANSWER_STYLES
from live_jazz.music.midifile import MidiFileError, Track, midi_bytes, read_notes, write_midi
from live_jazz.music.performer import FEELS
from live_jazz.music.render import (
    CALL_CHANNEL,
    COMP_CHANNEL,
    SOLO_CHANNEL,
    Rendering,
    played,
    render,
)
from live_jazz.music.swing import STRAIGHT
from live_jazz.synth.port import SynthOptions
from live_jazz.theory import LeadSheetError, Progression, parse_progression, preset, preset_names

PIANO = 0
"""General MIDI program of the call's track (the solo's and the chords' are options)."""


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
    parser.add_argument("--swing", type=swing_arg, default="auto", metavar="auto|R",
                        help="auto (the players' swing at --tempo, as learned: the default; "
                        f"{defaults.swing:g} without a feel model) or where the off-beat eighth "
                        "falls: 0.5 straight to 0.75")
    parser.add_argument("--feel", choices=FEELS, default=defaults.feel,
                        help="players: the notes placed and shaped as the players do (the "
                        "default); grid: exactly on the grid at one velocity")
    parser.add_argument("--intensity", type=float, default=defaults.intensity, metavar="X",
                        help="dynamic range of the players' feel, 0 (flat) to 2 (default: "
                        f"{defaults.intensity:g})")
    parser.add_argument("--temperature", type=float, default=defaults.temperature, metavar="T",
                        help="sampling temperature, 0 = always the most likely value "
                        f"(default: {defaults.temperature:g})")
    parser.add_argument("--top-p", type=float, default=defaults.top_p, metavar="P",
                        help="sample only from the most likely values covering this share "
                        f"(default: {defaults.top_p:g}, off)")
    parser.add_argument("--seed", type=random_seed, default=None, metavar="S",
                        help="random seed: the same seed gives the same solo "
                        "(default: a fresh one, printed)")
    parser.add_argument("--prime", type=Path, metavar="FILE.mid",
                        help="a MIDI phrase the improviser hears first and answers")
    parser.add_argument("--answer-style", choices=ANSWER_STYLES, default="auto",
                        help="how the answer to --prime works with it: echo, develop, contrast, "
                        "or auto (chosen per call; the default)")
    parser.add_argument("--weights", type=Path, metavar="DIR",
                        help="weights folder (default: the shipped weights/ or "
                        "$LIVE_JAZZ_WEIGHTS)")
    parser.add_argument("--out", type=Path, metavar="FILE.mid",
                        help="the MIDI file to write (this, --wav or both)")
    parser.add_argument("--wav", type=Path, metavar="FILE.wav",
                        help="render the solo and the comping with the built-in voice to "
                             "this WAV file (no audio device needed)")
    add_voice_options(parser, live=False)
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
    explicit = args.swing if args.swing != "auto" else EngineConfig().swing
    try:
        EngineConfig(tempo=args.tempo, swing=explicit, temperature=args.temperature,
                     top_p=args.top_p, progression=progression, intensity=args.intensity)
    except ConfigError as error:
        raise CliError(str(error)) from error
    if args.out is None and args.wav is None:
        raise CliError("give --out FILE.mid, --wav FILE.wav or both")
    if args.out is not None and not args.out.parent.is_dir():
        raise CliError(f"--out: no folder {args.out.parent}")
    if args.wav is not None:
        check_wav_path(args.wav)
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

    swing = weights.feel.swing_at(args.tempo) if args.swing == "auto" and \
        weights.feel is not None else explicit
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    bars = args.bars if args.bars is not None else progression.n_bars
    progress = ProgressBar(sys.stderr, "rendering") if not args.quiet and sys.stderr.isatty() \
        else None
    rendering = render(weights, progression, bars, np.random.default_rng(seed),
                       temperature=args.temperature, top_p=args.top_p, tempo=args.tempo,
                       prime=prime, answer_style=args.answer_style, on_bar=progress,
                       feel=args.feel, swing=swing, intensity=args.intensity)
    voice = voice_options(args)
    tracks, file_swing = _tracks(rendering, voice, swing)
    name = progression.name or "the chords"
    feel = "grid (no feel model)" if args.feel == "players" and rendering.played_solo is None \
        else args.feel
    summary = (f"{bars} bars over {name} at {args.tempo:g} BPM, swing {swing:.2f}"
               f"{' (auto)' if args.swing == 'auto' else ''}, feel {feel}, "
               f"{len(rendering.solo)} notes (seed {seed})")
    if args.out is not None:
        try:
            write_midi(args.out, tracks, [(0.0, args.tempo)], progression.beats_per_bar,
                       file_swing)
        except OSError as error:
            raise CliError(f"--out: cannot write {args.out} ({error.strerror or error})") \
                from error
        if not args.quiet:
            print(f"wrote {args.out}: {summary}")
    if args.wav is not None:
        data = midi_bytes(tracks, [(0.0, args.tempo)], progression.beats_per_bar, file_swing)
        seconds = write_audio(args.wav, data, voice, {t.channel: t.program or 0 for t in tracks})
        if not args.quiet:
            print(f"wrote {args.wav}: {seconds:.1f} s of audio, {summary}")
    return 0


def _tracks(rendering: Rendering, voice: SynthOptions, swing: float) -> (
        tuple[list[Track], float]):
    """The file's tracks and the swing it is written with: the notes as performed (already
    swung: written straight), or grid notes swung on the way out."""
    performed = rendering.played_solo is not None and rendering.played_chords is not None
    solo = rendering.played_solo if performed else rendering.solo
    chords = rendering.played_chords if performed else rendering.chords
    tracks = [Track("improviser", SOLO_CHANNEL, solo, voice.solo_program),
              Track("chords", COMP_CHANNEL, chords, voice.comp_program)]
    if rendering.call:
        call = [played(n, 0.0, n.velocity, swing) for n in rendering.call] if performed \
            else rendering.call
        tracks.append(Track("call", CALL_CHANNEL, call, PIANO))
    return tracks, STRAIGHT if performed else swing


COMMAND = Command(
    name="generate",
    help="render a solo over a chord progression to a MIDI file",
    configure=_configure,
    run=_run,
)
