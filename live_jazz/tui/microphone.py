"""What the TUI sees of the microphone (``--audio-in``): the listener's level and pitch for the
meter, and the audio inputs for the port screen.

The listener's worker thread writes ``frame`` and ``meter_db`` (one reference each); the UI
reads them on its own timer (``bridge.EngineBridge.flush``). Nothing here runs on, waits for or
calls into the audio or timing threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from live_jazz.audio_in.capture import Blocks, Capture, DeviceCapture, capture_devices
from live_jazz.audio_in.tracker import Frame


class Heard(Protocol):
    """The microphone's listener (``audio_in.listen.AudioListener``), as the TUI reads it."""

    name: str
    """The source heard (or last heard)."""
    frame: Frame
    """The latest hop's level and pitch."""
    meter_db: float
    """The level with a peak's fall, dBFS."""

    @property
    def open(self) -> bool:
        """Whether a source is open now."""

    def switch(self, opener: Callable[[Blocks], Capture]) -> None:
        """Hear another source from now on (returns at once)."""


class Microphone:
    """The microphone for the TUI: the listener once the engine's loader has opened it, and
    the audio inputs there are."""

    def __init__(self, devices: Callable[[], list[str]] = capture_devices) -> None:
        """``devices``: lists the system's audio inputs (blocking: a worker's job)."""
        self.devices = devices
        self.listener: Heard | None = None
        """Set (once) by the engine's loader, on its worker thread."""
        self.chosen: str | None = None
        """The input chosen on the port screen, if one was."""

    def attach(self, listener: Heard) -> None:
        """The loader opened the listener."""
        self.listener = listener

    def current(self) -> str | None:
        """The input heard now, as ``devices`` names it (None: unknown, e.g. the default)."""
        if self.chosen is not None:
            return self.chosen
        listener = self.listener
        return None if listener is None or not listener.open else listener.name

    def choose(self, device: str) -> bool:
        """Hear ``device`` from now on; False while the listener is not there yet."""
        listener = self.listener
        if listener is None:
            return False
        listener.switch(lambda blocks: DeviceCapture(device, blocks))
        self.chosen = device
        return True
