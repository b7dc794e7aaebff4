"""The settings in force: built first and handed to every room that reads them.

One owner writes them -- the session, applying a command -- and every other room (the
generator, the turn-taking, the loop) reads ``config`` when it needs it, so nothing keeps a copy
that could go stale, and nothing reaches through the session to get them.
"""

from __future__ import annotations

from collections.abc import Callable

from live_jazz.engine.config import EngineConfig


class Settings:
    """The engine's settings in force (a frozen config, swapped whole: any thread may read).

    ``players_swing(tempo)``: the players' swing at a tempo (the weights' feel model), which
    ``swing`` follows while ``swing_auto``; None: no model, ``swing`` stays."""

    def __init__(self, config: EngineConfig,
                 players_swing: Callable[[float], float] | None = None) -> None:
        self.players_swing = players_swing
        if config.swing_auto and players_swing is not None:
            config = config.with_changes(swing=players_swing(config.tempo))
        self.config = config
        """The settings in force."""

    def change(self, **changes: object) -> EngineConfig:
        """Swap in a validated copy with ``changes`` (raises ConfigError); the session's."""
        self.config = self.config.with_changes(**changes)
        return self.config
