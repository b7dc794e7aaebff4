"""Performing the chosen notes: when exactly and how loud (``--feel players``), or exactly on
the grid at one velocity (``--feel grid``).

Choosing a note (the model, the decoder) and performing it are separate stages: the note comes
in on the straight grid; ``Performer.solo`` gives its shift off its swung place (ticks, + late)
and its velocity. Timing follows the players' ``FeelModel`` (``encoding.feel``): the median of
the note's kind at this tempo, plus its place's spread times the phrase's own offset and an
AR(1) wander within the phrase, clamped to ``MAX_SHIFT_BEATS``. Dynamics follow
``music.dynamics``. The comping gets a rhythm section's feel: tighter, the notes of one hit
together, pushes accented.

Numpy only, a handful of operations per note (the engine thread calls it for every note).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from live_jazz.encoding import TICKS_PER_BEAT, Note
from live_jazz.encoding.feel import FeelModel, band_of, context_of, position_of
from live_jazz.music.dynamics import VELOCITY_RANGE, Dynamics

Feel = Literal["players", "grid"]
FEELS: tuple[Feel, ...] = ("players", "grid")
MAX_SHIFT_BEATS = 0.25
"""No note moves further than this off its grid place (the look-ahead covers it)."""
REST_TICKS = TICKS_PER_BEAT
"""A silence this long starts a new phrase."""
ANSWER_FADE_BEATS = 8.0
"""An answer starts at its call's level and returns to its own over this many beats."""
PUSH_ACCENT = 10
"""A comping hit off the beat (a push) is this much louder."""


class Draws:
    """Uniform and standard normal numbers from ``rng``, drawn ``BLOCK`` at a time."""

    BLOCK = 256

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._uniform: list[float] = []
        self._normal: list[float] = []

    def uniform(self) -> float:
        """One number in [0, 1)."""
        if not self._uniform:
            self._uniform = self.rng.random(self.BLOCK).tolist()
        return self._uniform.pop()

    def normal(self) -> float:
        """One standard normal number."""
        if not self._normal:
            self._normal = self.rng.standard_normal(self.BLOCK).tolist()
        return self._normal.pop()


class Performer:
    """Shifts and velocities of the improviser's and the comping's notes, in order of onset.

    ``feel`` None or ``grid`` True: every note on its grid place at the velocity it came with.
    """

    def __init__(self, feel: FeelModel | None, rng: np.random.Generator | None = None,
                 grid: bool = False) -> None:
        self.feel = feel
        self.grid = grid or feel is None
        """Whether notes stay exactly on the grid at one velocity."""
        self.draws = Draws(rng if rng is not None else np.random.default_rng())
        """Random numbers, drawn in blocks (one numpy call per scalar costs microseconds)."""
        self.dynamics = Dynamics(self.draws)
        self._offset = 0.0
        self._wander = 0.0
        self._fresh = True
        self._prev_end: int | None = None
        self._prev_onset = 0
        self._call_level: tuple[float, float] | None = None  # (level, from beat)
        self._hit: tuple[int, float] = (-1, 0.0)  # the comping's last hit: onset, shift

    @property
    def intensity(self) -> float:
        """Scales the dynamic range (``dynamics.INTENSITY_RANGE``)."""
        return self.dynamics.intensity

    @intensity.setter
    def intensity(self, value: float) -> None:
        self.dynamics.intensity = float(value)

    def reset(self) -> None:
        """A new line (start, rewind, a new turn): no phrase carried over."""
        self._prev_end = None
        self._fresh = True
        self.dynamics.reset()

    def hear_call(self, velocities: list[int], answer_tick: int) -> None:
        """The answer from ``answer_tick`` on starts at the level of a call with these
        velocities."""
        if velocities:
            self._call_level = (float(np.mean(velocities)), answer_tick / TICKS_PER_BEAT)

    def solo(self, note: Note, tick_in_bar: int, tempo: float) -> tuple[float, int]:
        """(shift in ticks, velocity) of an improviser note written at ``note.onset``,
        ``tick_in_bar`` ticks after its bar line, at ``tempo`` BPM."""
        if self.grid:
            return 0.0, note.velocity
        starts = self._prev_end is None or note.onset - self._prev_end >= REST_TICKS
        context = context_of(None if starts else note.onset - self._prev_onset, TICKS_PER_BEAT)
        self._prev_end, self._prev_onset = note.onset + note.duration, note.onset
        shift = self._shift_ms(note, tick_in_bar, tempo, context) * tempo / 60_000.0
        shift = min(MAX_SHIFT_BEATS, max(-MAX_SHIFT_BEATS, shift))
        onset = note.onset / TICKS_PER_BEAT
        velocity = self.dynamics.velocity(onset, note.duration / TICKS_PER_BEAT, note.pitch,
                                          self._level(note.velocity, onset), starts)
        return shift * TICKS_PER_BEAT, velocity

    def comp(self, note: Note, tempo: float) -> tuple[float, int]:
        """(shift in ticks, velocity) of a comping note: the notes of one hit move together."""
        if self.grid or self.feel is None:
            return 0.0, note.velocity
        if self._hit[0] != note.onset:
            ms = self.feel.comp_sd_ms * self.draws.normal()
            self._hit = (note.onset, max(-MAX_SHIFT_BEATS / 2, min(
                MAX_SHIFT_BEATS / 2, ms * tempo / 60_000.0)) * TICKS_PER_BEAT)
        push = PUSH_ACCENT if note.onset % TICKS_PER_BEAT else 0
        low, high = VELOCITY_RANGE
        velocity = note.velocity + self.intensity * (push + 2.0 * self.draws.normal())
        return self._hit[1], int(min(high, max(low, round(velocity))))

    def _shift_ms(self, note: Note, tick_in_bar: int, tempo: float, context: int) -> float:
        feel = self.feel
        assert feel is not None
        band = band_of(tempo)
        share, ar = feel.phrase_share[band], feel.ar[band]
        if context == 0:  # a new phrase: its offset (part kept), the wander afresh
            carry = feel.phrase_carry[band] if self._fresh is False else 0.0
            self._fresh = False
            self._offset = carry * self._offset + math.sqrt(share * (1.0 - carry * carry)) \
                * self.draws.normal()
            self._wander = math.sqrt(1.0 - share) * self._draw(band)
        else:
            self._wander = ar * self._wander + math.sqrt((1.0 - share) * (1.0 - ar * ar)) \
                * self._draw(band)
        position = position_of(tick_in_bar, TICKS_PER_BEAT)
        median = feel.median_ms(band, position, note.duration >= TICKS_PER_BEAT // 2, context)
        return median + feel.scale_ms[band][position] * (self._offset + self._wander)

    def _draw(self, band: int) -> float:
        """One residual (in units of the spread) drawn from the measured shape."""
        assert self.feel is not None
        quantiles = self.feel.residual_q[band]
        draw = self.draws.uniform() * (len(quantiles) - 1)
        low = int(draw)
        high = min(low + 1, len(quantiles) - 1)
        return quantiles[low] + (draw - low) * (quantiles[high] - quantiles[low])

    def _level(self, base: int, onset: float) -> float:
        """The line's level at ``onset`` (beats): its own, or fading from a heard call's."""
        if self._call_level is None:
            return float(base)
        level, since = self._call_level
        fade = max(0.0, (onset - since) / ANSWER_FADE_BEATS)
        if fade >= 1.0:
            self._call_level = None
            return float(base)
        return base + (1.0 - fade) * (level - base)


def swing_for(feel: FeelModel | None, tempo: float, fallback: float) -> float:
    """The players' swing at ``tempo`` (``--swing auto``), ``fallback`` without a model."""
    return fallback if feel is None else feel.swing_at(tempo)

