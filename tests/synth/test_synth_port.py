"""The engine playing into the built-in voice, rendering to memory as an audio device would
(no sound card here): what the engine sends is rendered at its time, and nothing hangs."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import mido
import numpy as np

from live_jazz.engine import commands as cmd
from live_jazz.engine.clock import SystemClock
from live_jazz.engine.config import EngineConfig
from live_jazz.engine.engine import Engine
from live_jazz.model.bundle import Weights
from live_jazz.synth.port import SynthOptions, open_synth_port


def sleep_until(deadline: float) -> None:
    time.sleep(max(0.0, deadline - time.perf_counter()))


def open_port(soundfont: Path, clock: SystemClock):  # type: ignore[no-untyped-def]
    options = SynthOptions(soundfont=soundfont)
    return open_synth_port(options, options.programs(0, 1), clock.now, sleep_until,
                           keep_placed=True)


def test_a_note_sent_now_sounds_one_buffer_later_at_its_sample(soundfont: Path):
    clock = SystemClock()
    port = open_port(soundfont, clock)
    time.sleep(0.05)
    sent_at = clock.now()
    port.send(mido.Message("note_on", note=60, velocity=100))
    time.sleep(0.1)
    port.send(mido.Message("note_off", note=60))
    time.sleep(0.05)
    port.close()
    placed = port.path.timeline.placed or []
    first = placed[0]
    assert first.message.type == "note_on" and abs(first.time - sent_at) < 0.005
    blocks = port.path.blocks or []
    start, callback = max((b for b in blocks if b[0] <= first.sample), key=lambda b: b[0])
    handed_out = callback + (first.sample - start) / 48000
    # One buffer (the block covers the last buffer of time) plus the callback's own lateness.
    assert 0 < handed_out - first.time < 0.1
    audio = port.output.audio()  # type: ignore[union-attr]
    assert np.abs(audio[first.sample:first.sample + 4800]).max() > 1000
    assert np.abs(audio[:max(0, first.sample - 64)]).max() <= 2  # dither only, before it


def test_the_engine_plays_into_the_voice_and_leaves_nothing_sounding(
    soundfont: Path, random_weights: Weights
):
    clock = SystemClock()
    port = open_port(soundfont, clock)
    engine = Engine(EngineConfig(tempo=240.0, seed=1), random_weights, port, clock=clock)
    engine.start()
    engine.submit(cmd.Play())
    threading.Event().wait(2.5)
    engine.close()
    assert port.closed and not port.open_notes
    placed = port.path.timeline.placed or []
    ons = [p for p in placed if p.message.type == "note_on" and p.message.velocity > 0]
    offs = [p for p in placed if p.message.type == "note_off"
            or (p.message.type == "note_on" and p.message.velocity == 0)]
    assert len(ons) >= 4 and len(offs) >= len(ons)  # every note ended (close sends the rest)
    assert {p.message.channel for p in ons} == {0, 1}  # the solo and the comping
    assert [p.sample for p in placed] == sorted(p.sample for p in placed)
    assert engine.dispatcher.stats.sent >= len(ons)
