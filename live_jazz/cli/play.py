"""``live-jazz play``: the instrument. ``--headless`` runs the engine without the TUI, logging
what it plays (scripts, tests, a box without a screen); without it, ``play`` opens the TUI.

Every exit path -- the duration over, Ctrl-C, SIGTERM, SIGHUP (the terminal closed), the engine
failing -- goes through ``Engine.close``: note-offs for every sounding note, All Notes Off, the
recording written (or reported lost, exit code 1).
"""

from __future__ import annotations

import argparse
import logging
import queue
import signal
import sys
import threading

from live_jazz.cli.options import add_engine_options, options_from_args
from live_jazz.cli.wiring import build_engine, report_recording
from live_jazz.command import CliError, Command, positive_float, tell
from live_jazz.engine.commands import Play
from live_jazz.engine.events import (
    ChordChanged,
    EngineEvent,
    LogLine,
    NotePlayed,
    PortsChanged,
    TransportChanged,
)
from live_jazz.theory import note_name

log = logging.getLogger("live_jazz.play")

POLL_SECONDS = 0.2
"""How often the main thread looks whether the engine is still alive."""
QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP")
                     if hasattr(signal, name))
"""Signals that end a session cleanly, the exit code 128 + the signal's number: kill, Ctrl-C,
the terminal closed (SIGHUP is not on Windows)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--headless", action="store_true",
                        help="no TUI: run the engine and log what it plays")
    parser.add_argument("--duration", type=positive_float, metavar="S",
                        help="stop after S seconds (default: until Ctrl-C or SIGTERM)")
    parser.add_argument("--quiet", action="store_true",
                        help="log warnings and turns only, not every note")
    add_engine_options(parser)


def run(args: argparse.Namespace) -> int:
    if not args.headless:
        from live_jazz.cli.tui import run as run_tui

        return run_tui(args)
    options = options_from_args(args)
    engine = build_engine(options)
    events = EventLog(quiet=args.quiet)
    engine.subscribe(events)
    stop = threading.Event()
    signalled: list[int] = []

    def on_signal(signum: int, frame: object) -> None:
        signalled.append(signum)
        stop.set()

    # Ctrl-C as SIGTERM: a handler that only sets an event, rather than a KeyboardInterrupt
    # raised wherever the main thread happens to be (inside a lock, say).
    # A signal ignored when we started (``nohup``, a background job) stays ignored.
    previous = {signum: signal.signal(signum, on_signal) for signum in QUIT_SIGNALS
                if signal.getsignal(signum) is not signal.SIG_IGN}
    code = 0
    try:
        engine.start()
        engine.submit(Play())
        code = _wait(engine, stop, args.duration)
    finally:
        recording = engine.close()
        events.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    saved = report_recording(recording, engine.recording_error)
    if engine.error is not None:
        raise CliError(f"the engine stopped: {engine.error!r}")
    if engine.halted is not None:
        tell(f"live-jazz: error: {engine.halted}", sys.stderr)
        return 1
    if not saved:
        return 1
    if signalled:
        return 128 + signalled[0]
    return code


def _wait(engine: object, stop: threading.Event, duration: float | None) -> int:
    """Until ``duration`` passes, ``stop`` is set or the engine dies."""
    import time

    end = None if duration is None else time.monotonic() + duration
    while not stop.is_set():
        if getattr(engine, "error", None) is not None or getattr(engine, "halted", None):
            return 1
        left = POLL_SECONDS if end is None else min(POLL_SECONDS, end - time.monotonic())
        if left <= 0:
            return 0
        stop.wait(left)
    return 0


class EventLog:
    """Logs the engine's events (notes unless ``quiet``) from a thread of its own: the engine
    thread only queues them (it must never wait on a terminal or a full pipe)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self._events: queue.SimpleQueue[EngineEvent | None] = queue.SimpleQueue()
        self._turn: str | None = None
        self._thread = threading.Thread(target=self._write, name="live-jazz log", daemon=True)
        self._thread.start()

    def __call__(self, event: EngineEvent) -> None:
        """The engine's subscriber: returns at once."""
        self._events.put(event)

    def close(self) -> None:
        """Write what is queued, then stop."""
        self._events.put(None)
        self._thread.join()

    def _write(self) -> None:
        while (event := self._events.get()) is not None:
            self._log(event)

    def _log(self, event: EngineEvent) -> None:
        if isinstance(event, NotePlayed):
            if not self.quiet:
                log.info("%-10s %-4s vel %3d at beat %7.2f for %.2f", event.player,
                         note_name(event.pitch), event.velocity, event.beat, event.duration)
        elif isinstance(event, LogLine):
            level = {"info": logging.INFO, "warning": logging.WARNING}.get(event.level,
                                                                           logging.ERROR)
            log.log(level, "%s", event.text)
        elif isinstance(event, ChordChanged):
            if not self.quiet:
                log.info("bar %d: %s (next %s)", event.bar + 1, event.current, event.next)
        elif isinstance(event, TransportChanged):
            if event.playing and self._turn != event.turn:
                self._turn = event.turn
                log.info("bar %d: %s", event.bar + 1, event.turn)
        elif isinstance(event, PortsChanged) and event.out_port is not None:
            log.info("MIDI %s: out %s, in %s, clock %s, recording %s", event.midi_api,
                     event.out_port, event.in_port or "-", event.sync, event.recording or "-")


COMMAND = Command("play", "Play: --headless runs without the TUI, logging what it plays",
                  configure, run)
