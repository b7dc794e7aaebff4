"""The main screen's panels; each shows one thing and is fed by the screen's message handlers."""

from live_jazz.tui.widgets.hearing import HearingMeter
from live_jazz.tui.widgets.log_pane import LogPane
from live_jazz.tui.widgets.model_plot import ModelPlot
from live_jazz.tui.widgets.piano_roll import PianoRoll
from live_jazz.tui.widgets.progression import ProgressionView
from live_jazz.tui.widgets.status import StatusBar
from live_jazz.tui.widgets.transport import TransportBar

__all__ = ["HearingMeter", "LogPane", "ModelPlot", "PianoRoll", "ProgressionView", "StatusBar",
           "TransportBar"]
