"""A solo rendered over a progression, with its comping: what ``generate`` writes and what the
benchmarks measure, on the same musical path as the live instrument."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.features import RegularMeter
from live_jazz.model.bundle import Weights
from live_jazz.music.answer_styles import AnswerPlanner, AnswerStyle
from live_jazz.music.comping import comp
from live_jazz.music.form import next_line
from live_jazz.music.improviser import DEFAULT_TEMPO, Improviser
from live_jazz.music.midifile import PlayedNote
from live_jazz.music.performer import Feel, Performer
from live_jazz.music.phrase_temperature import PHRASE_TEMPERATURE, PhraseTemperature
from live_jazz.music.swing import STRAIGHT, swung_span
from live_jazz.theory import Progression

SOLO_CHANNEL, COMP_CHANNEL, CALL_CHANNEL = 0, 1, 2
"""MIDI channels (0-based) of a rendering's tracks: a DAW shows them as 1, 2 and 3."""

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
    played_solo: list[PlayedNote] | None = None
    """The solo as performed (swung, off the grid, its velocities); None on the grid."""
    played_chords: list[PlayedNote] | None = None
    """The comping as performed; None on the grid."""


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
    answer_style: AnswerStyle | None = "auto",
    on_bar: Callable[[int, int], None] | None = None,
    phrase_temperature: PhraseTemperature = PHRASE_TEMPERATURE,
    feel: Feel = "grid",
    swing: float = STRAIGHT,
    intensity: float = 1.0,
) -> Rendering:
    """Render ``bars`` bars of solo over ``progression`` (looped), with its comping.

    ``tempo``: the BPM the model is told (a feature of its steps). ``prime``: a phrase (ticks
    from the start) heard first, as a human's call: the solo answers
    from the first bar line after it, for as many bars as the call took, in ``answer_style``
    (None: the primed model alone, no pull toward the call), then plays on. ``on_bar(done,
    total)`` is called after each bar. ``phrase_temperature``: the temperature's multipliers by
    where the line is in its phrase. ``feel`` 'players': the notes are also performed
    (``music.performer``, at ``swing``, its dynamics scaled by ``intensity``) into
    ``played_solo`` and ``played_chords``.
    """
    timeline = progression.timeline(TICKS_PER_BEAT)
    bar_ticks = progression.beats_per_bar * TICKS_PER_BEAT
    improviser = Improviser(weights, timeline, rng, meter=RegularMeter(bar_ticks), tempo=tempo,
                            temperature=temperature, top_p=top_p,
                            phrase_temperature=phrase_temperature)
    call = sorted(prime or [], key=lambda n: (n.onset, n.pitch))
    if call:
        improviser.listen(call, 0)
        improviser.move_to(next_line(improviser.position, bar_ticks))
    if call and answer_style is not None:
        planner = AnswerPlanner(weights.vocabulary, np.random.default_rng(rng.integers(2**63)))
        answer = improviser.position - call[0].onset // bar_ticks * bar_ticks  # the call's bars
        improviser.bias = planner.plan(call, answer_style, improviser.position,
                                       improviser.position + answer, bar_ticks)
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
    rendering = Rendering(solo, chords, call, start, end)
    if feel == "grid" or weights.feel is None:
        return rendering
    performer = Performer(weights.feel, np.random.default_rng(rng.integers(2**63)))
    performer.intensity = intensity
    return perform(rendering, performer, tempo, swing, bar_ticks)


def perform(rendering: Rendering, performer: Performer, tempo: float, swing: float,
            bar_ticks: int) -> Rendering:
    """``rendering`` with its solo and comping performed by ``performer`` (again: a new
    performance of the same notes)."""
    start = rendering.solo_start
    solo = [played(n, *performer.solo(n, (n.onset - start) % bar_ticks, tempo), swing)
            for n in rendering.solo]
    chords = [played(n, *performer.comp(n, tempo), swing) for n in rendering.chords]
    return replace(rendering, played_solo=solo, played_chords=chords)


def played(note: Note, shift: float, velocity: int, swing: float) -> PlayedNote:
    """``note`` swung (``swing``), moved ``shift`` ticks, at ``velocity`` (never before tick 0)."""
    begin, finish = swung_span(note.onset, note.duration, swing)
    onset = max(0.0, begin * TICKS_PER_BEAT + shift)
    return PlayedNote(onset, max(finish * TICKS_PER_BEAT + shift - onset, 0.25), note.pitch,
                      velocity)


def _cut(note: Note, end: int) -> Note:
    """``note``, ending by ``end`` at the latest."""
    if note.onset + note.duration <= end:
        return note
    return Note(note.onset, end - note.onset, note.pitch, note.velocity)
