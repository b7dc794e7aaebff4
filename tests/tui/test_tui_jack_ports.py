"""The port screen against a real JACK server, the real ``Engine`` and the CLI's outputs: a
port chosen there is watched (it vanishes, is said lost, returns and hears the music again), and
choosing the virtual port that plays already keeps it (its client, the connections made to it)."""

from __future__ import annotations

import argparse
import asyncio
import os
import time

import pytest
from jack_clients import JackEar, unique
from tui_fakes import synchronously

from live_jazz.cli import tui
from live_jazz.tui.app import LiveJazzApp
from live_jazz.tui.screens import PortScreen
from live_jazz.tui.widgets import StatusBar, TransportBar

pytestmark = [pytest.mark.jack, pytest.mark.usefixtures("jack_server")]

WAIT_S = 20.0
"""Liveness bound (loading, notes arriving, the port watcher): generous for a loaded machine."""


def build(weights, client: str, *argv: str) -> LiveJazzApp:  # noqa: ANN001
    parser = argparse.ArgumentParser()
    tui.configure(parser)
    return tui.build_app(parser.parse_args([
        "--midi-api", "jack", "--weights", str(weights), "--no-input", "--no-record",
        "--client-name", client, "--tempo", "300", "--seed", "3", *argv]))


async def until(pilot, condition) -> None:  # noqa: ANN001
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


def note_ons(ear: JackEar) -> int:
    return sum(1 for m in ear.messages() if m.type == "note_on" and m.velocity > 0)


def out_port(app: LiveJazzApp) -> str | None:
    ports = app.main.query_one("#status", StatusBar).ports
    return None if ports is None else ports.out_port


def log_text(app: LiveJazzApp) -> str:
    return "".join(line.text for line in app.main.query_one("#log").lines)  # type: ignore[attr-defined]


async def choose(pilot, choice: str) -> None:  # noqa: ANN001
    """Open the port screen, wait for ``choice`` to be listed, choose it with Enter."""
    await pilot.press("o")
    screen = pilot.app.screen
    assert isinstance(screen, PortScreen)
    await until(pilot, lambda: choice in screen.shown)
    screen.query_one("#ports-list").highlighted = screen.shown.index(choice)
    await pilot.press("enter")


@synchronously
async def test_a_port_chosen_on_the_port_screen_is_watched(random_weights_dir):
    client, synth_name = unique(f"lj-tui-{os.getpid()}"), unique(f"tui-synth-{os.getpid()}")
    synth = JackEar(synth_name)
    target = f"{synth_name}:in"
    app = build(random_weights_dir, client)
    try:
        async with app.run_test() as pilot:
            transport = app.main.query_one(TransportBar)
            await until(pilot, lambda: transport.ready or app.return_value is not None)
            assert app.return_value is None, app.return_value
            await pilot.press("space")
            await choose(pilot, target)
            await until(pilot, lambda: out_port(app) == target and note_ons(synth) > 0)
            synth.close()  # the synth quits
            await until(pilot, lambda: out_port(app) is None)
            assert "port lost" in str(app.main.query_one("#status", StatusBar).render())
            await until(pilot, lambda: "vanished" in log_text(app))
            synth = JackEar(synth_name)  # it is back
            await until(pilot, lambda: out_port(app) == target)
            await until(pilot, lambda: note_ons(synth) > 0)
            assert "is back" in log_text(app)
            await pilot.press("q")
    finally:
        app.shutdown(wait=True)
        synth.close()


@synchronously
async def test_choosing_the_virtual_port_again_keeps_it_and_its_connections(random_weights_dir):
    client = unique(f"lj-tui-{os.getpid()}")
    app = build(random_weights_dir, client)
    ear = None
    try:
        async with app.run_test() as pilot:
            transport = app.main.query_one(TransportBar)
            await until(pilot, lambda: transport.ready or app.return_value is not None)
            assert app.return_value is None, app.return_value
            ear = JackEar(unique(f"tui-ear-{os.getpid()}"), source=f"{client}:{client}")
            await pilot.press("space")
            await until(pilot, lambda: note_ons(ear) > 0)
            await pilot.press("o")
            screen = app.screen
            assert isinstance(screen, PortScreen)
            await until(pilot, lambda: "virtual port" in screen.shown)
            listing = screen.query_one("#ports-list")
            marked = [str(listing.get_option_at_index(i).prompt) for i in range(len(screen.shown))]
            assert "● virtual port" in marked  # the current one is marked
            assert screen.shown[listing.highlighted] == "virtual port"  # and highlighted
            await pilot.press("enter")  # chosen again
            await asyncio.sleep(0.5)
            await app.workers.wait_for_complete()
            assert out_port(app) == client  # the same port, not another client's
            heard = note_ons(ear)
            await until(pilot, lambda: note_ons(ear) > heard)  # still connected, still heard
            assert "opening" not in log_text(app)
            await pilot.press("q")
    finally:
        app.shutdown(wait=True)
        if ear is not None:
            ear.close()
