"""The players' time feel, as learned from the recordings (``feel.json`` in a weights folder).

A note is chosen on the straight grid of 12 ticks a beat; a player places it off that grid.
``FeelModel`` holds what ``training/feel.py`` measured on the training solos, against the beat
track's beat onsets:

- the swing the players use at a tempo: where the off-beat eighth falls in the beat, a smooth
  function of the tempo (``swing_at``), the ``--swing auto`` of the live instrument;
- for each tempo band and kind of note (its place in the beat and bar, its length, what comes
  before it: ``CONTEXTS``), the median time (ms) the notes land off the swung grid (``cell_ms``);
- how far notes of each place stray from that median (``scale_ms``), and how the strays hang
  together: a share of them is the phrase's own offset (``phrase_share``: a player who lays
  back stays back), the rest an AR(1) process (``ar``) within the phrase, its innovations drawn
  from the shape of the measured residuals (``residual_q``: quantiles in units of
  ``scale_ms``);

A weights folder without ``feel.json`` plays on the grid (``FeelModel.load`` returns None).
Plain data and arithmetic: ``music.performer`` draws from it for every note.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from pathlib import Path

FORMAT = "live-jazz-feel/1"
FEEL_FILE = "feel.json"
BAND_EDGES = (140.0, 200.0, 260.0)
"""Tempo bands (BPM): slow < 140 <= medium < 200 <= fast < 260 <= very fast."""
BAND_NAMES = ("slow", "medium", "fast", "very fast")
POSITIONS = ("bar", "beat", "eighth", "other")
"""A note's place: on the bar line, on another beat, on the off-beat eighth, elsewhere."""
SWING_LIMITS = (0.5, 0.75)
"""Where the off-beat eighth may fall (the ratios ``music.swing`` plays)."""


def band_of(tempo: float) -> int:
    """The tempo band (0-3) of ``tempo`` BPM."""
    return bisect.bisect_right(BAND_EDGES, tempo)


def position_of(tick_in_bar: int, ticks_per_beat: int) -> int:
    """Index in ``POSITIONS`` of a note written ``tick_in_bar`` ticks after its bar line."""
    within = tick_in_bar % ticks_per_beat
    if within == 0:
        return 0 if tick_in_bar == 0 else 1
    return 2 if 2 * within == ticks_per_beat else 3


CONTEXTS = ("start", "run", "eighths", "slow")
"""What comes before a note: it starts a phrase; or the previous onset is a sixteenth or less
before it (a run), up to an eighth before (eighths, triplets), or further."""


def context_of(gap_ticks: int | None, ticks_per_beat: int) -> int:
    """Index in ``CONTEXTS`` of a note whose previous onset is ``gap_ticks`` before it (None:
    it starts a phrase)."""
    if gap_ticks is None:
        return 0
    if 4 * gap_ticks <= ticks_per_beat:
        return 1
    return 2 if 2 * gap_ticks <= ticks_per_beat else 3


def cell_key(band: int, position: int, long: bool, context: int) -> str:
    """The key of a cell of ``FeelModel.cell_ms``."""
    return f"{band}:{POSITIONS[position]}:{'long' if long else 'short'}:{CONTEXTS[context]}"


@dataclass(frozen=True)
class FeelModel:
    """What the players' timing looked like in the training solos (see the module docstring)."""

    swing_intercept: float
    """Swing place = intercept + slope * ln(tempo), clipped to ``SWING_LIMITS``."""
    swing_slope: float
    """See ``swing_intercept`` (negative: the swing flattens as the tempo rises)."""
    cell_ms: dict[str, float]
    """Median deviation (ms, + late) off the swung grid of each measured cell (``cell_key``)."""
    band_ms: tuple[tuple[float, ...], ...]
    """Per band, per position: the median of the whole position (cells measured too thinly
    fall back to it)."""
    scale_ms: tuple[tuple[float, ...], ...]
    """Per band, per position: the spread (IQR / 1.349, ms) of the notes off their medians."""
    phrase_share: tuple[float, ...]
    """Per band: the share (0-1) of the strays' variance that is the phrase's own offset."""
    ar: tuple[float, ...]
    """Per band: the lag-one coefficient of the rest, note to note within a phrase."""
    residual_q: tuple[tuple[float, ...], ...]
    """Per band: rising quantiles of the residuals in units of ``scale_ms`` (the shape the
    innovations are drawn from, by inverse transform)."""
    phrase_carry: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    """Per band: how much of a phrase's offset the next phrase keeps (the correlation of
    consecutive phrases' offsets: a player's lean lasts the solo)."""
    comp_sd_ms: float = 8.0
    """The comping's spread around the beat (a rhythm section is tighter than a soloist)."""

    def __post_init__(self) -> None:
        bands = len(BAND_NAMES)
        if not (len(self.band_ms) == len(self.scale_ms) == len(self.phrase_share)
                == len(self.ar) == len(self.residual_q) == bands):
            raise ValueError(f"every per-band table needs {bands} rows")
        if any(len(row) != len(POSITIONS) for row in (*self.band_ms, *self.scale_ms)):
            raise ValueError(f"band_ms and scale_ms rows need {len(POSITIONS)} positions")
        if any(not -1.0 < a < 1.0 for a in self.ar):
            raise ValueError("ar coefficients must be in (-1, 1)")
        if len(self.phrase_carry) != bands or any(not 0.0 <= c < 1.0
                                                 for c in self.phrase_carry):
            raise ValueError(f"phrase_carry needs {bands} values in [0, 1)")
        if any(not 0.0 <= c < 1.0 for c in self.phrase_share):
            raise ValueError("phrase shares must be in [0, 1)")
        for row in self.residual_q:
            if len(row) < 2 or any(b < a for a, b in zip(row, row[1:], strict=False)):
                raise ValueError("innovation quantiles must be at least two, rising")
        if any(not math.isfinite(v) for v in self.cell_ms.values()):
            raise ValueError("cell medians must be finite")

    def swing_at(self, tempo: float) -> float:
        """Where the players' off-beat eighth falls at ``tempo`` BPM (0.5 straight)."""
        place = self.swing_intercept + self.swing_slope * math.log(max(tempo, 1.0))
        low, high = SWING_LIMITS
        return min(high, max(low, place))

    def median_ms(self, band: int, position: int, long: bool, context: int) -> float:
        """The median deviation of a kind of note (its cell's, else its position's)."""
        value = self.cell_ms.get(cell_key(band, position, long, context))
        return self.band_ms[band][position] if value is None else value

    def as_json(self) -> dict[str, object]:
        """The model as ``feel.json`` holds it."""
        return {
            "format": FORMAT,
            "swing": {"intercept": self.swing_intercept, "slope": self.swing_slope},
            "cell_ms": self.cell_ms,
            "band_ms": [list(r) for r in self.band_ms],
            "scale_ms": [list(r) for r in self.scale_ms],
            "phrase_share": list(self.phrase_share),
            "ar": list(self.ar),
            "residual_q": [list(r) for r in self.residual_q],
            "phrase_carry": list(self.phrase_carry),
            "comp_sd_ms": self.comp_sd_ms,
        }

    def save(self, directory: Path, extra: dict[str, object] | None = None) -> Path:
        """Write ``feel.json`` into ``directory`` (``extra``: provenance kept beside)."""
        path = Path(directory) / FEEL_FILE
        path.write_text(json.dumps({**self.as_json(), **(extra or {})}, indent=1) + "\n",
                        encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: Path) -> FeelModel | None:
        """The model in ``directory``'s ``feel.json``; None if there is none (the grid).
        Raises OSError, ValueError, KeyError or TypeError for a broken file."""
        path = Path(directory) / FEEL_FILE
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT!r}")
        return cls(
            swing_intercept=float(data["swing"]["intercept"]),
            swing_slope=float(data["swing"]["slope"]),
            cell_ms={str(k): float(v) for k, v in data["cell_ms"].items()},
            band_ms=tuple(tuple(float(v) for v in row) for row in data["band_ms"]),
            scale_ms=tuple(tuple(float(v) for v in row) for row in data["scale_ms"]),
            phrase_share=tuple(float(v) for v in data["phrase_share"]),
            ar=tuple(float(v) for v in data["ar"]),
            residual_q=tuple(tuple(float(v) for v in row) for row in data["residual_q"]),
            phrase_carry=tuple(float(v) for v in data["phrase_carry"]),
            comp_sd_ms=float(data.get("comp_sd_ms", 8.0)),
        )
