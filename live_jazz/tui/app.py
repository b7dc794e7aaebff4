"""The App: loads the engine in a worker (the screen is up at once), owns the controller, stops
cleanly, and remembers the user's settings."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NoReturn

from textual import work
from textual.app import App, SystemCommand
from textual.driver import Driver
from textual.screen import Screen

from live_jazz.command import CliError
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.protocol import EngineHandle
from live_jazz.midi_io.ports import PortError
from live_jazz.model.bundle import WeightsError
from live_jazz.tui.bindings import CONTROLS
from live_jazz.tui.controller import Controller
from live_jazz.tui.messages import EngineFailed, EngineReady
from live_jazz.tui.microphone import Microphone
from live_jazz.tui.outputs import Outputs
from live_jazz.tui.screens import MainScreen
from live_jazz.tui.settings import load_settings, save_settings, settings_path

log = logging.getLogger(__name__)

EngineLoader = Callable[[], EngineHandle]
"""Builds the engine (loads the model, opens the ports); run in a worker thread."""

LOAD_ERRORS = (CliError, PortError, WeightsError, OSError, ValueError)
"""What a failed load raises for a reason the user can fix; shown as one line, exit code 2."""

LOAD_WAIT_S = 30.0
"""How long quitting waits for an engine still loading (a hung backend must not hang the exit)."""


@dataclass(frozen=True)
class Outcome:
    """How the session ended (the App's return value)."""

    recording: Path | None = None
    """The session's recording, closed and complete."""
    error: str | None = None
    """Why the engine could not start, as one line."""


class LiveJazzApp(App[Outcome]):
    """The instrument's face."""

    CSS_PATH = "live_jazz.tcss"
    TITLE = "live-jazz"

    def __init__(
        self, config: EngineConfig, load_engine: EngineLoader, settings_file: Path | None,
        outputs: Outputs | None = None, microphone: Microphone | None = None,
    ) -> None:
        """`settings_file`: where the user's changes are saved on quit (None: nowhere);
        `outputs`: what the port screen offers (None: no port screen); `microphone`: the
        microphone (``--audio-in``; None: none)."""
        super().__init__()
        self.controller = Controller(config)
        self.main = MainScreen(self.controller, outputs, microphone)
        self._load_engine = load_engine
        self._settings_file = settings_file
        self._engine: EngineHandle | None = None
        self._lock = threading.Lock()
        self._closed = False
        self._recording: Path | None = None
        self.recording_error: str | None = None
        """Why the recording could not be written (once shut down), or None."""
        self._load_finished = threading.Event()
        self._terminal: int | None = None
        """The file descriptor of the terminal it runs on, if it does."""

    def get_driver_class(self) -> type[Driver]:
        """Textual's own choice, except that on POSIX terminals the screen is drawn on a file
        descriptor of its own (see ``OwnTerminalDriver``)."""
        driver = super().get_driver_class()
        if driver.__name__ != "LinuxDriver":
            return driver  # Windows, or a driver chosen through TEXTUAL_DRIVER
        from live_jazz.tui.own_terminal import OwnTerminalDriver

        return OwnTerminalDriver

    def on_mount(self) -> None:
        self.push_screen(self.main)
        self._load()
        self._quit_on_signals()

    def _quit_on_signals(self) -> None:
        """SIGTERM (kill), SIGHUP (terminal closed) and SIGINT (``kill -INT``; Ctrl-C itself is
        a key in the TUI, which Textual reads as input) quit as `q` does: no hanging notes, the
        recording closed; the exit code says which signal (143, 129, 130)."""
        stdin = sys.__stdin__
        self._terminal = stdin.fileno() if stdin is not None and stdin.isatty() else None
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP", "SIGINT"):
            number = getattr(signal, name, None)
            if number is None:
                continue  # not on this platform
            try:
                loop.add_signal_handler(number, self.call_later, self._terminated, number)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # no signal handlers here (Windows, or not the main thread)

    @work(thread=True, group="engine")
    def _load(self) -> None:
        """Build and start the engine off the UI thread. (A user's error ends the App with its
        one line; anything else is a bug, and Textual ends the App with its traceback.)"""
        try:
            self._start_engine()
        finally:
            self._load_finished.set()

    def _start_engine(self) -> None:
        """(Worker thread.) Events start flowing to the main screen's bridge."""
        try:
            engine = self._load_engine()
        except LOAD_ERRORS as error:
            self.post_message(EngineFailed(str(error)))
            return
        try:
            engine.subscribe(self.main.bridge)
            engine.start()
        except BaseException as error:
            engine.close()  # its ports are open: leave nothing sounding or held
            if isinstance(error, LOAD_ERRORS):
                self.post_message(EngineFailed(str(error)))
                return
            raise
        with self._lock:
            if self._closed:  # quit while loading
                engine.close()
                return
            self._engine = engine
        self.controller.attach(engine)
        self.main.post_message(EngineReady(engine))

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.exit(Outcome(error=message.error), return_code=2)

    async def action_quit(self) -> None:
        """q: note-offs, recording closed, settings saved; then exit."""
        self.exit(Outcome(recording=self.shutdown()))

    def _terminated(self, signal_number: int) -> None:
        """Quit as `q` does, with the exit code of a process ended by that signal."""
        if signal_number == getattr(signal, "SIGHUP", None) and self._terminal_gone():
            self._hung_up(128 + signal_number)
        self.exit(Outcome(recording=self.shutdown()), return_code=128 + signal_number)

    def _terminal_gone(self) -> bool:
        """Whether the terminal it started on hung up (its window closed), rather than
        ``kill -HUP`` sent with the terminal still there: a hung-up terminal answers every
        request with EIO."""
        import termios  # POSIX, as SIGHUP is

        if self._terminal is None:
            return False
        try:
            termios.tcgetattr(self._terminal)
        except (termios.error, OSError):
            return True
        return False

    def _hung_up(self, code: int) -> NoReturn:
        """The terminal is gone. Textual's output thread dies on its first write there, and
        its orderly exit then waits for that thread for ever; there is no screen to restore
        and nobody to tell. So: note-offs, the recording and the settings, and out at once
        (exit code 1 if the recording could not be written)."""
        self.shutdown(wait=True)
        os._exit(code if self.recording_error is None else 1)

    def shutdown(self, wait: bool = False) -> Path | None:
        """Save the settings and close the engine; returns the recording. Safe to call again
        (the CLI calls it on every exit path). `wait`: if the engine is still loading, wait for
        it, so that it is closed too (not from the UI thread: loading takes seconds)."""
        if wait:
            self._load_finished.wait(LOAD_WAIT_S)
        with self._lock:
            first = not self._closed
            self._closed = True
            engine, self._engine = self._engine, None
        if first:
            self._save_settings()
        if engine is not None:
            self._recording = engine.close()
            self.recording_error = engine.recording_error
        return self._recording

    def _save_settings(self) -> None:
        """What was in force at quit, of the settings changed in this session."""
        changed = self.controller.settings_to_save()
        if self._settings_file is None or not changed:
            return
        try:
            save_settings(self._settings_file, changed, load_settings(self._settings_file))
        except OSError as error:
            log.warning("could not save the settings to %s: %s", self._settings_file, error)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: every control by name, then Textual's own."""
        for control in CONTROLS:
            if not control.action.startswith("app."):
                yield SystemCommand(control.help, f"key: {control.key_display}",
                                    partial(self.main.run_action, control.action))
        yield from super().get_system_commands(screen)


def make_app(
    config: EngineConfig, engine: EngineHandle, settings_file: Path | None = None
) -> LiveJazzApp:
    """The App around an engine that is already built (tests pass a fake). `settings_file`
    defaults to the user's settings file."""
    return LiveJazzApp(config, lambda: engine, settings_file or settings_path())
