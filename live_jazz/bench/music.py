"""``live-jazz bench music``: solos generated over real solos' changes, compared with the real
ones (``profile``: histograms and figures; ``two_sample``: can a classifier tell the phrases
apart?).

Each model plays over each real solo's own changes, meter and length, from its first bar line,
unswung (the transcriptions sit on the metrical grid), through ``live-jazz generate``'s own
``render`` (the improviser, decoder and sampler of the live path): a change to the improviser
shows here unchanged. The first-order interval Markov chain of ``markov`` plays the same
lengths, as the baseline. Everything is seeded (``--seed``): the same run gives the same table.

The corpus is read by ``training/bench_music.py``, which registers this benchmark (``live_jazz``
never imports ``training``); this module takes the solos as ``MeteredSolo`` and measures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from live_jazz.bench import Figures
from live_jazz.bench.floor import real_floor
from live_jazz.bench.markov import IntervalMarkov
from live_jazz.bench.melody import MeteredSolo
from live_jazz.bench.profile import overlaps, profile
from live_jazz.bench.two_sample import phrase_table, require_sklearn, two_sample_accuracy
from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.model.bundle import Weights
from live_jazz.music.phrase_temperature import PHRASE_TEMPERATURE, PhraseTemperature
from live_jazz.music.render import render
from live_jazz.theory import Progression

Player = Callable[[MeteredSolo, np.random.Generator], tuple[Note, ...]]
"""Plays over a solo's changes and length: the generated notes, ticks from its first bar."""

TARGETS: dict[str, tuple[str, float]] = {
    "two_sample_accuracy": ("<=", 0.60),
    "overlap_position": (">=", 0.90),
    "overlap_interval": (">=", 0.88),
    "chord_tones_on_beat": ("~", 0.03),
    "solo_range": ("~", 2.0),
    "h1": ("~", 0.1),
    "h4": ("~", 0.1),
    "gs": ("~", 0.02),
}
"""The issues' targets (issue 19's for the two-sample accuracy and the range): at most, at
least, or within (``~``) this much of the real solos'. Each overlap should also reach the
floor's (the ``other_real`` column)."""


@dataclass(frozen=True)
class Contender:
    """One column of the table: a way of playing over the real solos' changes."""

    key: str
    """The column's name in the JSON."""
    label: str
    """Its heading in the table."""
    play: Player
    """How it plays."""
    about: str
    """What it is, in a few words (a weights folder, the baseline)."""


def progression_of(solo: MeteredSolo) -> Progression:
    """The solo's changes as a lead sheet: one chord a beat, bar by bar."""
    bars = tuple(
        tuple(solo.chords.chord_at(bar * solo.bar_ticks + beat * TICKS_PER_BEAT)
              for beat in range(solo.beats_per_bar))
        for bar in range(solo.n_bars)
    )
    return Progression(bars, solo.beats_per_bar, solo.name)


def model_player(weights: Weights, temperature: float, top_p: float,
                 phrase_temperature: PhraseTemperature = PHRASE_TEMPERATURE) -> Player:
    """``live-jazz generate``'s rendering of ``weights`` over a solo's changes."""

    def play(solo: MeteredSolo, rng: np.random.Generator) -> tuple[Note, ...]:
        rendering = render(weights, progression_of(solo), solo.n_bars, rng,
                           temperature=temperature, top_p=top_p, tempo=solo.tempo,
                           phrase_temperature=phrase_temperature)
        return tuple(rendering.solo)

    return play


def markov_player(training: Sequence[MeteredSolo]) -> Player:
    """The interval Markov baseline fitted on ``training``."""
    return IntervalMarkov.fit(training).play


def measure_music(solos: Sequence[MeteredSolo], contenders: Sequence[Contender],
                  seed: int = 0, samples: int = 1) -> Figures:
    """The figures of the real ``solos`` and of each contender playing over them ``samples``
    times: one column each, with the overlaps of the histograms and the two-sample accuracy
    against the real."""
    require_sklearn()
    if not solos:
        raise ValueError("no solo to measure")
    real = profile(solos)
    by_solo = len({s.tune for s in solos}) < 2  # one tune: its solos are the groups
    real_phrases = phrase_table(solos, by_solo)
    columns: dict[str, dict[str, float | None]] = {"real": dict(real.figures)}
    seconds: dict[str, float] = {}
    for number, contender in enumerate(contenders):
        started = time.perf_counter()
        played = [solo.with_notes(contender.play(solo, np.random.default_rng(
                      [seed, number, i, sample])))
                  for sample in range(samples) for i, solo in enumerate(solos)]
        seconds[contender.key] = time.perf_counter() - started
        generated = profile(played)
        column = dict(generated.figures)
        column.update(overlaps(real, generated))
        column["two_sample_accuracy"] = two_sample_accuracy(
            real_phrases, phrase_table(played, by_solo), seed)
        columns[contender.key] = column
    labels = {"real": "real", **{c.key: c.label for c in contenders}}
    about = {c.key: c.about for c in contenders}
    floor = real_floor(solos, seed)
    if floor is not None:
        columns["other_real"] = floor
        labels["other_real"] = "other real"
        about["other_real"] = (f"the floor: {floor['pairs']:.0f} pairs of real solos by two "
                               "players at the nearest tempo, one of each against the other")
        seconds["other_real"] = 0.0
    return {
        "solos": len(solos),
        "bars": sum(s.n_bars for s in solos),
        "phrases": len(real_phrases[1]),
        "tunes": len({s.tune for s in solos}),
        "two_sample_groups": "solo" if by_solo else "tune",
        "seed": seed,
        "samples": samples,
        "columns": columns,
        "labels": labels,
        "about": about,
        "generation_s": seconds,
        "targets": {name: {"kind": kind, "value": value}
                    for name, (kind, value) in TARGETS.items()},
    }


ROWS: tuple[tuple[str, str, str], ...] = (
    ("two_sample_accuracy", "two-sample accuracy (chance 0.5)", "{:.2f}"),
    ("overlap_position", "overlap: onset position in beat", "{:.2f}"),
    ("overlap_interval", "overlap: interval", "{:.2f}"),
    ("overlap_root_pitch_class", "overlap: pitch class over root", "{:.2f}"),
    ("overlap_ioi", "overlap: inter-onset interval", "{:.2f}"),
    ("on_beat", "onsets on the beat", "{:.0%}"),
    ("off_beat_eighth", "onsets on the off-beat eighth", "{:.0%}"),
    ("chord_tones_on_beat", "chord tones on the beat (phrase)", "{:.2f}"),
    ("phrase_pitch_std", "phrase pitch std (semitones)", "{:.1f}"),
    ("phrase_pitch_span", "phrase pitch max-min", "{:.1f}"),
    ("solo_range", "solo range, 5th-95th pct", "{:.1f}"),
    ("half_steps", "half steps", "{:.0%}"),
    ("leaps", "leaps of a fourth or more", "{:.0%}"),
    ("h1", "pitch-class entropy H1 (bits)", "{:.2f}"),
    ("h4", "pitch-class entropy H4 (bits)", "{:.2f}"),
    ("gs", "grooving similarity GS", "{:.3f}"),
    ("notes_per_bar", "notes per bar", "{:.2f}"),
    ("breaths_per_bar", "phrases between rests, per bar", "{:.2f}"),
    ("long_line_notes", "notes of a long line (90th pct)", "{:.0f}"),
)
"""The table's rows: figure, label, format."""


def _target_text(name: str) -> str:
    if name not in TARGETS:
        return ""
    kind, value = TARGETS[name]
    return f"real ± {value:g}" if kind == "~" else f"{kind} {value:g}"


def describe_music(figures: Figures, heading: str) -> str:
    """The table: one row a figure, one column real and one each contender."""
    keys = list(figures["columns"])
    labels = [figures["labels"][k] for k in keys]
    width = max(9, *(len(label) + 1 for label in labels))
    lines = [heading,
             f"{'':34s}" + "".join(f"{label:>{width}s}" for label in labels) + "   target"]
    for name, label, form in ROWS:
        cells = []
        for key in keys:
            value = figures["columns"][key].get(name)
            cells.append(f"{'-' if value is None else form.format(value):>{width}s}")
        lines.append(f"{label:34s}" + "".join(cells) + f"   {_target_text(name)}".rstrip())
    for key, about in figures["about"].items():
        played = (f"; played in {figures['generation_s'][key]:.1f} s"
                  if key != "other_real" else "")
        lines.append(f"  {figures['labels'][key]}: {about}{played}")
    return "\n".join(lines)
