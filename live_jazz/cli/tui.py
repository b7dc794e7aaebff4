"""``live-jazz tui`` (and ``live-jazz`` alone): the instrument with its face.

Settings come from, last wins: the engine's defaults, the user's settings file (what they changed
in the TUI last time), the command line. The engine is built in the App's worker, so the screen
is up before the model is loaded.
"""

from __future__ import annotations

import argparse
from functools import partial
from typing import TYPE_CHECKING

from live_jazz.cli.command import CliError, Command
from live_jazz.cli.wiring import (
    add_engine_options,
    build_engine,
    options_from_args,
    report_recording,
)
from live_jazz.engine.config import EngineConfig

if TYPE_CHECKING:
    from live_jazz.tui.app import LiveJazzApp


def configure(parser: argparse.ArgumentParser) -> None:
    add_engine_options(parser)


def build_app(args: argparse.Namespace) -> LiveJazzApp:
    """The App for parsed ``tui`` arguments (tests run it with Pilot)."""
    from live_jazz.tui.app import LiveJazzApp
    from live_jazz.tui.settings import apply_settings, load_settings, settings_path

    path = settings_path()
    saved = apply_settings(EngineConfig(), load_settings(path))
    options = options_from_args(args, base=saved)
    return LiveJazzApp(options.config, partial(build_engine, options), path)


def run(args: argparse.Namespace) -> int:
    app = build_app(args)
    try:
        outcome = app.run()
    finally:
        recording = app.shutdown(wait=True)  # every exit path: note-offs, recording closed
    if outcome is not None and outcome.error:
        raise CliError(outcome.error)
    if not report_recording(recording, app.recording_error):
        return 1
    return app.return_code or 0


COMMAND = Command("tui", "Play with the TUI (what `live-jazz` alone runs)", configure, run)
