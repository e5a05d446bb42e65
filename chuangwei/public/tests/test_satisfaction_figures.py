"""Citizen satisfaction as the dashboard reads it (satisfied + basically satisfied / all)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chuangwei.dashboards.providers import satisfaction
from chuangwei.problems.models import Problem
from chuangwei.problems.tests.conftest import MONDAY_9
from chuangwei.public import services


def test_rate_counts_basically_satisfied_as_satisfied(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    first = close(citizen_report(), public)
    services.rate_problem(first, level="basically", now=MONDAY_9 + timedelta(hours=2))
    day = MONDAY_9.date()
    figure = satisfaction(Problem.objects.all(), day, day)
    assert figure == {
        "rate": 100.0,
        "responses": 1,
        "url": "/public/manage/moderation/#rating-table",
    }


def test_dissatisfied_ratings_lower_the_rate(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    services.rate_problem(
        close(citizen_report(), public), level="satisfied", now=MONDAY_9 + timedelta(hours=2)
    )
    services.rate_problem(
        close(citizen_report(description="另一处"), public),
        level="dissatisfied",
        comment="没修好",
        now=MONDAY_9 + timedelta(hours=3),
    )
    day = MONDAY_9.date()
    assert satisfaction(Problem.objects.all(), day, day)["rate"] == 50.0


def test_no_ratings_in_the_period_means_no_figure(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    services.rate_problem(
        close(citizen_report(), public), level="satisfied", now=MONDAY_9 + timedelta(hours=2)
    )
    next_day = MONDAY_9.date() + timedelta(days=1)
    assert satisfaction(Problem.objects.all(), next_day, next_day) is None


def test_ratings_outside_the_viewers_problems_do_not_count(
    citizen_report: Any, close: Any, public: dict[str, Any]
) -> None:
    problem = close(citizen_report(), public)
    services.rate_problem(problem, level="satisfied", now=MONDAY_9 + timedelta(hours=2))
    day = MONDAY_9.date()
    assert satisfaction(Problem.objects.exclude(pk=problem.pk), day, day) is None


def test_every_source_is_either_public_or_internal() -> None:
    from chuangwei.problems.choices import INTERNAL_SOURCES, ProblemSource
    from chuangwei.public.choices import PUBLIC_SOURCES

    assert set(PUBLIC_SOURCES) & set(INTERNAL_SOURCES) == set()
    assert set(PUBLIC_SOURCES) | set(INTERNAL_SOURCES) == set(ProblemSource.values)
