"""The TUI run headless, for ``live-jazz bench timing --tui``: the App runs and redraws as it does
in a terminal (nothing is written out) while the engine plays, and says how fast it came up and
how often it redrew. The launch probe that runs it in a fresh process is
``live_jazz.cli.launch_probe``.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from live_jazz.tui.app import LiveJazzApp
from live_jazz.tui.screens import HelpScreen
from live_jazz.tui.widgets import PianoRoll, TransportBar

SIZE = (120, 40)
"""Terminal size of the headless run (columns, rows)."""
POLL_S = 0.01


@dataclass(frozen=True)
class UiFigures:
    """What a headless run measured."""

    launch_to_interactive_s: float
    """From `launched` to the first key handled by the main screen (the help screen opened)."""
    launch_to_ready_s: float
    """From `launched` to the engine loaded, started and attached (the model loads meanwhile)."""
    frames_per_second: float
    """Piano-roll redraws per second while playing (it redraws on every UI frame while the
    transport runs)."""
    playing_s: float
    """How long it played."""


def run_headless(app: LiveJazzApp, seconds: float, launched: float) -> UiFigures:
    """Run `app` headless: wait for its engine, press play, let it play `seconds`, quit with `q`
    (which closes the engine). `launched`: ``time.perf_counter()`` when the launch began."""
    return asyncio.run(_drive(app, seconds, launched))


async def _drive(app: LiveJazzApp, seconds: float, launched: float) -> UiFigures:
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await pilot.press("question_mark")
        if not isinstance(app.screen, HelpScreen):
            raise RuntimeError("the main screen did not take the help key")
        interactive = time.perf_counter() - launched
        await pilot.press("escape")
        transport = app.main.query_one(TransportBar)
        while not transport.ready:
            if app.return_value is not None:  # the engine failed to load
                raise RuntimeError(app.return_value.error or "the engine did not start")
            await asyncio.sleep(POLL_S)
        ready = time.perf_counter() - launched
        roll = app.main.query_one(PianoRoll)
        await pilot.press("space")
        frames, start = roll.frames, time.perf_counter()
        await asyncio.sleep(seconds)
        frames, playing = roll.frames - frames, time.perf_counter() - start
        await pilot.press("q")
    return UiFigures(interactive, ready, frames / playing, playing)
