"""Running ``live-jazz play --headless`` as a child process for the fault suite: its stderr read
line by line as it comes (so a test can wait for "playing", or count log lines)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from jack_clients import WAIT_SECONDS, wait_for


class Headless:
    """``live-jazz play --headless --midi-api jack`` with ``args``, on the JACK server named in
    ``env`` (``JACK_DEFAULT_SERVER``) or the default one."""

    def __init__(self, weights: Path, *args: str, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1",
                       **(env or {})}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "live_jazz.cli.main", "play", "--headless", "--midi-api",
             "jack", "--weights", str(weights), *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=environment, text=True,
        )
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._lock:
                self._lines.append(line.rstrip("\n"))

    @property
    def lines(self) -> list[str]:
        with self._lock:
            return list(self._lines)

    def said(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def wait_until_said(self, text: str) -> bool:
        return wait_for(lambda: self.said(text) or self.process.poll() is not None) \
            and self.said(text)

    def stop(self, signum: int = signal.SIGTERM) -> int:
        """Signal it and wait for its exit code (killed, and the test failed, if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            self.process.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"no exit after {signal.Signals(signum).name}: "
                                 f"{self.lines[-5:]}") from None
        self._reader.join(timeout=WAIT_SECONDS)
        return self.process.returncode
