"""libjack for what needs no process cycle (``jack_lib``): a stale wake-up futex told and the
client made again; port listing and watching through clients that are never activated."""

from __future__ import annotations

import pytest
import rtmidi
from jack_clients import JackEar, unique

from live_jazz.midi_io import jack_lib
from live_jazz.midi_io.jack_lib import (
    WAKE_ATTEMPTS,
    JackPortLister,
    PassiveClient,
    maps_own_futex,
    wakeable_client,
)
from live_jazz.midi_io.rtmidi_ports import open_output

MAPS = """\
7f00-7f01 rw-s 00000000 00:1b 20105    /dev/shm/jack_sem.0_ljsynth_lj in
7f02-7f03 rw-s 00000000 00:1b 20096    /dev/shm/jack_sem.0_ljsynth_lj
7f04-7f05 rw-s 00000000 00:1b 20093    /dev/shm/jack_sem.0_ljsynth_lsp (deleted)
7f06-7f07 rw-s 00000000 00:1b 20094    /dev/shm/jack_sem.0_my_server_lj watch-01
"""


@pytest.mark.parametrize(("name", "mapped"), [
    ("lj", True),
    ("lj in", True),
    ("lj watch", True),  # JACK renamed it (a clash): -01
    ("lsp", False),  # only a closed client's, deleted
    ("lj in end", False),
    ("j", False),
])
def test_a_client_is_sound_if_the_process_maps_its_own_futex(name: str, mapped: bool):
    assert maps_own_futex(name, MAPS) is mapped


def test_without_jack2_futexes_it_cannot_be_told():
    """jack1 and PipeWire's JACK keep no futex files: no client is ever taken for stale."""
    other = "7f00-7f01 r-xp 00000000 fe:00 1    /usr/lib/libpipewire-0.3.so.0\n"
    assert maps_own_futex("lj", other) is None


class Fake:
    def __init__(self) -> None:
        self.deleted = False


def _made(monkeypatch: pytest.MonkeyPatch, answers: list[bool | None]) -> tuple[Fake, list[Fake]]:
    made: list[Fake] = []
    replies = iter(answers)
    monkeypatch.setattr(jack_lib, "maps_own_futex", lambda name: next(replies))

    def make() -> Fake:
        made.append(Fake())
        return made[-1]

    def delete(client: Fake) -> None:
        client.deleted = True

    return wakeable_client(make, "lj in", delete), made


def test_a_client_waiting_on_a_stale_futex_is_made_again(monkeypatch: pytest.MonkeyPatch):
    client, made = _made(monkeypatch, [False, False, True])
    assert len(made) == 3 and client is made[-1]
    assert [m.deleted for m in made] == [True, True, False]


def test_a_sound_client_or_an_unreadable_map_is_kept(monkeypatch: pytest.MonkeyPatch):
    for answer in (True, None):
        client, made = _made(monkeypatch, [answer])
        assert made == [client] and not client.deleted


def test_made_again_a_few_times_at_most(monkeypatch: pytest.MonkeyPatch):
    client, made = _made(monkeypatch, [False] * WAKE_ATTEMPTS)
    assert len(made) == WAKE_ATTEMPTS and client is made[-1] and not client.deleted


@pytest.mark.jack
@pytest.mark.usefixtures("jack_server")
def test_a_passive_client_lists_the_ports_rtmidi_lists():
    ear_name = unique("test-ear")
    ear = JackEar(ear_name)
    try:
        client = PassiveClient.open(unique("test-passive"))
        assert client is not None
        try:
            for direction, kind in (("output", rtmidi.MidiOut), ("input", rtmidi.MidiIn)):
                listing = kind(rtmidi.API_UNIX_JACK, unique("test-list"))
                try:
                    assert client.midi_ports(direction) == listing.get_ports()
                finally:
                    listing.delete()
            assert f"{ear_name}:in" in client.midi_ports("output")
        finally:
            client.close()
            client.close()  # twice is safe
    finally:
        ear.close()


@pytest.mark.jack
@pytest.mark.usefixtures("jack_server")
def test_the_port_watcher_under_jack_is_never_activated():
    """The watcher lists ports through a ``PassiveClient`` (rtmidi would activate its own)."""
    ear_name = unique("test-ear")
    ear = JackEar(ear_name)
    client = unique("lj")
    try:
        with open_output("jack", f"{ear_name}:in", client) as port:
            assert port.connection is not None
            lister = port.connection._lister
            assert isinstance(lister, JackPortLister)
            assert port.connection.target in lister.get_ports()
    finally:
        ear.close()
