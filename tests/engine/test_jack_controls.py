"""A knob on the player's keyboard turned through a real JACK port: the temperature follows
within a beat, and the knob's messages are never heard as notes."""

from __future__ import annotations

import time

import pytest
from jack_clients import Player, unique, wait_for

from live_jazz.cli.options import PlayOptions
from live_jazz.cli.wiring import build_engine
from live_jazz.engine.config import EngineConfig

pytestmark = [pytest.mark.jack, pytest.mark.usefixtures("jack_server")]


def test_turning_a_mapped_knob_moves_the_temperature_within_a_beat(random_weights_dir):
    client = unique("lj")
    options = PlayOptions(config=EngineConfig(tempo=120.0, seed=5), weights=random_weights_dir,
                          midi_api="jack", client_name=client, no_record=True,
                          controls=("temperature=cc21/ch1", "play=note36"))
    engine = build_engine(options)
    knob = Player(unique("knob"), f"{client} in:{client} in")
    try:
        engine.start()
        time.sleep(0.3)  # what arrives before the engine's first read is stale: dropped
        knob.play(36, 0.05)  # the pad mapped to play
        assert wait_for(lambda: engine.playing)
        for value in (0, 32, 64, 96, 127):
            knob.rt.send_message([0xB0, 21, value])
            expected = round(0.1 + 1.9 * value / 127, 2)
            assert wait_for(lambda e=expected: engine.config.temperature == e)
            assert engine.improviser.temperature == expected
        assert not engine.hearing.notes  # neither the pad nor the knob reached the model
    finally:
        engine.close()
        knob.close()
