"""Answer styles in the engine, in beat time: each answer is planned from its call, in the
style in force when the call closes."""

from __future__ import annotations

import mido
import pytest

from live_jazz.engine import commands as cmd
from live_jazz.engine.clock import FakeClock
from live_jazz.engine.config import ConfigError, EngineConfig
from live_jazz.engine.engine import Engine
from live_jazz.engine.events import LogLine
from live_jazz.engine.session import START_DELAY
from live_jazz.midi_io.ports import InputQueue, RecordingPort

BEAT_SECONDS = 0.5  # 120 BPM


def at(beat: float) -> float:
    return START_DELAY + beat * BEAT_SECONDS


def trading(weights, **settings):
    clock = FakeClock()
    port = RecordingPort(clock=clock.now)
    queue = InputQueue(clock.now)
    config = EngineConfig(seed=3, mode="trade", trade_bars=1, comping=False, **settings)
    engine = Engine(config, weights, port, clock=clock, input_queue=queue)
    events: list = []
    engine.subscribe(events.append)
    return engine, port, queue, events


def call(queue, bar: int) -> None:
    """The human's bar ``bar``: a Charleston figure."""
    for beat, pitch in ((0.0, 65), (1.5, 69), (3.5, 72)):
        time = at(4 * bar + beat)
        queue.put(mido.Message("note_on", note=pitch, velocity=80), time)
        queue.put(mido.Message("note_off", note=pitch), time + 0.2)


def test_each_answer_is_planned_from_its_call_in_the_style_in_force(random_weights):
    engine, port, queue, events = trading(random_weights, answer_style="echo")
    engine.submit(cmd.Play())
    engine.run_until(at(0.01))
    call(queue, 0)
    engine.run_until(at(4.5))
    bias = engine.improviser.bias
    assert bias is not None and (bias.start, bias.end) == (48, 96)
    assert engine.turns.planner.last is not None
    assert engine.turns.planner.last.style == "echo"
    engine.submit(cmd.SetAnswerStyle("contrast"))
    call(queue, 2)
    engine.run_until(at(12.5))
    assert engine.config.answer_style == "contrast"
    assert engine.turns.planner.last.style == "contrast"
    said = [e.text for e in events if isinstance(e, LogLine) and e.text.startswith("answer:")]
    assert said[0].startswith("answer: echo") and said[1].startswith("answer: contrast")
    engine.close()
    assert not port.open_notes


def test_a_silent_call_is_answered_by_the_model_alone(random_weights):
    engine, port, queue, events = trading(random_weights)
    engine.submit(cmd.Play())
    engine.run_until(at(6.5))
    assert engine.turns.answers and engine.improviser.bias is None
    engine.close()


def test_an_unknown_style_is_refused(random_weights):
    engine, port, queue, events = trading(random_weights)
    engine.submit(cmd.SetAnswerStyle("loud"))  # type: ignore[arg-type]
    engine.run_until(at(0.5))
    assert engine.config.answer_style == "auto"
    assert any("answer style must be one of" in getattr(e, "text", "") for e in events)
    engine.close()
    try:
        EngineConfig(answer_style="loud")  # type: ignore[arg-type]
    except ConfigError as error:
        assert "auto, echo, develop, contrast" in str(error)
    else:
        raise AssertionError("an unknown answer style was accepted")


@pytest.mark.parametrize("style", ["echo", "develop", "contrast", "auto"])
def test_every_answer_ends_by_the_end_of_its_turn(random_weights, style):
    engine, port, queue, events = trading(random_weights, answer_style=style)
    engine.submit(cmd.Play())
    engine.run_until(at(0.01))
    for bar in (0, 2, 4, 6):
        call(queue, bar)
    engine.run_until(at(32.5))
    engine.close()
    sounding: dict[int, float] = {}
    for time, message in port.sent:
        if message.channel != 0 or message.type not in ("note_on", "note_off"):
            continue
        if message.type == "note_on" and message.velocity > 0:
            sounding[message.note] = time
        elif message.note in sounding:
            on = sounding.pop(message.note)
            bar = int((on - START_DELAY + 1e-9) // (4 * BEAT_SECONDS))
            assert bar % 2 == 1, "the improviser played in the human's bar"
            assert time <= at(4 * (bar + 1)) + 1e-9, "a note went on past its turn"
    assert not sounding and len(engine.turns.answers) >= 4
