"""The JACK server watch without a server: it watches nothing and closes quietly."""

import pytest

from live_jazz.midi_io import jack_server
from live_jazz.midi_io.jack_server import ServerWatch


def test_without_a_server_it_watches_nothing(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(jack_server, "_open_client", lambda name: None)
    heard: list[str] = []
    watch = ServerWatch("lj server", heard.append)
    watch.close()
    watch.close()
    assert heard == [] and not watch.gone


def test_a_shutdown_is_told_in_words(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(jack_server, "_open_client", lambda name: None)
    heard: list[str] = []
    watch = ServerWatch("lj server", heard.append)
    watch._shutdown(33, b"JACK server has been closed", None)
    watch._shutdown(33, None, None)  # no reason given: its code
    assert heard == ["JACK server has been closed", "code 33"] and watch.gone
