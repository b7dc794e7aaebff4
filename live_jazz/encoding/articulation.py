"""How long a note sounds within its value: players detach their notes.

A value's duration runs to the next event: a silence shorter than ``REST_THRESHOLD`` after a
note is articulation, not a rest, so the values cannot say it. Played back as written, every
note is held to the next one: a legato no horn player keeps up (in the WJazzD solos a note sounds
0.78 of the time to the next onset on average, across 4-bar phrases; held to the end, 0.91).

``Articulation`` keeps, for each value duration, quantiles of the share of it that the players'
notes sounded (their gate), as measured on the training solos (``training/articulation.py``);
the decoder draws a gate for each note from them. A weights folder without
``articulation.json`` plays legato (``LEGATO``), as before.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from live_jazz.encoding.values import DURATIONS, TICKS_PER_BEAT

FORMAT = "live-jazz-articulation/1"
ARTICULATION_FILE = "articulation.json"
QUANTILES = 21
"""Gate quantiles kept per duration: 0, 5%, ..., 100%."""
MIN_NOTES = 50
"""A duration with fewer measured notes borrows the gates of the nearest one with enough."""


@dataclass(frozen=True)
class Articulation:
    """Gate quantiles by value duration (ticks); durations without their own take the nearest
    duration's."""

    gates: Mapping[int, Sequence[float]] = field(default_factory=dict)
    """For each value duration measured: ``QUANTILES`` rising gates in (0, 1]."""
    _by_duration: dict[int, Sequence[float]] = field(init=False, repr=False, compare=False)
    """Every grid duration's gates (its own or the nearest measured duration's), looked up
    once here rather than searched for each note."""

    def __post_init__(self) -> None:
        for duration, gates in self.gates.items():
            if duration not in DURATIONS:
                raise ValueError(f"gate for duration {duration}, which is not on the value grid")
            if (len(gates) != QUANTILES or any(not 0.0 < g <= 1.0 for g in gates)
                    or any(b < a for a, b in zip(gates, gates[1:], strict=False))):
                raise ValueError(f"the gates of duration {duration} must be {QUANTILES} rising "
                                 "shares in (0, 1]")
        nearest = {d: self.gates[min(self.gates, key=lambda m, d=d: (abs(m - d), m))]
                   for d in DURATIONS} if self.gates else {}
        object.__setattr__(self, "_by_duration", nearest)

    @property
    def legato(self) -> bool:
        """Every note held to the end of its value (nothing measured)."""
        return not self.gates

    def length(self, duration: int, rng: np.random.Generator) -> int:
        """How many of a note value's ``duration`` ticks sound: a gate drawn from the players'
        (always at least one tick). Draws nothing when legato."""
        if self.legato:
            return duration
        gates = self._by_duration[duration]
        position = rng.random() * (QUANTILES - 1)
        below = int(position)
        above = min(below + 1, QUANTILES - 1)
        gate = gates[below] + (position - below) * (gates[above] - gates[below])
        return max(1, min(duration, round(duration * gate)))

    def save(self, directory: Path) -> None:
        """Write ``articulation.json`` into ``directory``."""
        document = {"format": FORMAT, "ticks_per_beat": TICKS_PER_BEAT,
                    "gates": {str(d): [round(g, 4) for g in gates]
                              for d, gates in sorted(self.gates.items())}}
        (Path(directory) / ARTICULATION_FILE).write_text(
            json.dumps(document, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Articulation:
        """Read ``articulation.json``; a folder without one plays legato."""
        path = Path(directory) / ARTICULATION_FILE
        if not path.is_file():
            return LEGATO
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise ValueError(f"not JSON ({error})") from None
        if (not isinstance(document, dict) or document.get("format") != FORMAT
                or document.get("ticks_per_beat") != TICKS_PER_BEAT):
            raise ValueError(f"not a {FORMAT} file with {TICKS_PER_BEAT} ticks a beat")
        return cls({int(d): tuple(float(g) for g in gates)
                    for d, gates in document["gates"].items()})


LEGATO = Articulation()
"""Every note held to the end of its value."""


def fit_articulation(measured: Mapping[int, Sequence[float]]) -> Articulation:
    """The gates of ``measured`` (each value duration's observed gates, sounding ticks over
    the value's): quantiles where at least ``MIN_NOTES`` were measured (none: legato)."""
    gates = {}
    for duration, shares in measured.items():
        if len(shares) < MIN_NOTES:
            continue
        clipped = np.clip(np.asarray(shares, dtype=np.float64), 1.0 / duration, 1.0)
        quantiles = np.quantile(clipped, np.linspace(0.0, 1.0, QUANTILES))
        gates[duration] = tuple(float(q) for q in quantiles)
    return Articulation(gates)  # nothing measured enough: legato


def gate_of(sounding: int, duration: int) -> float:
    """The share of a value of ``duration`` ticks (>= 1) that a note sounding ``sounding``
    filled."""
    return min(1.0, max(sounding, 1) / duration)
