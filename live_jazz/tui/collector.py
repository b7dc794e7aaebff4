"""Python's cyclic garbage collector, kept from pausing the engine while the music plays.

A full collection holds the GIL for as long as it takes to walk every tracked object: with
Textual's widgets, Rich's segments and the model loaded, tens of milliseconds, during which the
engine's timing thread cannot run (``live-jazz bench timing --tui``: dispatch p99 20 ms with
the collector left alone). So everything that outlived the start-up is frozen out of the
collector's sight, and while the transport runs only the young generations are collected (the
automatic, small collections every few hundred allocations); the full collection waits until
the transport stops.
"""

from __future__ import annotations

import gc

NO_FULL_COLLECTIONS = 1 << 30
"""A threshold of the oldest generation that is never reached."""


class Collector:
    """Tell it when the engine is loaded and when the transport starts and stops."""

    def __init__(self) -> None:
        self._thresholds: tuple[int, int, int] | None = None
        """The thresholds to put back, while playing."""

    def settle(self) -> None:
        """After start-up (the model loaded): collect once (unless the music already plays),
        then freeze what survived, so that no later collection walks it again."""
        if self._thresholds is None:
            gc.collect()
        gc.freeze()

    def transport(self, playing: bool) -> None:
        """The transport started or stopped."""
        if playing and self._thresholds is None:
            self._thresholds = gc.get_threshold()
            young, middle, _ = self._thresholds
            gc.set_threshold(young, middle, NO_FULL_COLLECTIONS)
        elif not playing and self._thresholds is not None:
            self.restore()
            gc.collect()

    def restore(self) -> None:
        """The thresholds as they were (on stop, and when the App closes)."""
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None
