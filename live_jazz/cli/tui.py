"""``live-jazz tui`` (and ``live-jazz`` alone): the instrument with its face.

Settings come from, last wins: the engine's defaults, the user's settings file (what they changed
in the TUI last time), the command line. The engine is built in the App's worker, so the screen
is up before the model is loaded.
"""

from __future__ import annotations

import argparse
import logging
import time
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from live_jazz.cli.options import PlayOptions, add_engine_options, control_map, options_from_args
from live_jazz.cli.outputs import VIRTUAL, VOICE, SystemOutputs
from live_jazz.cli.voice import voice_options
from live_jazz.cli.wiring import build_engine, report_recording
from live_jazz.command import CliError, Command
from live_jazz.engine.config import EngineConfig

if TYPE_CHECKING:
    from live_jazz.tui.app import LiveJazzApp


def configure(parser: argparse.ArgumentParser) -> None:
    add_engine_options(parser)


def build_app(args: argparse.Namespace) -> LiveJazzApp:
    """The App for parsed ``tui`` arguments (tests run it with Pilot)."""
    from live_jazz.tui.app import LiveJazzApp
    from live_jazz.tui.microphone import Microphone
    from live_jazz.tui.settings import apply_settings, load_settings, settings_path

    path = settings_path()
    settings = load_settings(path)
    saved = apply_settings(EngineConfig(), settings)
    options = saved_output(options_from_args(args, base=saved), settings.get("output"), args)
    if not options.controls and isinstance(settings.get("controls"), list):
        try:
            options = replace(options, controls=control_map(
                [str(c) for c in settings["controls"]]).specs())
        except CliError as error:
            logging.getLogger(__name__).warning("ignoring saved controls: %s", error)
    outputs = None
    if options.midi_api != "test":
        outputs = SystemOutputs(options.midi_api, options.client_name,
                                voice_options(args), (options.config.solo_channel,
                                                      options.config.comp_channel),
                                time.perf_counter)
    microphone = None if options.audio_in is None else Microphone()
    load = partial(build_engine, options, None if microphone is None else microphone.attach)
    return LiveJazzApp(options.config, load, path, outputs, microphone)


def saved_output(options: PlayOptions, output: object, args: argparse.Namespace) -> PlayOptions:
    """``options`` with the output chosen on the port screen last time, unless the command line
    names one (``--synth``, ``--out-port``) or that port is not there now."""
    if not isinstance(output, str) or options.synth is not None or options.out_port \
            or options.midi_api == "test":
        return options
    if output == VOICE:
        return replace(options, synth=voice_options(args))
    if output == VIRTUAL:
        return options
    from live_jazz.midi_io.backends import list_ports
    from live_jazz.midi_io.ports import PortError

    try:
        present = output in list_ports(options.midi_api)[1]
    except PortError:
        present = False
    return replace(options, out_port=output) if present else options


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
