"""Swing: where a note written on the straight tick grid is played.

Values and notes live on a straight grid of ``TICKS_PER_BEAT`` (12) ticks a beat; swing is a
playback setting. ``ratio`` is where the off-beat eighth falls within the beat: 0.5 straight,
2/3 triplet swing, 0.75 dotted-eighth-sixteenth (the limit).

Inside each beat, positions are placed by a piecewise-linear, non-decreasing map through

- the downbeat (tick 0 -> 0) and the next downbeat (12 -> 12): beats never move;
- the off-beat eighth (6 -> 12 * ratio): the long-short of swing;
- the eighth-triplet positions (4 -> 4, 8 -> 8): triplets stay triplets, as players keep
  them even in a swing feel. Above triplet swing the swung eighth passes the third triplet,
  which then goes with it (8 -> 12 * ratio), so the order of onsets never changes.

Between these points positions are interpolated: a sixteenth line before the swung eighth
stays even (as players play double time), the ones after it are squeezed into the short half.
At ratio 0.5 the map is the identity.

Pure arithmetic on floats: called for every note, in the engine thread.
"""

from __future__ import annotations

from live_jazz.encoding import TICKS_PER_BEAT

STRAIGHT = 0.5
"""The ratio of straight eighths."""
SWING_LIMITS = (0.5, 0.75)
"""The ratios this module accepts."""
MIN_LENGTH_TICKS = 0.25
"""Shortest a swung note may sound, in ticks: a 1-tick note squeezed by swing keeps this."""

_TRIPLET = TICKS_PER_BEAT // 3  # 4 ticks: the second eighth triplet
_HALF = TICKS_PER_BEAT // 2  # 6 ticks: the off-beat eighth


def check_ratio(ratio: float) -> float:
    """``ratio`` if it is a swing ratio this module plays, else ValueError."""
    low, high = SWING_LIMITS
    if not low <= ratio <= high:
        raise ValueError(f"swing must be {low:g}-{high:g}, got {ratio:g}")
    return ratio


def swung_tick(tick: float, ratio: float) -> float:
    """Where straight grid position ``tick`` is played, in (fractional) ticks from the same
    origin. ``ratio`` must be within ``SWING_LIMITS`` (see ``check_ratio``)."""
    if ratio == STRAIGHT:
        return float(tick)
    beat, within = divmod(tick, TICKS_PER_BEAT)
    eighth = TICKS_PER_BEAT * ratio  # where the off-beat eighth goes
    third = max(2.0 * _TRIPLET, eighth)  # where the third triplet goes
    # The straight-line pieces between the points the module docstring lists.
    if within <= _TRIPLET:
        placed = within
    elif within <= _HALF:
        placed = _TRIPLET + (within - _TRIPLET) * (eighth - _TRIPLET) / (_HALF - _TRIPLET)
    elif within <= 2 * _TRIPLET:
        placed = eighth + (within - _HALF) * (third - eighth) / (2 * _TRIPLET - _HALF)
    else:
        placed = third + (within - 2 * _TRIPLET) * (TICKS_PER_BEAT - third) / _TRIPLET
    return beat * TICKS_PER_BEAT + placed


def swung_beat(tick: float, ratio: float) -> float:
    """``swung_tick`` in beats."""
    return swung_tick(tick, ratio) / TICKS_PER_BEAT


def swung_span(onset: float, duration: float, ratio: float) -> tuple[float, float]:
    """Start and end (in beats) of a note written at ``onset`` for ``duration`` ticks, played
    at ``ratio``. The end is the swung position of the written end, and never closer than
    ``MIN_LENGTH_TICKS`` to the start (a short note can be squeezed but not erased)."""
    start = swung_tick(onset, ratio)
    end = max(swung_tick(onset + duration, ratio), start + MIN_LENGTH_TICKS)
    return start / TICKS_PER_BEAT, end / TICKS_PER_BEAT
