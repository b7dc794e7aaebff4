"""The TUI's screens: the main screen, the chord editor and the help screen."""

from live_jazz.tui.screens.chord_editor import ChordEditor
from live_jazz.tui.screens.help import HelpScreen
from live_jazz.tui.screens.main import MainScreen

__all__ = ["ChordEditor", "HelpScreen", "MainScreen"]
