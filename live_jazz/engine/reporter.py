"""What the engine tells its subscribers about the session: the transport (on every beat and
after every command), the chord sounding, and trouble (late events, a lost port) at most once
a beat."""

from __future__ import annotations

from collections.abc import Callable

from live_jazz.encoding import TICKS_PER_BEAT
from live_jazz.engine.beat import FollowedBeat
from live_jazz.engine.config import TEMPO_RANGE
from live_jazz.engine.dispatcher import Dispatcher
from live_jazz.engine.events import ChordChanged, EngineEvent, LogLine, TransportChanged
from live_jazz.engine.session import Session


class Reporter:
    """Reads the session and the dispatcher; emits events."""

    def __init__(self, session: Session, dispatcher: Dispatcher,
                 emit: Callable[[EngineEvent], None]) -> None:
        self.session = session
        self.dispatcher = dispatcher
        self.emit = emit
        self._chord_shown: tuple[int, str] | None = None
        self._late_reported = 0
        self._port_losses = 0
        self._port_returns = 0
        self._ticks_dropped = 0

    def on_beat(self) -> None:
        """A beat line passed while playing."""
        self._trouble()
        self.transport()
        session = self.session
        tick = int(session.now_tick())
        bar, _ = session.form.bar_at(tick)
        chord = session.form.chord_at(tick)
        if self._chord_shown != (bar, chord.symbol):
            self._chord_shown = (bar, chord.symbol)
            change = session.form.next_change_after(tick)
            following = change[1].symbol if change is not None else chord.symbol
            self.emit(ChordChanged(bar, chord.symbol, following))

    def _trouble(self) -> None:
        """Late events since the last report, whether the port takes what is sent (a lost port
        is played on into the recording), and a master's clock ticks dropped for coming too
        fast."""
        stats = self.dispatcher.stats
        name = self.session.port.name
        if stats.late > self._late_reported:
            self.emit(LogLine("warning", f"{stats.late - self._late_reported} late event(s) "
                                         f"(worst so far {stats.worst_late * 1000:.1f} ms, "
                                         f"{stats.dropped} dropped)"))
            self._late_reported = stats.late
        if stats.losses > self._port_losses:
            on = "into the recording" if self.session.ports.recording else "unheard"
            self.emit(LogLine("warning", f"MIDI output {name!r} is not taking "
                                         f"messages: playing on {on}"))
        if stats.returns > self._port_returns:
            self.emit(LogLine("info", f"MIDI output {name!r} takes messages again "
                                      "(All Notes Off sent first)"))
        self._port_losses, self._port_returns = stats.losses, stats.returns
        beat = self.session.beat
        dropped = beat.follower.dropped if isinstance(beat, FollowedBeat) else 0
        if dropped > self._ticks_dropped:
            self.emit(LogLine("warning", f"{dropped - self._ticks_dropped} MIDI clock tick(s) "
                                         f"faster than {TEMPO_RANGE[1]:g} BPM dropped"))
            self._ticks_dropped = dropped

    def transport(self) -> None:
        """Where the session is, its settings and the tempo in force."""
        session = self.session
        late = self.dispatcher.stats.late
        bpm = session.beat.bpm
        if not session.beat.started or not session.playing:
            self.emit(TransportChanged(False, 0, 0.0, session.config, "solo", None, late, bpm))
            return
        tick = session.now_tick()
        beats = max(0.0, (tick - session.origin) / TICKS_PER_BEAT)
        bar, beat = divmod(beats, session.form.bar_ticks // TICKS_PER_BEAT)
        turns = session.turns
        self.emit(TransportChanged(True, int(bar), float(beat), session.config,
                                   turns.turn_at(tick), turns.beats_left(tick), late, bpm))
