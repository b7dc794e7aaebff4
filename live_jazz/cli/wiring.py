"""Wiring shared by ``live-jazz play --headless`` and the TUI: options -> a ready ``Engine``.

The TUI's ``make_app(config, engine)`` gets its engine from ``build_engine(options)``; tests pass
``PlayOptions(..., midi_api="test")`` to get an engine on a recording port with no MIDI backend.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from live_jazz.cli.options import PlayOptions, control_map
from live_jazz.command import CliError, tell
from live_jazz.engine.events import PortsChanged
from live_jazz.synth.port import SynthOptions

if TYPE_CHECKING:
    from live_jazz.audio_in.listen import AudioListener
    from live_jazz.engine.clock import Clock
    from live_jazz.engine.engine import Engine
    from live_jazz.engine.recorder import Recorder
    from live_jazz.midi_io.backends import MidiApi
    from live_jazz.midi_io.jack_server import ServerWatch
    from live_jazz.midi_io.ports import InputPort, InputQueue, OutputPort, PortChange

log = logging.getLogger(__name__)


def sessions_folder(environ: Mapping[str, str] | None = None) -> Path:
    """Where sessions are recorded unless ``--record FILE``: ``$LIVE_JAZZ_SESSIONS``, else
    ``$XDG_DATA_HOME/live-jazz/sessions`` (``~/.local/share/live-jazz/sessions``)."""
    env = os.environ if environ is None else environ
    if env.get("LIVE_JAZZ_SESSIONS"):
        return Path(env["LIVE_JAZZ_SESSIONS"])
    data = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else \
        Path(env.get("HOME", str(Path.home()))) / ".local" / "share"
    return data / "live-jazz" / "sessions"


def build_engine(options: PlayOptions,
                 on_listener: Callable[[AudioListener], None] | None = None) -> Engine:
    """Load the weights, open the recording and the ports, and return an Engine (not yet
    started). ``on_listener`` is given the microphone's listener (``--audio-in``: the TUI's
    meter).

    Raises ``CliError`` with a one-line message for a user error (unknown port, no MIDI backend,
    unreadable weights); whatever was opened by then is closed (a recording begun is removed).
    """
    from live_jazz.engine.engine import Engine
    from live_jazz.model.bundle import WeightsError, load_weights

    try:
        weights = load_weights(options.weights)
    except WeightsError as error:
        raise CliError(str(error)) from None
    recorder = open_recorder(options)
    relay = EngineRelay()
    try:
        opened = open_ports(options, relay)
    except CliError:
        if recorder is not None:
            recorder.close()
            recorder.path.unlink(missing_ok=True)
        raise
    hear_audio(options, opened)
    if on_listener is not None and opened.listener is not None:
        on_listener(opened.listener)
    ports = PortsChanged(opened.output.name, opened.input_name, opened.api_name, options.sync,
                         None if recorder is None else str(recorder.path))
    engine = Engine(options.config, weights, opened.output, clock=opened.clock,
                    input_queue=opened.queue, recorder=recorder, ports=ports,
                    send_clock=options.send_clock, sync=options.sync, on_close=opened.close,
                    controls=control_map(options.controls))
    relay.engine = engine
    return engine


class EngineRelay:
    """Hands the engine what the ports' watchers see: the ports are opened before the engine
    that plays into them exists, so their watchers are given this, and it the engine once
    built (what comes before that is not lost: the engine asks the port when it starts)."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        """Set once the engine is built."""

    def port_changed(self, change: PortChange) -> None:
        if self.engine is not None:
            self.engine.port_changed(change)

    def server_gone(self, reason: str) -> None:
        """The JACK server went away: halt, and say why."""
        from live_jazz.engine.commands import Halt

        if self.engine is not None:
            self.engine.submit(Halt(f"the JACK server stopped ({reason}): nothing more can "
                                    "be played; start it and live-jazz again"))


@dataclass
class OpenedPorts:
    """What ``open_ports`` opened; ``close`` closes the inputs (the engine closes the output)."""

    output: OutputPort
    """Where the music goes."""
    api_name: str
    """The MIDI system's name, as shown ("test" with ``--midi-api test``)."""
    clock: Clock | None = None
    """The clock the ports stamp input with (None: the engine's own)."""
    queue: InputQueue | None = None
    """Where the input's messages wait, if there is an input."""
    input_port: InputPort | None = None
    """The input port, if any."""
    watch: ServerWatch | None = None
    """Under JACK, the watch on the server."""
    listener: AudioListener | None = None
    """With ``--audio-in``, what hears the microphone into ``queue``."""

    @property
    def input_name(self) -> str | None:
        return None if self.input_port is None else self.input_port.name

    def close(self) -> None:
        if self.listener is not None:
            self.listener.close()
        if self.input_port is not None:
            self.input_port.close()
        if self.watch is not None:
            self.watch.close()


def open_recorder(options: PlayOptions) -> Recorder | None:
    """The session's recording, unless ``--no-record``; CliError if it cannot be written."""
    from live_jazz.engine.recorder import Recorder, default_session_path

    if options.no_record:
        return None
    config = options.config
    path = options.record or default_session_path(sessions_folder())
    channels = {"improviser": config.solo_channel, "chords": config.comp_channel}
    if options.audio_in is not None:
        from live_jazz.audio_in.listen import AUDIO_CHANNEL

        channels["microphone"] = AUDIO_CHANNEL
    try:
        return Recorder(path, channels, config.progression.beats_per_bar)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise CliError(f"cannot record to {path}: {reason}") from None


def open_ports(options: PlayOptions, relay: EngineRelay) -> OpenedPorts:
    """The output (the voice, a port, or a virtual one) and the input; with ``--midi-api test``
    a recording port and no input. CliError (all closed again) if one cannot be opened."""
    from live_jazz.engine.clock import SystemClock
    from live_jazz.midi_io.ports import PortError, RecordingPort

    config = options.config
    clock = SystemClock()
    if options.midi_api == "test":
        if options.synth is None:
            return OpenedPorts(RecordingPort("test"), "test")
        from live_jazz.cli.voice import open_voice_port  # the voice needs no MIDI system

        return OpenedPorts(open_voice_port(options.synth, config.solo_channel,
                                           config.comp_channel, clock.now), "test")
    output: OutputPort | None = None
    try:
        output = open_midi_output(options, clock, relay)
        return open_midi_input(options, output, clock, relay)
    except (PortError, CliError) as error:
        if output is not None:
            output.close()
        raise CliError(str(error)) from None


def open_midi_output(options: PlayOptions, clock: Clock, relay: EngineRelay) -> OutputPort:
    """The voice (``--synth``), the default output on Windows, or a MIDI port, reset."""
    from live_jazz.midi_io.backends import resolve_api
    from live_jazz.midi_io.rtmidi_ports import open_output

    config = options.config
    output: OutputPort | None = None
    if options.synth is not None:
        from live_jazz.cli.voice import open_voice_port

        output = open_voice_port(options.synth, config.solo_channel, config.comp_channel,
                                 clock.now)
    api = resolve_api(options.midi_api)
    if output is None and options.out_port is None and api.name == "winmm":
        output = windows_output(api, options, clock.now, relay.port_changed)
    if output is None:
        output = open_output(api, options.out_port, options.client_name, relay.port_changed)
    output.reset(sorted({config.solo_channel, config.comp_channel}))
    return output


def open_midi_input(options: PlayOptions, output: OutputPort, clock: Clock,
                    relay: EngineRelay) -> OpenedPorts:
    """``output`` with the input (none on Windows unless named) and, under JACK, the watch
    that halts the engine when the server goes."""
    from live_jazz.midi_io.backends import resolve_api
    from live_jazz.midi_io.ports import InputQueue
    from live_jazz.midi_io.rtmidi_ports import open_input

    api = resolve_api(options.midi_api)
    opened = OpenedPorts(output, api.display_name, clock)
    if api.name == "winmm" and options.in_port is None and not options.no_input:
        log.warning("no virtual MIDI ports on Windows: no input (--in-port NAME to play to it)")
    elif not options.no_input:
        opened.queue = InputQueue(clock.now)
        opened.input_port = open_input(api, options.in_port, opened.queue, options.client_name,
                                       clock=options.sync == "external",
                                       on_change=relay.port_changed)
    if api.name == "jack":
        from live_jazz.midi_io.jack_server import ServerWatch

        opened.watch = ServerWatch(f"{options.client_name} server", relay.server_gone)
    return opened


def hear_audio(options: PlayOptions, opened: OpenedPorts) -> None:
    """With ``--audio-in``, the listener that puts the microphone's notes on the input queue
    (a queue of its own where MIDI in opened none), closed with the inputs."""
    from live_jazz.cli.audio import start_hearing
    from live_jazz.engine.clock import SystemClock

    now = opened.clock.now if opened.clock is not None else SystemClock().now
    opened.queue, opened.listener = start_hearing(options.audio_in, opened.queue, now)


def windows_output(api: MidiApi, options: PlayOptions, now: Callable[[], float],
                   port_changed: Callable[[PortChange], None]) -> OutputPort:
    """The default output on Windows (no virtual ports there): see ``midi_io.windows``."""
    from live_jazz.cli.voice import open_voice_port
    from live_jazz.midi_io.backends import list_ports
    from live_jazz.midi_io.rtmidi_ports import open_output
    from live_jazz.midi_io.windows import choose_windows_output
    from live_jazz.synth.port import voice_available

    synth = SynthOptions()
    try:
        choice = choose_windows_output(list_ports(api)[1], voice_available(synth))
    except ValueError as error:
        raise CliError(str(error)) from None
    log.warning(choice.reason)
    if choice.kind == "voice":
        return open_voice_port(synth, options.config.solo_channel, options.config.comp_channel,
                               now)
    return open_output(api, choice.port, options.client_name, port_changed)


def report_recording(recording: Path | None, error: str | None) -> bool:
    """Tell the user where the session's recording is, or that it is lost (``error``, after
    the engine closed); returns False if it is lost."""
    if error is not None:
        tell(f"live-jazz: error: recording lost: {error}", sys.stderr)
        return False
    if recording is not None:
        tell(f"live-jazz: recording saved to {recording}")
    return True
