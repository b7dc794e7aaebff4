"""Small hand-made feel models for the tests: every note a fixed time off the grid."""

from __future__ import annotations

from live_jazz.encoding.feel import BAND_NAMES, POSITIONS, FeelModel


def fixed_feel(ms: float, swing: float = 0.6, spread_ms: float = 0.0) -> FeelModel:
    """Every note ``ms`` off its swung place (+ late), swing ``swing`` at every tempo; with
    ``spread_ms`` a symmetric stray around that."""
    bands = len(BAND_NAMES)
    return FeelModel(
        swing_intercept=swing, swing_slope=0.0, cell_ms={},
        band_ms=tuple((ms,) * len(POSITIONS) for _ in range(bands)),
        scale_ms=tuple((spread_ms,) * len(POSITIONS) for _ in range(bands)),
        phrase_share=(0.0,) * bands, ar=(0.0,) * bands,
        residual_q=((-1.0, 0.0, 1.0),) * bands,
    )
