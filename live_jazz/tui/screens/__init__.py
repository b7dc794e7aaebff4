"""The TUI's screens: the main screen, the chord editor, the help screen and the port screen."""

from live_jazz.tui.screens.chord_editor import ChordEditor
from live_jazz.tui.screens.help import HelpScreen
from live_jazz.tui.screens.main import MainScreen
from live_jazz.tui.screens.ports import PortScreen

__all__ = ["ChordEditor", "HelpScreen", "MainScreen", "PortScreen"]
