"""The engine in beat time: a fake clock, a recording port, random weights. Deterministic."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import mido
import pytest
from engine_fakes import assert_every_note_ended, beat_time, make_engine, note_ons, play_key

from live_jazz.engine import commands as cmd
from live_jazz.engine.dispatcher import DROP_SECONDS
from live_jazz.engine.events import NotePlayed, TransportChanged
from live_jazz.engine.recorder import Recorder
from live_jazz.engine.session import START_DELAY
from live_jazz.theory import parse_progression

SOLO, COMP = 0, 1
EPS = 1e-9


def test_plays_on_the_grid_and_ends_every_note_on_stop(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights, swing=0.5)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(9.3))
    solo = note_ons(port, SOLO)
    assert len(solo) >= 3 and note_ons(port, COMP)
    for t, _ in port.sent:
        ticks = (t - START_DELAY) / 0.5 * 12
        assert ticks == pytest.approx(round(ticks), abs=1e-6)  # straight: on the 12-tick grid
    engine.submit(cmd.Stop())
    engine.run_until(beat_time(9.4))
    assert_every_note_ended(port)
    engine.close()


def test_tempo_change_mid_bar_moves_everything_from_there(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights, swing=0.5, send_clock=True)
    engine.submit(cmd.Play())
    change_beat = 2.5
    engine.run_until(beat_time(change_beat))
    engine.submit(cmd.SetTempo(240.0))
    change_time = clock.now()
    engine.run_until(change_time + 8 * 0.25)
    pulses = [t for t, m in port.sent if m.type == "clock"]
    assert port.sent[0][1].type == "start"
    # 24 pulses a beat; each pulse exactly where the tempo map puts it: no drift.
    for index, t in enumerate(pulses):
        beat = index / 24
        if beat <= change_beat + EPS:
            expected = beat_time(beat)
        else:
            expected = change_time + (beat - change_beat) * 0.25
        assert t == pytest.approx(expected, abs=1e-9), index
    assert len(pulses) > 24 * 9
    assert engine.config.tempo == 240.0
    engine.close()


def test_swing_places_the_off_beat_eighth_and_changes_from_the_next_beat(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights, swing=2 / 3)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(16))
    # Comping's Charleston in bar 1 hits on the and of 2: beat 1 + 2/3 when swung.
    comp_times = {round(t, 9) for t, _ in note_ons(port, COMP)}
    assert round(beat_time(1 + 2 / 3), 9) in comp_times
    assert round(beat_time(1.5), 9) not in comp_times
    before = len(port.sent)
    engine.submit(cmd.SetSwing(0.5))
    engine.run_until(beat_time(16.2))
    engine.run_until(beat_time(40))
    later = [t for t, m in port.sent[before:] if m.type == "note_on" and t >= beat_time(17)]
    for t in later:
        ticks = (t - START_DELAY) / 0.5 * 12
        assert ticks == pytest.approx(round(ticks), abs=1e-6)  # straight again
    assert later
    engine.close()


def test_off_beat_swing_position(random_weights):
    """The swung position of the off-beat eighth is exactly ratio * beat (the beat source)."""
    engine, clock, port, _, _ = make_engine(random_weights, swing=0.7)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(1))
    beat = engine.beat
    assert beat.time_of(6) == pytest.approx(beat_time(0.7))
    assert beat.time_of(12 * 5 + 6) == pytest.approx(beat_time(5.7))
    assert beat.straight_tick_at(beat_time(5.7)) == pytest.approx(66, abs=1e-4)
    engine.close()


def test_trade_turns_alternate_and_the_answer_hears_the_call(random_weights):
    engine, clock, port, queue, events = make_engine(random_weights, mode="trade",
                                                     trade_bars=1, comping=False)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.01))
    for beat in (0, 1, 2, 3):  # the human's bar: four quarter notes
        play_key(queue, beat_time(beat), 60 + 2 * beat, 0.45)
    engine.run_until(beat_time(16.5))
    solo = note_ons(port, SOLO)
    assert solo
    for t, _ in solo:
        bar = int((t - START_DELAY + 1e-9) // 2.0)
        assert bar % 2 == 1, f"improviser played in the human's bar {bar}"
    answered_bars = {int((t - START_DELAY + 1e-9) // 2.0) for t, _ in solo}
    assert answered_bars & {1} and answered_bars & {3, 5, 7}
    # The improviser's notes end by the end of its turn.
    for t, m in port.sent:
        if m.type == "note_off" and m.channel == SOLO:
            bar_end = beat_time(4 * (int((t - START_DELAY - 1e-9) // 2.0) + 1))
            assert t <= bar_end + 1e-9
    first = engine.turns.answers[0][0]
    assert (first.call_start, first.start, first.end) == (0, 48, 96)
    turns = [e.turn for e in events if isinstance(e, TransportChanged) and e.playing]
    assert "listening" in turns and "answering" in turns
    engine.close()
    assert_every_note_ended(port)


def test_trade_answer_grows_out_of_the_call(random_weights):
    """The call is put on the grid, encoded against its chords and observed before the answer
    is sampled; the answer's first motion is from the call's last pitch."""
    engine, clock, port, queue, _ = make_engine(random_weights, mode="trade", trade_bars=1,
                                                comping=False, swing=2 / 3)
    heard = []
    listen = engine.improviser.listen

    def spy(notes, start_tick):
        values = listen(notes, start_tick)
        heard.append((list(notes), start_tick, values, engine.improviser.decoder.prev_pitch))
        return values

    engine.improviser.listen = spy
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.01))
    # Swung eighths, played a little early and late: on the grid they are 0, 6, 12, 18.
    for beat, pitch in ((0.01, 64), (0.68, 65), (0.99, 67), (1.66, 69)):
        play_key(queue, beat_time(beat), pitch, 0.12)
    engine.run_until(beat_time(4.5))
    notes, start, values, prev_pitch = heard[0]
    assert start == 0
    assert [(n.onset, n.pitch) for n in notes] == [(0, 64), (6, 65), (12, 67), (18, 69)]
    assert [v.duration for v in values[:3]] == [6, 6, 6]  # legato eighths
    assert all(v.role is not None for v in values[:4])  # notes, with roles over F7
    assert prev_pitch == 69
    engine.close()


def test_answer_starts_on_the_bar_line_after_the_silence(random_weights):
    engine, clock, port, queue, _ = make_engine(random_weights, mode="answer", comping=False,
                                                answer_silence_beats=1.0)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.01))
    # A call from beat 0.5 to beat 3 (last release): the silence runs out exactly on the bar
    # line at beat 4, so the answer starts there -- not a bar later.
    for beat in (0.5, 1.0, 1.5, 2.0, 2.5):
        play_key(queue, beat_time(beat), 62 + int(beat * 2), 0.5 * 0.5 if beat < 2.5 else 0.25)
    engine.run_until(beat_time(3.5))
    assert not engine.turns.answers
    engine.run_until(beat_time(4.5))
    answer = engine.turns.answers[0][0]
    assert answer.start == 48  # beat 4
    assert answer.end == 96  # the call lasted 2.5 beats: one bar, rounded up
    solo = note_ons(port, SOLO)
    assert all(t >= beat_time(4) - 1e-9 for t, _ in solo)
    engine.run_until(beat_time(12))
    assert all(t < beat_time(8) + 1e-9 for t, _ in note_ons(port, SOLO))
    engine.close()
    assert_every_note_ended(port)


def test_answer_after_silence_mid_bar_waits_for_the_next_bar_line(random_weights):
    engine, clock, port, queue, _ = make_engine(random_weights, mode="answer", comping=False)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.01))
    # Five beats of call (beats 1..6): two bars rounded up; silence ends at beat 7.
    for beat in range(1, 6):
        play_key(queue, beat_time(beat), 60 + beat, 0.49)
    engine.run_until(beat_time(12))
    answer = engine.turns.answers[0][0]
    assert answer.start == 8 * 12 and answer.end == 16 * 12
    engine.close()


def test_temperature_change_rewinds_what_is_not_played_yet(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights, comping=False, lookahead_beats=2.0)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(4.2))
    assert engine.improviser.position >= 12 * 6  # sampled two beats ahead
    sampled_before = [item for item in engine.buffer._heap if item.voice == "improviser"
                      and item.message.type == "note_on" and item.tick >= 12 * 5]
    engine.submit(cmd.SetTemperature(0.0))
    engine.run_until(clock.now())
    # From the next beat line (beat 5) on, everything is sampled again at the new temperature.
    assert engine.improviser.temperature == 0.0
    assert engine.config.temperature == 0.0
    still = [item for item in engine.buffer._heap if any(item is old for old in sampled_before)]
    assert sampled_before and not still
    engine.run_until(beat_time(8))
    engine.close()
    assert_every_note_ended(port)


def test_new_chords_start_on_the_next_bar_line(random_weights):
    engine, clock, port, _, events = make_engine(random_weights)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(1.5))
    engine.submit(cmd.SetProgression(parse_progression("| Ebmaj7 | Ab7 |")))
    engine.run_until(beat_time(8.5))
    assert engine.form.chord_at(47).symbol == "F7"  # bar 0 of blues-f
    assert engine.form.chord_at(48).symbol == "Ebmaj7"
    assert engine.form.chord_at(96).symbol == "Ab7"
    # The comping of bar 1 (beats 4-8) voices Ebmaj7: pitch classes of Eb G Bb D.
    bar1 = {m.note % 12 for t, m in note_ons(port, COMP) if beat_time(4) <= t < beat_time(8)}
    assert bar1 and bar1 <= {3, 7, 10, 2}
    engine.close()


def test_velocity_applies_as_notes_go_out(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights, comping=False, velocity=90)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(2))
    engine.submit(cmd.SetVelocity(40))
    engine.run_until(beat_time(10))
    later = [m.velocity for t, m in note_ons(port, SOLO) if t > beat_time(2)]
    assert later and set(later) == {40}
    engine.close()


def test_late_events_are_dropped_not_burst(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights, swing=0.5)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(2))
    sent = len(port.sent)
    clock.advance(1.0)  # the engine stalls for two beats
    engine.run_until(clock.now())
    burst = [m for t, m in port.sent[sent:] if m.type == "note_on" and m.velocity > 0]
    assert not burst  # nothing from the two missed beats is fired late
    stats = engine.dispatcher.stats
    assert stats.late > 0 and stats.dropped > 0 and stats.worst_late > DROP_SECONDS
    engine.run_until(beat_time(8))
    engine.close()
    assert_every_note_ended(port)


def test_garbage_input_never_hangs_a_note_or_crashes(random_weights):
    engine, clock, port, queue, events = make_engine(random_weights, mode="answer")
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.5))
    t = clock.now()
    for _ in range(2000):
        queue.put(mido.Message("clock"), t)
    queue.put(mido.Message("sysex", data=[1, 2, 3]), t)
    queue.put(mido.Message("note_off", channel=5, note=70), t)  # off without on
    queue.put(mido.Message("note_on", channel=9, note=36, velocity=100), t)  # never released
    queue.put(mido.Message("note_on", channel=3, note=61, velocity=0), t)
    queue.put(mido.Message("control_change", channel=2, control=7, value=3), t)
    queue.put(mido.Message("pitchwheel", channel=0, pitch=300), t)
    engine.run_until(beat_time(20))
    # The stuck key counted as released after MAX_HELD_BEATS: the call ended, it answered.
    assert engine.turns.answers
    human = [e for e in events if isinstance(e, NotePlayed) and e.player == "human"]
    assert [e.pitch for e in human] == [36]
    engine.close()
    assert_every_note_ended(port)
    assert not any(m.channel in (9, 5, 3) for _, m in port.sent if m.type == "note_on")


def test_every_exit_path_ends_notes_an_error_in_the_engine_thread(random_weights, monkeypatch):
    engine, clock, port, _, _ = make_engine(random_weights, comping=True)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(3.3))
    assert port.open_notes
    calls = []

    def broken_step():
        calls.append(1)
        raise RuntimeError("model blew up")

    monkeypatch.setattr(engine.improviser, "step", broken_step)
    engine.start()  # the timing thread now meets the error
    engine._thread.join(timeout=10)
    assert not engine._thread.is_alive()
    assert isinstance(engine.error, RuntimeError) and calls
    assert not port.open_notes
    engine.close()
    assert_every_note_ended(port)


def test_close_while_playing_ends_notes_and_writes_the_recording(random_weights, tmp_path):
    recorder = Recorder(tmp_path / "take.mid", {"improviser": SOLO, "chords": COMP})
    engine, clock, port, queue, _ = make_engine(random_weights, recorder=recorder)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.2))
    play_key(queue, beat_time(1.0), 67, 0.3)
    queue.put(mido.Message("note_on", note=72, velocity=70), beat_time(2.0))  # still held
    engine.submit(cmd.SetTempo(180))
    engine.run_until(beat_time(6.3))
    path = engine.close()
    assert path == tmp_path / "take.mid"
    assert_every_note_ended(port)
    midi = mido.MidiFile(path)
    names = [track.name for track in midi.tracks]
    assert names == ["tempo", "human", "improviser", "chords"]
    tempos = [m.tempo for m in midi.tracks[0] if m.type == "set_tempo"]
    assert tempos == [mido.bpm2tempo(120), mido.bpm2tempo(180)]
    sent_ons = Counter(m.channel for _, m in port.sent if m.type == "note_on" and m.velocity)
    recorded = {track.name: sum(1 for m in track if m.type == "note_on" and m.velocity)
                for track in midi.tracks}
    assert recorded["improviser"] == sent_ons[SOLO]
    assert recorded["chords"] == sent_ons[COMP]
    assert recorded["human"] == 2
    for track in midi.tracks[1:]:  # every note-on has its note-off in the file
        ons = sum(1 for m in track if m.type == "note_on" and m.velocity)
        offs = sum(1 for m in track if m.type == "note_off"
                   or (m.type == "note_on" and not m.velocity))
        assert ons == offs


def test_the_recording_is_rewritten_while_playing(random_weights, tmp_path):
    recorder = Recorder(tmp_path / "live.mid", {"improviser": SOLO, "chords": COMP})
    engine, clock, port, _, _ = make_engine(random_weights, recorder=recorder)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(12))
    for _ in range(200):  # the writer thread rewrites it
        if (tmp_path / "live.mid").exists():
            break
        time.sleep(0.05)
    midi = mido.MidiFile(tmp_path / "live.mid")  # valid while the session goes on
    assert len(midi.tracks) == 4
    engine.close()


def test_stop_then_play_starts_on_the_next_bar_line(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(5.2))
    engine.submit(cmd.Stop())
    engine.run_until(beat_time(6.1))
    assert_every_note_ended(port)
    stopped = len(port.sent)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(12.5))
    restarted = [t for t, m in port.sent[stopped:] if m.type == "note_on"]
    assert restarted and min(restarted) >= beat_time(8) - 1e-9
    assert engine.session.origin == 8 * 12
    engine.close()


def test_mode_change_takes_the_next_bar_line(random_weights):
    engine, clock, port, _, events = make_engine(random_weights, comping=False)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(2.5))
    engine.submit(cmd.SetMode("trade"))
    engine.run_until(beat_time(7.9))
    later = [t for t, _ in note_ons(port, SOLO) if t >= beat_time(4) - 1e-9]
    assert not later  # from bar 1 on the human has the first turn
    for t, m in port.sent:
        if m.type == "note_off" and m.channel == SOLO:
            assert t <= beat_time(4) + 1e-9
    engine.close()


def test_panic_silences_everything_now(random_weights):
    engine, clock, port, _, _ = make_engine(random_weights)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.1))
    engine.submit(cmd.Panic())
    engine.run_until(clock.now())
    assert not port.open_notes
    assert sum(1 for _, m in port.sent if m.type == "control_change" and m.control == 123) == 16
    engine.close()


def test_a_halt_stops_it_for_good_and_says_why(random_weights):
    """What it plays into is gone (the JACK server stopped): every note ends, the reason is
    said, and play is refused from then on."""
    engine, clock, port, _, events = make_engine(random_weights)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(2))
    engine.submit(cmd.Halt("the JACK server stopped (killed)"))
    engine.run_until(beat_time(2.5))
    assert engine.halted == "the JACK server stopped (killed)"
    assert not engine.session.playing
    assert_every_note_ended(port)
    sent = len(port.sent)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(8))
    assert not engine.session.playing and len(port.sent) == sent
    said = [e.text for e in events if getattr(e, "level", "") == "error"]
    assert said == ["the JACK server stopped (killed)"] * 2
    engine.close()


def test_invalid_live_setting_is_a_warning_not_a_crash(random_weights):
    engine, clock, port, _, events = make_engine(random_weights)
    engine.submit(cmd.Play())
    engine.submit(cmd.SetTempo(1000))
    engine.run_until(beat_time(2))
    assert engine.config.tempo == 120
    assert any("tempo must be 20-400" in getattr(e, "text", "") for e in events)
    engine.close()


def test_recording_path_is_in_ports_event(random_weights, tmp_path: Path):
    recorder = Recorder(tmp_path / "x.mid", {})
    engine, *_ , events = make_engine(random_weights, recorder=recorder)
    engine.start()
    engine.close()
    assert events[0].recording == str(tmp_path / "x.mid")


def test_a_lost_port_is_played_on_into_the_recording(random_weights, tmp_path):
    recorder = Recorder(tmp_path / "lost.mid", {"improviser": SOLO, "chords": COMP})
    engine, clock, port, _, events = make_engine(random_weights, recorder=recorder)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(4))
    port.fail = True  # the synth vanished
    engine.run_until(beat_time(12))
    warnings = [e.text for e in events if getattr(e, "level", "") == "warning"]
    assert [w for w in warnings if "not taking messages" in w] == [
        "MIDI output 'recording' is not taking messages: playing on into the recording"]
    during = len(port.sent)
    port.fail = False
    engine.run_until(beat_time(20))
    assert len(port.sent) > during
    assert any("takes messages again" in getattr(e, "text", "") for e in events)
    path = engine.close()
    assert not port.open_notes
    # Notes whose note-off was lost with the port are ended by All Notes Off once it is back.
    back = next(i for i, (_, m) in enumerate(port.sent) if i >= during and
                m.type == "control_change" and m.control == 123)
    assert {m.channel for _, m in port.sent[back:back + 2]} == {SOLO, COMP}
    assert all(m.type != "note_on" for _, m in port.sent[during:back])
    played = notes_in_file(path)
    heard = sum(1 for _, m in port.sent if m.type == "note_on" and m.velocity)
    assert played > heard  # the recording has the notes the port missed


def test_a_lost_port_without_a_recording_is_not_said_to_go_into_one(random_weights):
    engine, clock, port, _, events = make_engine(random_weights)  # nothing recorded
    engine.submit(cmd.Play())
    engine.run_until(beat_time(4))
    port.fail = True
    engine.run_until(beat_time(8))
    warnings = [e.text for e in events if getattr(e, "level", "") == "warning"]
    assert [w for w in warnings if "not taking messages" in w] == [
        "MIDI output 'recording' is not taking messages: playing on unheard"]
    engine.close()


def notes_in_file(path):
    return sum(1 for track in mido.MidiFile(path).tracks for m in track
               if m.type == "note_on" and m.velocity)


def master_ticks(engine, clock, queue, start, bpm, beats, first=("start",)):
    """A MIDI clock master: ``first`` messages at ``start``, then 24 ticks a beat, each put
    in the queue as the engine's clock reaches it."""
    for kind in first:
        queue.put(mido.Message(kind), start)
    period = 60.0 / bpm / 24
    for n in range(int(beats * 24)):
        at = start + n * period
        engine.run_until(at)
        queue.put(mido.Message("clock"), at)
    return start + int(beats * 24) * period


def test_external_clock_starts_follows_and_stops(random_weights):
    engine, clock, port, queue, events = make_engine(random_weights, swing=0.5,
                                                     sync="external")
    engine.submit(cmd.Play())  # ignored: the master starts it
    engine.run_until(0.5)
    assert not engine.playing and not port.sent
    end = master_ticks(engine, clock, queue, 0.5, 150.0, 12)
    assert engine.playing
    assert engine.beat.bpm == pytest.approx(150.0, abs=0.5)
    # On the master's beat: the engine's song position at the last tick matches the master's.
    song_beat = engine.beat.beat_at(end) - engine.session.origin / 12
    assert song_beat == pytest.approx(12.0, abs=0.05)
    # The comping's first hit sounded on the master's first tick.
    first = min(t for t, m in port.sent if m.type == "note_on")
    assert first == pytest.approx(0.5, abs=0.002)
    queue.put(mido.Message("stop"), end)
    engine.run_until(end + 0.01)
    assert not engine.playing
    assert_every_note_ended(port)
    # Song Position Pointer to bar 3 (32 sixteenths), Continue: it plays on from there.
    queue.put(mido.Message("songpos", pos=32), end + 1.0)
    later = master_ticks(engine, clock, queue, end + 1.0, 150.0, 4, first=("continue",))
    assert engine.playing
    song_beat = engine.beat.beat_at(later) - engine.session.origin / 12
    assert song_beat == pytest.approx(8.0 + 4.0, abs=0.05)
    assert engine.form.bar_at(engine.session.now_tick())[0] == 2  # bar 3, its last beat
    engine.close()
    assert_every_note_ended(port)


def test_external_clock_tempo_change_is_followed(random_weights):
    engine, clock, port, queue, _ = make_engine(random_weights, sync="external")
    end = master_ticks(engine, clock, queue, 0.2, 100.0, 8)
    assert engine.beat.bpm == pytest.approx(100.0, abs=0.5)
    end = master_ticks(engine, clock, queue, end, 140.0, 8, first=())
    assert engine.beat.bpm == pytest.approx(140.0, abs=1.0)
    song_beat = engine.beat.beat_at(end) - engine.session.origin / 12
    assert song_beat == pytest.approx(16.0, abs=0.1)
    engine.close()


def test_the_transport_shows_the_masters_tempo(random_weights):
    """Following a master, what the TUI shows is the tempo played (the beat source's), not
    the tempo asked for in the config."""
    engine, clock, port, queue, events = make_engine(random_weights, sync="external",
                                                     tempo=100.0)
    end = master_ticks(engine, clock, queue, 0.2, 150.0, 8)
    engine.run_until(end)
    shown = [e for e in events if isinstance(e, TransportChanged) and e.playing]
    assert shown and shown[-1].bpm == pytest.approx(150.0, abs=0.5)
    assert shown[-1].config.tempo == 100.0
    engine.close()


def test_tempo_and_swing_set_before_play_hold_from_the_first_beat(random_weights):
    engine, clock, port, _, events = make_engine(random_weights, swing=0.5)
    engine.submit(cmd.SetTempo(60.0))
    engine.submit(cmd.SetSwing(0.7))
    engine.run_until(0.05)
    assert [e.bpm for e in events if isinstance(e, TransportChanged)][-1] == 60.0
    engine.submit(cmd.Play())
    engine.run_until(0.2)
    assert engine.beat.bpm == 60.0
    # The off-beat eighth swung at 0.7, at a second a beat.
    assert engine.beat.time_of(6) - engine.beat.time_of(0) == pytest.approx(0.7)
    engine.close()


def test_a_key_held_over_the_end_of_the_turn_is_part_of_the_call(random_weights):
    engine, clock, port, queue, _ = make_engine(random_weights, mode="trade", trade_bars=1,
                                                comping=False, swing=0.5)
    heard = []
    listen = engine.improviser.listen
    engine.improviser.listen = lambda notes, start: heard.append(list(notes)) or listen(
        notes, start)
    engine.submit(cmd.Play())
    engine.run_until(beat_time(0.01))
    play_key(queue, beat_time(1), 60, 0.2)
    play_key(queue, beat_time(3), 67, 0.75)  # held until beat 4.5, into the answer's bar
    engine.run_until(beat_time(4.6))
    assert [(n.onset, n.duration, n.pitch) for n in heard[0]] == [(12, 4, 60), (36, 12, 67)]
    engine.close()
