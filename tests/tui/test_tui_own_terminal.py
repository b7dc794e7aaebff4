"""The TUI draws on a file descriptor of its own: a frame drawn while the engine's loader
thread has fd 2 pointed at quiet_stderr's sink (opening ports) still reaches the terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest
from textual.drivers.linux_driver import LinuxDriver

from live_jazz.tui.app import LiveJazzApp
from live_jazz.tui.own_terminal import OwnTerminalDriver

CHILD = """
import sys, threading
from textual.app import App
from textual.widgets import Static
from live_jazz.midi_io.quiet import quiet_stderr
from live_jazz.tui.own_terminal import OwnTerminalDriver
from textual.drivers.linux_driver import LinuxDriver

caught = threading.Event()

def open_ports():  # as the loader does, but for good: fd 2 caught while the frames are drawn
    with quiet_stderr():
        caught.set()
        threading.Event().wait()

class Frame(App):
    def compose(self):
        yield Static("first-full-frame")
    def on_mount(self):  # as the App starts its loader: before the first frame
        threading.Thread(target=open_ports, daemon=True).start()
        caught.wait(10)

driver = OwnTerminalDriver if sys.argv[1] == "own" else LinuxDriver
Frame(driver_class=driver).run()
"""


def drawn(driver: str, text: bytes) -> bool:
    """Whether a Textual app drawing with `driver` ("own" or "stock") shows `text` on its
    pseudo-terminal (within a liveness bound), fd 2 caught from before its first frame on."""
    master, slave = pty.openpty()
    child = subprocess.Popen([sys.executable, "-c", CHILD, driver], stdin=slave, stdout=slave,
                             stderr=slave, start_new_session=True)
    os.close(slave)
    screen = b""
    deadline = time.monotonic() + 30
    try:
        while text not in screen and child.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    screen += os.read(master, 1 << 16)
                except OSError:
                    break
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        os.close(master)
    return text in screen


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="POSIX pseudo-terminals")
def test_a_frame_drawn_while_fd_2_is_caught_reaches_the_terminal():
    """(With Textual's stock driver, ``drawn("stock", ...)``, the frame went into the sink:
    the life-signal test's screen without "stopped".)"""
    assert drawn("own", b"first-full-frame")


@pytest.mark.skipif(sys.platform == "win32", reason="Textual's Linux driver")
def test_the_app_draws_with_it(app: LiveJazzApp):
    assert app.driver_class is OwnTerminalDriver
    assert issubclass(app.driver_class, LinuxDriver)
