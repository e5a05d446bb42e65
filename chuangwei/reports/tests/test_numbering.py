"""Issue numbers are given at publication, per office and year, and never repeat or skip,
also when many briefings are published at the same moment (threads, real transactions)."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection

from chuangwei.reports import services
from chuangwei.reports.models import Briefing, IssueCounter

from .conftest import NOW


def in_review(office: Any, n: int = 1, **kwargs: Any) -> list[Briefing]:
    out = []
    for _ in range(n):
        b = services.create_briefing(
            kind="special", period_start=date(2026, 3, 1), period_end=date(2026, 3, 15), by=office
        )
        Briefing.objects.filter(pk=b.pk).update(generation_status="done", status="review", **kwargs)
        b.refresh_from_db()
        out.append(b)
    return out


@pytest.mark.django_db
def test_drafts_have_no_number_until_published(personas):
    (briefing,) = in_review(personas["office"])
    assert (briefing.year_number, briefing.total_number) == (None, None)
    services.publish_briefing(briefing, by=personas["office"], now=NOW)
    briefing.refresh_from_db()
    assert (briefing.year, briefing.year_number, briefing.total_number) == (2026, 1, 1)
    assert briefing.issue_date == date(2026, 3, 18)
    assert briefing.status == "published"


@pytest.mark.django_db
def test_numbers_follow_on_and_a_new_year_restarts_the_year_number(personas):
    office = personas["office"]
    first, second = in_review(office, 2)
    (third,) = in_review(office, 1, issue_date=date(2027, 1, 4))
    for b in (first, second, third):
        services.publish_briefing(b, by=office, now=NOW)
    numbers = list(
        Briefing.objects.order_by("total_number").values_list("year", "year_number", "total_number")
    )
    assert numbers == [(2026, 1, 1), (2026, 2, 2), (2027, 1, 3)]
    assert third.issue_label == "2027年第1期（总第3期）"


@pytest.mark.django_db
def test_a_failed_publication_gives_its_number_back(personas):
    office = personas["office"]
    first, second = in_review(office, 2)
    with mock.patch.object(services, "render_briefing", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            services.publish_briefing(first, by=office, now=NOW)
    services.publish_briefing(second, by=office, now=NOW)
    second.refresh_from_db()
    assert (second.year_number, second.total_number) == (1, 1)
    assert Briefing.objects.get(pk=first.pk).status == "review"


@pytest.mark.django_db
def test_publishing_twice_is_a_conflict_and_takes_no_number(personas):
    office = personas["office"]
    (briefing,) = in_review(office)
    services.publish_briefing(briefing, by=office, now=NOW)
    stale = Briefing.objects.get(pk=briefing.pk)
    stale.status = "review"
    with pytest.raises(services.Conflict):
        services.publish_briefing(stale, by=office, now=NOW)
    assert IssueCounter.objects.get().total_number == 1


def _busy_retry(call: Any) -> Any:
    """SQLite's shared-cache test database answers a second writer with "locked" at once (a
    file database would wait); the transaction was rolled back, so retrying is the wait."""
    for _ in range(1000):
        try:
            return call()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_concurrent_publications_never_repeat_or_skip_a_number(personas):
    office = personas["office"]
    office.scope  # noqa: B018 - resolve the scope before the threads start
    briefings = in_review(office, 8)
    barrier = threading.Barrier(len(briefings))
    errors: list[Any] = []

    def run(pk: int) -> None:
        try:
            briefing = Briefing.objects.get(pk=pk)
            barrier.wait(timeout=10)
            _busy_retry(lambda: services.publish_briefing(briefing, by=office, now=NOW))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(b.pk,)) for b in briefings]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    numbers = sorted(Briefing.objects.values_list("year_number", "total_number"))
    assert numbers == [(n, n) for n in range(1, 9)]
    counter = IssueCounter.objects.get()
    assert (counter.year, counter.year_number, counter.total_number) == (2026, 8, 8)
