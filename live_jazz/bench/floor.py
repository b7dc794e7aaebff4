"""The real-vs-other-real floor of ``bench music``: how close two sets of real players come.

Each solo is paired with another player's at the nearest tempo (from the slowest up, each solo
in one pair at most); the first solo of every pair against the second gives the overlaps of the
histograms and the two-sample accuracy that real players reach against each other. A generated
line is as close to the real ones as another player is when it reaches this floor (an overlap at
least the floor's, a two-sample accuracy at most it).
"""

from __future__ import annotations

from collections.abc import Sequence

from live_jazz.bench.melody import MeteredSolo
from live_jazz.bench.profile import overlaps, profile
from live_jazz.bench.two_sample import phrase_table, two_sample_accuracy


def floor_pairs(solos: Sequence[MeteredSolo]) -> list[tuple[MeteredSolo, MeteredSolo]]:
    """Pairs of solos by different players at the nearest tempo, slowest first; a solo left
    with no other player's to pair with is left out."""
    left = sorted(solos, key=lambda s: (s.tempo, s.name))
    pairs = []
    while left:
        first = left.pop(0)
        others = [s for s in left if s.player != first.player]
        if others:
            partner = min(others, key=lambda s: (abs(s.tempo - first.tempo), s.name))
            left.remove(partner)
            pairs.append((first, partner))
    return pairs


def real_floor(solos: Sequence[MeteredSolo], seed: int = 0) -> dict[str, float | None] | None:
    """The overlaps and the two-sample accuracy of one side of the pairs against the other
    (``overlap_NAME``, ``two_sample_accuracy``, ``pairs``); None with fewer than two pairs."""
    pairs = floor_pairs(solos)
    if len(pairs) < 2:
        return None
    one, other = [a for a, _ in pairs], [b for _, b in pairs]
    by_solo = len({s.tune for s in (*one, *other)}) < 2
    column: dict[str, float | None] = dict(overlaps(profile(one), profile(other)))
    column["two_sample_accuracy"] = two_sample_accuracy(
        phrase_table(one, by_solo), phrase_table(other, by_solo), seed)
    column["pairs"] = float(len(pairs))
    return column
