"""The vocabulary: which values the model knows, as indices, saved as JSON beside the weights."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from live_jazz.encoding.values import TICKS_PER_BEAT, Value, motion_distance

FORMAT = "live-jazz-vocabulary/1"


def value_distance(a: Value, b: Value) -> float:
    """How far apart two values are musically; notes and rests never meet (infinite).

    A different role costs 2, each step between motion classes 1, and duration counts by its
    ratio (1.5 per doubling), so a rare value falls to the kept one that sounds most like it.
    """
    if a.is_rest != b.is_rest:
        return math.inf
    distance = 1.5 * abs(math.log2(a.duration / b.duration))
    if a.role is not None and b.role is not None and a.motion is not None and b.motion is not None:
        distance += 2.0 * (a.role != b.role) + motion_distance(a.motion, b.motion)
    return distance


@dataclass
class Vocabulary:
    """Kept values, most frequent first, with their corpus counts."""

    values: list[Value]
    """The kept values; a value's index is its position here."""
    counts: list[int]
    """How often each kept value occurred in the corpus it was built from (after folding)."""
    min_count: int = 1
    """Values seen fewer times than this were folded into their nearest kept value."""
    _index: dict[Value, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {v: i for i, v in enumerate(self.values)}

    def __len__(self) -> int:
        return len(self.values)

    @classmethod
    def build(cls, sequences: Iterable[Sequence[Value]], min_count: int = 10) -> Vocabulary:
        """Count values over a corpus; those seen fewer than ``min_count`` times fold into
        their nearest kept value (``value_distance``, ties to the more frequent)."""
        counts = Counter(v for sequence in sequences for v in sequence)
        if not counts:
            raise ValueError("cannot build a vocabulary from an empty corpus")
        ranked = sorted(counts, key=lambda v: (-counts[v], v.token))
        kept = [v for v in ranked if counts[v] >= min_count]
        for is_rest in (True, False):
            # Keep at least the most frequent rest and note, so that every value has a home.
            if not any(v.is_rest == is_rest for v in kept):
                kept += [v for v in ranked if v.is_rest == is_rest][:1]
        vocabulary = cls(kept, [0] * len(kept), min_count)
        for value, n in counts.items():
            vocabulary.counts[vocabulary.index(value)] += n
        return vocabulary

    def index(self, value: Value) -> int:
        """Index of a value; an unknown value gets its nearest kept one."""
        found = self._index.get(value)
        if found is not None:
            return found
        best = min(
            range(len(self.values)),
            key=lambda i: (value_distance(value, self.values[i]), -self.counts[i]),
        )
        self._index[value] = best
        return best

    def indices(self, values: Iterable[Value]) -> list[int]:
        """Indices of a value sequence."""
        return [self.index(v) for v in values]

    def save(self, path: Path) -> None:
        """Write the vocabulary as JSON."""
        document = {
            "format": FORMAT,
            "ticks_per_beat": TICKS_PER_BEAT,
            "min_count": self.min_count,
            "values": [v.token for v in self.values],
            "counts": self.counts,
        }
        path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        """Read a vocabulary written by ``save``. Raises OSError, or ValueError saying what is
        wrong with the document (it does not name the file: the caller does)."""
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
        except ValueError as error:  # JSON or UTF-8
            raise ValueError(f"not JSON ({error})") from None
        return cls.from_document(document)

    @classmethod
    def from_document(cls, document: object) -> Vocabulary:
        """The vocabulary in a parsed ``save`` document, its schema checked (ValueError)."""
        if not isinstance(document, dict) or document.get("format") != FORMAT \
                or document.get("ticks_per_beat") != TICKS_PER_BEAT:
            raise ValueError(f"not a {FORMAT} document with {TICKS_PER_BEAT} ticks a beat")
        tokens, counts, min_count = (document.get(key) for key in ("values", "counts",
                                                                   "min_count"))
        if not isinstance(tokens, list) or not tokens \
                or not all(isinstance(t, str) for t in tokens):
            raise ValueError("'values' must be a non-empty list of value tokens (like \"C:+2:6\")")
        values = [Value.from_token(t) for t in tokens]  # ValueError naming a bad token
        if len(set(values)) != len(values):
            twice = next(t for i, t in enumerate(tokens) if t in tokens[:i])
            raise ValueError(f"value {twice!r} is listed twice")
        if not isinstance(counts, list) or len(counts) != len(values) \
                or not all(_is_count(n) for n in counts):
            raise ValueError(f"'counts' must be {len(values)} whole numbers >= 0, one a value")
        if not isinstance(min_count, int) or not _is_count(min_count):
            raise ValueError("'min_count' must be a whole number >= 0")
        return cls(values, list(counts), min_count)


def _is_count(number: object) -> bool:
    return isinstance(number, int) and not isinstance(number, bool) and number >= 0
