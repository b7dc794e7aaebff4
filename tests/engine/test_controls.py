"""Controls from the instrument: bindings, scaling, buttons, learn mode, and mapped messages
never reaching the model as notes."""

from __future__ import annotations

import mido
import pytest
from engine_fakes import beat_time, make_engine, note_ons

from live_jazz.engine import commands as cmd
from live_jazz.engine.controls import (
    ControlError,
    ControlMap,
    Source,
    command_for,
    parse_binding,
)
from live_jazz.engine.events import ControlsChanged


def cc(control: int, value: int, channel: int = 0) -> mido.Message:
    return mido.Message("control_change", control=control, value=value, channel=channel)


@pytest.mark.parametrize(("text", "target", "source"), [
    ("temperature=cc21", "temperature", Source("cc", 21)),
    ("Tempo = CC22/ch2", "tempo", Source("cc", 22, 1)),
    ("play=note36", "play", Source("note", 36)),
    ("panic=pc5/ch10", "panic", Source("pc", 5, 9)),
])
def test_bindings_are_read(text: str, target: str, source: Source):
    assert parse_binding(text) == (target, source)
    assert f"{target}={source}" == text.lower().replace(" ", "")


@pytest.mark.parametrize("text", ["temperature", "loudness=cc1", "tempo=cc128", "tempo=xx1",
                                  "tempo=cc1/ch17"])
def test_bad_bindings_say_why(text: str):
    with pytest.raises(ControlError):
        parse_binding(text)


def test_a_knob_is_scaled_over_its_range_and_buttons_fire_on_press():
    assert command_for("temperature", cc(21, 0), False, "solo") == cmd.SetTemperature(0.1)
    assert command_for("temperature", cc(21, 127), False, "solo") == cmd.SetTemperature(2.0)
    assert command_for("tempo", cc(22, 64), False, "solo") == cmd.SetTempo(171.0)
    assert command_for("play", cc(64, 127), False, "solo") == cmd.Play()
    assert command_for("play", cc(64, 127), True, "solo") == cmd.Stop()
    assert command_for("play", cc(64, 0), True, "solo") is None  # the pedal released
    assert command_for("mode", mido.Message("note_on", note=36, velocity=90), False,
                       "answer") == cmd.SetMode("solo")
    assert command_for("panic", mido.Message("note_off", note=36), False, "solo") is None


def test_a_source_moves_when_bound_again():
    controls = ControlMap()
    controls.bind("temperature", Source("cc", 21))
    controls.bind("tempo", Source("cc", 21))
    assert controls.specs() == ("tempo=cc21",)
    assert controls.match(cc(21, 3, channel=5)) == "tempo"
    controls.bind("swing", Source("cc", 22, 0))
    assert controls.match(cc(22, 3, channel=1)) is None


def test_mapped_messages_steer_the_engine_within_a_beat_and_never_reach_the_model(
    random_weights,
):
    engine, clock, port, queue, _ = make_engine(random_weights, mode="answer")
    engine.session.controls.bind("temperature", Source("cc", 21))
    engine.session.controls.bind("play", Source("note", 36))
    queue.put(mido.Message("note_on", note=36, velocity=100), 0.0)  # the pad: play
    queue.put(mido.Message("note_off", note=36), 0.05)
    engine.run_until(beat_time(1.0))
    assert engine.playing
    queue.put(cc(21, 127), beat_time(1.0))
    engine.run_until(beat_time(1.6))
    assert engine.config.temperature == 2.0
    assert engine.improviser.temperature == 2.0
    assert not engine.hearing.keys.sounding and not engine.hearing.notes  # the pad: no note
    engine.run_until(beat_time(4.0))
    assert all(m.note != 36 for _, m in note_ons(port, 0))
    engine.close()


def test_learn_mode_binds_the_next_knob(random_weights):
    engine, clock, port, queue, events = make_engine(random_weights)
    engine.submit(cmd.LearnControl("swing"))
    engine.run_until(0.1)
    queue.put(mido.Message("note_off", note=40), 0.1)  # not a source: ignored by learning
    queue.put(cc(74, 0, channel=3), 0.15)
    engine.run_until(0.2)
    assert engine.session.controls.specs() == ("swing=cc74/ch4",)
    assert [e for e in events if isinstance(e, ControlsChanged)] == \
        [ControlsChanged(("swing=cc74/ch4",))]
    queue.put(cc(74, 127, channel=3), 0.25)
    engine.run_until(0.3)
    assert engine.config.swing == 0.75
    engine.close()


def test_a_knob_goes_the_one_command_way_while_stopped_too(random_weights):
    from live_jazz.engine.events import CommandApplied, LogLine, TransportChanged

    engine, clock, port, queue, events = make_engine(random_weights)
    engine.session.controls.bind("temperature", Source("cc", 21))
    queue.put(cc(21, 127), 0.0)
    engine.run_until(0.05)
    assert not engine.playing and engine.config.temperature == 2.0
    assert any(isinstance(e, TransportChanged) and e.config.temperature == 2.0 for e in events)
    assert LogLine("info", "cc21: temperature 2.00") in events
    [applied] = [e for e in events if isinstance(e, CommandApplied)]
    assert applied.command == cmd.SetTemperature(2.0) and applied.refused is None


def test_a_refused_command_is_said_and_handed_back(random_weights):
    from live_jazz.engine.events import CommandApplied, LogLine

    engine, clock, port, queue, events = make_engine(random_weights, sync="external")
    command = cmd.SetTempo(150.0)
    engine.submit(command)
    engine.run_until(0.05)
    assert engine.config.tempo == 120.0
    [applied] = [e for e in events if isinstance(e, CommandApplied)]
    assert applied.command is command and applied.refused
    assert any(isinstance(e, LogLine) and e.text.startswith("tempo refused: following")
               for e in events)
