"""The worker base: one round for cron, or rounds every --interval until SIGTERM/SIGINT.

The rounds here stop the loop themselves by raising a signal, and ``sleep`` records the
interval instead of waiting, so nothing depends on the clock.
"""

from __future__ import annotations

import signal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError

from chuangwei.core.workers import WorkerCommand

# The test's transaction keeps the loop from refreshing a connection it must not close.
pytestmark = pytest.mark.django_db


class Counting(WorkerCommand):
    """Reports its round number; raises ``stop_with`` in round ``stop_after``."""

    stopped_message = "stopped"
    default_interval = 7.0

    def __init__(self, stop_after=2, stop_with=signal.SIGTERM, fail_round=None):
        super().__init__()
        self.rounds: list[bool] = []
        self.slept: list[float] = []
        self.stop_after, self.stop_with, self.fail_round = stop_after, stop_with, fail_round

    def run_round(self, options, *, looping):
        self.rounds.append(looping)
        if len(self.rounds) == self.fail_round:
            raise DatabaseError("gone")
        if looping and len(self.rounds) == self.stop_after:
            signal.raise_signal(self.stop_with)
        return [f"round {len(self.rounds)}"] if len(self.rounds) != 1 or not looping else []

    def sleep(self, seconds):
        self.slept.append(seconds)

    def run(self, *args):
        out = StringIO()
        call_command(self, *args, stdout=out)
        return out.getvalue()


def test_without_loop_one_round_runs_and_reports():
    command = Counting()
    assert (command.run(), command.rounds, command.slept) == ("round 1\n", [False], [])


def test_loop_stops_after_the_round_under_way_on_sigterm():
    command = Counting(stop_after=3)
    before = signal.getsignal(signal.SIGTERM)
    output = command.run("--loop")
    assert (command.rounds, output) == ([True, True, True], "round 2\nround 3\nstopped\n")
    assert signal.getsignal(signal.SIGTERM) is before


def test_loop_stops_on_sigint_too():
    command = Counting(stop_after=2, stop_with=signal.SIGINT)
    before = signal.getsignal(signal.SIGINT)
    command.run("--loop")
    assert (len(command.rounds), signal.getsignal(signal.SIGINT)) == (2, before)


def test_loop_waits_the_interval_between_rounds_and_not_after_the_last():
    command = Counting(stop_after=3)
    command.run("--loop", "--interval", "2.5")
    assert command.slept == [2.5, 2.5]


def test_interval_defaults_to_the_commands_own():
    command = Counting(stop_after=2)
    command.run("--loop")
    assert command.slept == [7.0]


def test_a_round_that_loses_the_database_is_logged_and_the_loop_goes_on(caplog):
    command = Counting(stop_after=3, fail_round=2)
    command.run("--loop")
    assert len(command.rounds) == 3
    assert [r.getMessage() for r in caplog.records] == ["worker round failed; retrying"]


@pytest.mark.parametrize("interval", ["0", "-1"])
def test_a_non_positive_interval_is_refused_before_any_round(interval):
    command = Counting()
    with pytest.raises(CommandError):
        command.handle(loop=True, interval=float(interval))
    assert command.rounds == []
