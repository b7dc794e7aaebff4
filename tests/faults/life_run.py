"""Running ``live-jazz`` as a child process for the lifecycle faults: headless with its output
on pipes, or the TUI in a pseudo-terminal of its own (closing it is a real SIGHUP)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import mido

WAIT_SECONDS = 30.0
"""Liveness bound for a child (a loaded machine is slow to import and load the model)."""

ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
"""The child's environment: unbuffered, and a stack dump of every thread on SIGABRT."""


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "live_jazz.cli.main", *args]


class Headless:
    """``live-jazz play --headless ...`` with stdout and stderr collected by threads."""

    def __init__(self, *args: str) -> None:
        self.child = subprocess.Popen(command("play", "--headless", *args),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      env=ENV, text=True)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                         for stream, lines in ((self.child.stdout, self.out),
                                               (self.child.stderr, self.err))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream, lines: list[str]) -> None:  # noqa: ANN001
        for line in stream:
            lines.append(line)

    def wait_for_line(self, text: str) -> bool:
        """Whether stderr shows ``text`` within the liveness bound (False if it exits)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if any(text in line for line in list(self.err)):
                return True
            if self.child.poll() is not None:
                time.sleep(0.1)
                return any(text in line for line in list(self.err))
            time.sleep(0.01)
        return False

    def finish(self) -> int:
        """Its exit code; fails the test with every thread's stack if it hangs."""
        code = wait_or_dump(self.child)
        for reader in self._readers:
            reader.join(WAIT_SECONDS)
        return code

    def text(self) -> tuple[str, str]:
        return "".join(self.out), "".join(self.err)

    def kill(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait()


def wait_or_dump(child: subprocess.Popen) -> int:
    """``child``'s exit code; if it does not exit in time, SIGABRT (faulthandler prints every
    thread's stack) and a failure."""
    try:
        return child.wait(timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGABRT)
        child.wait(timeout=WAIT_SECONDS)
        raise AssertionError(f"no exit within {WAIT_SECONDS} s") from None


class Terminal:
    """``live-jazz ARGS...`` (the TUI, or headless) in a pseudo-terminal that is its
    controlling terminal: closing the terminal's side (``hang_up``) sends it SIGHUP, as
    closing a terminal window does."""

    def __init__(self, *args: str, rows: int = 40, columns: int = 120) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.child = subprocess.Popen(
            command(*args), stdin=slave, stdout=slave, stderr=slave,
            env={**ENV, "TERM": "xterm-256color"}, start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(slave)
        self.screen = b""
        self._open = True

    def read(self, seconds: float = 0.05) -> None:
        """Take what it drew (the terminal must be read, or its writes block)."""
        end = time.monotonic() + seconds
        while self._open and time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.01)
            if ready:
                try:
                    self.screen += os.read(self.master, 1 << 16)
                except OSError:  # it exited: nothing more to read
                    return

    def until(self, condition: Callable[[], bool]) -> bool:
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if time.monotonic() > deadline or self.child.poll() is not None:
                return False
            self.read()
        return True

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def finish(self) -> int:
        """Its exit code, reading the terminal meanwhile (while it is open)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while self.child.poll() is None and time.monotonic() < deadline:
            if self._open:
                self.read()
            else:
                time.sleep(0.01)
        return wait_or_dump(self.child)

    def hang_up(self) -> None:
        """Close the terminal."""
        os.close(self.master)
        self._open = False

    def close(self) -> None:
        if self.child.poll() is None:
            self.child.kill()
            self.child.wait()
        if self._open:
            self.hang_up()


def notes(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Each track's notes of a MIDI file as (tick of the note-on, pitch)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for track in mido.MidiFile(path).tracks:
        tick = 0
        found[track.name] = []
        for message in track:
            tick += message.time
            if message.type == "note_on" and message.velocity > 0:
                found[track.name].append((tick, message.note))
    return found
