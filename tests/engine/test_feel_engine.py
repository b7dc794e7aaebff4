"""The players' feel in the engine: notes moved off the grid (early ones sent early, never
late), kept inside their turn; ``--feel grid`` exact at one velocity; intensity live."""

from __future__ import annotations

import dataclasses
import math

import pytest
from engine_fakes import assert_every_note_ended, beat_time, make_engine, note_ons

from live_jazz.engine import commands as cmd
from live_jazz.engine.session import START_DELAY
from tests.music.feel_models import fixed_feel

SOLO = 0
TICK_S = 0.5 / 12  # at 120 BPM


def with_feel(weights, ms: float):
    return dataclasses.replace(weights, feel=fixed_feel(ms))


def on_grid(t: float) -> bool:
    ticks = (t - START_DELAY) / TICK_S
    return math.isclose(ticks, round(ticks), abs_tol=1e-6)


def test_early_notes_are_sent_early_and_never_late(random_weights):
    engine, _, port, _, _ = make_engine(with_feel(random_weights, -40.0), swing=0.5,
                                        swing_auto=False)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(12.3))
    solo = note_ons(port, SOLO)
    assert len(solo) >= 5
    for t, _ in solo:
        # 40 ms before a grid place, or held at the start of the improviser's span
        assert on_grid(t + 0.040) or t == pytest.approx(START_DELAY)
    assert any(not on_grid(t) for t, _ in solo)
    assert engine.dispatcher.stats.late == 0
    engine.submit(cmd.Stop())
    engine.run_until(beat_time(12.4))
    assert_every_note_ended(port)
    engine.close()


def test_feel_grid_puts_every_note_on_the_grid_at_one_velocity(random_weights):
    engine, _, port, _, _ = make_engine(with_feel(random_weights, -40.0), swing=0.5,
                                        swing_auto=False, feel="grid")
    engine.submit(cmd.Play())
    engine.run_until(beat_time(12.3))
    assert all(on_grid(t) for t, _ in port.sent)
    assert {m.velocity for _, m in note_ons(port, SOLO)} == {90}
    assert {m.velocity for _, m in note_ons(port, 1)} == {64}
    engine.close()


@pytest.mark.parametrize("ms", [-100.0, 100.0])
def test_no_improviser_note_crosses_into_the_human_turn(random_weights, ms):
    engine, _, port, _, _ = make_engine(with_feel(random_weights, ms), swing=0.5,
                                        swing_auto=False, mode="trade", trade_bars=1)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(32.0))
    bar_s = 4 * 0.5
    sounding: dict[int, float] = {}
    checked = 0
    for t, m in port.sent:
        if m.channel != SOLO or m.type not in ("note_on", "note_off"):
            continue
        if m.type == "note_on" and m.velocity > 0:
            bar = math.floor((t - START_DELAY) / bar_s + 1e-9)
            assert bar % 2 == 1, f"a note-on at {t:.3f} s, in the human's bar {bar}"
            sounding[m.note] = START_DELAY + (bar + 1) * bar_s
        elif m.note in sounding:
            assert t <= sounding.pop(m.note) + 1e-9
            checked += 1
    assert checked >= 3
    engine.close()


def test_the_players_swing_follows_the_tempo_in_auto(random_weights):
    feel = dataclasses.replace(fixed_feel(0.0), swing_intercept=1.6, swing_slope=-0.2)
    weights = dataclasses.replace(random_weights, feel=feel)
    engine, _, _, _, _ = make_engine(weights, tempo=120.0)
    assert engine.config.swing == pytest.approx(feel.swing_at(120.0))
    engine.submit(cmd.SetTempo(240.0))
    engine.run_until(0.01)
    assert engine.config.swing == pytest.approx(feel.swing_at(240.0))
    engine.submit(cmd.SetSwing(0.55))
    engine.submit(cmd.SetTempo(200.0))
    engine.run_until(0.02)
    assert engine.config.swing == 0.55 and not engine.config.swing_auto
    engine.submit(cmd.SetSwing(None))
    engine.run_until(0.03)
    assert engine.config.swing == pytest.approx(feel.swing_at(200.0))
    engine.close()


def test_intensity_changes_live_and_zero_flattens_the_dynamics(random_weights):
    engine, _, port, _, _ = make_engine(with_feel(random_weights, 0.0), swing=0.5,
                                        swing_auto=False)
    engine.submit(cmd.SetIntensity(0.0))
    engine.submit(cmd.Play())
    engine.run_until(beat_time(12.3))
    assert engine.config.intensity == 0.0
    assert {m.velocity for _, m in note_ons(port, SOLO)} == {90}
    engine.submit(cmd.SetIntensity(2.0))
    before = len(note_ons(port, SOLO))
    engine.run_until(beat_time(40.3))
    later = {m.velocity for _, m in note_ons(port, SOLO)[before + 8:]}
    assert len(later) > 3
    engine.close()
