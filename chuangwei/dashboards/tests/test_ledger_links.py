"""The ledger filters the dashboard links to (added to problems/filters.py for them)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict

from chuangwei.problems.filters import ProblemFilter
from chuangwei.problems.models import Problem
from chuangwei.reports.tests.conftest import at

pytestmark = pytest.mark.django_db


def codes(query: str) -> set[str]:
    filterset = ProblemFilter(QueryDict(query), queryset=Problem.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("code", flat=True))


def test_closed_between_counts_shanghai_days(march: dict[str, Any]) -> None:
    assert codes("closed_after=2026-03-05&closed_before=2026-03-05") == {march["on_time"].code}
    assert codes("closed_after=2026-03-03&closed_before=2026-03-06") == {
        march["on_time"].code, march["late"].code, march["old"].code
    }  # fmt: skip


def test_on_time_and_reworked(march: dict[str, Any]) -> None:
    assert codes("on_time=false") == {march["late"].code}
    assert codes("reworked=true") == {march["late"].code}
    assert march["late"].code not in codes("reworked=false")


def test_recurred(march: dict[str, Any], make_problem: Any) -> None:
    again = make_problem(recurrence_of=march["on_time"], reported_at=at(8))
    assert codes("recurred=true") == {again.code}
    assert again.code not in codes("recurred=false")
