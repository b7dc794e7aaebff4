"""What the main screen draws at the sizes a musician's terminal has: the log wraps its long
lines, the footer holds every key it shows at 110 columns, the roll keeps room at 80x24, and the
transport's bar is the progression's."""

from __future__ import annotations

import pytest
from tui_fakes import FakeEngine, a_few_bars, drawn, synchronously

from live_jazz.engine.config import EngineConfig
from live_jazz.engine.events import LogLine
from live_jazz.tui.app import LiveJazzApp
from live_jazz.tui.bindings import CONTROLS
from live_jazz.tui.widgets import PianoRoll

LONG = ("MIDI output 'FLUID Synth (4242):Synth input port (4242:0) 130:0' is not taking "
        "messages: playing on into the recording")


async def ready(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=str)
@synchronously
async def test_the_log_wraps_a_long_line_whole(app: LiveJazzApp, engine: FakeEngine,
                                               size: tuple[int, int]):
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        engine.emit([LogLine("warning", LONG)])
        await pilot.pause(0.2)
        log = app.main.query_one("#log")
        box = log.content_region
        text = " ".join(line[box.x:box.right].strip() for line in drawn(app)[box.y:box.bottom])
        assert " ".join(f"warning: {LONG}".split()) in " ".join(text.split())


@synchronously
async def test_the_footer_holds_its_keys_at_110_columns(app: LiveJazzApp):
    async with app.run_test(size=(110, 36)) as pilot:
        await ready(pilot)
        footer = drawn(app)[-1]
        for control in CONTROLS:
            if control.footer and control.group is None:
                assert f"{control.key_display} {control.label}" in footer.replace("  ", " ") \
                    or f"{control.key_display}{control.label}" in footer, control.label


@synchronously
async def test_the_roll_keeps_room_at_80x24(app: LiveJazzApp):
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        roll = app.main.query_one("#roll", PianoRoll)
        assert roll.content_region.height >= 5
        assert "help" in drawn(app)[-1]  # the key to every other key is on a narrow footer


@synchronously
async def test_the_transport_counts_bars_as_the_progression_does(config: EngineConfig,
                                                                 engine: FakeEngine,
                                                                 app: LiveJazzApp):
    async with app.run_test(size=(110, 36)) as pilot:
        await ready(pilot)
        engine.emit(a_few_bars(config, bars=14))  # past the 12-bar form's end
        await pilot.pause(0.2)
        lines = drawn(app)
        assert any("bar  2/12 beat 4" in line for line in lines)
        assert any("bar 2/12" in line for line in lines)
        assert not any("bar  14" in line or "bar 14" in line for line in lines)
