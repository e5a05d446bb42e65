"""Every metric computed by hand on the constructed history (see conftest) for March 2026."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chuangwei.rankings import providers
from chuangwei.rankings.selectors import compute_metrics, points_lost_lines

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_march(history: dict[str, Any], march: Any) -> dict[int, dict[str, Any]]:
    return compute_metrics("unit", *march)


def test_registered_counts_cases_accepted_in_march_minus_merged(history, unit_march):
    # P1 P2 P3 P4 P6 P7 P8 P12 P13; P5 merged, P9 April, P10 February, P11 never registered.
    assert unit_march[history["community_a"].pk]["registered"] == 9


def test_case_dispatched_at_2330_on_march_31_shanghai_counts_in_march(history, march):
    # P8 (23:30 local = 15:30 UTC) is March; P9 (00:10 on April 1 local) is not.
    april = compute_metrics("unit", at(4, 1, 0), at(5, 1, 0), ["registered"])
    assert april[history["community_b"].pk]["registered"] == 1  # P9
    only_last_hour = compute_metrics("unit", at(3, 31, 23), march[1], ["registered"])
    assert only_last_hour[history["community_a"].pk]["registered"] == 1  # P8


def test_closed_at_month_end_ignores_later_reopen_and_reclose(history, unit_march):
    # P1 P2 P3 P12 (reopened and closed again in April); P4 reopened in March; P7 in April.
    values = unit_march[history["community_a"].pk]
    assert values["closed"] == 4
    assert values["closure_rate"] == round(4 / 9, 4)


def test_on_time_counts_paused_clock_and_the_closing_valid_at_month_end(history, unit_march):
    # P1 on time, P2 on time (clock stopped while paused), P3 late after rework,
    # P12 on time in March although its April closing was late.
    assert history["p"][12].closed_on_time is False
    assert unit_march[history["community_a"].pk]["on_time_rate"] == round(3 / 9, 4)


def test_rework_rate_is_failed_verifications_over_submissions(history, unit_march):
    # Submissions in March: P1, P2, P3 twice, P4, P7, P12 = 7; one failed verification (P3).
    assert unit_march[history["community_a"].pk]["rework_rate"] == round(1 / 7, 4)


def test_overdue_open_at_month_end(history, unit_march):
    # 甲一社区: P4 (reopened 03-10, new deadline that day) and P6 (due 03-12; its April
    # extension does not count for March). 乙一社区: P10 (due 03-01).
    assert unit_march[history["community_a"].pk]["overdue_open"] == 2
    assert unit_march[history["community_b"].pk]["overdue_open"] == 1


def test_overdue_rolls_up_to_the_district(history, unit_march):
    assert unit_march[history["district"].pk]["overdue_open"] == 3
    assert unit_march[history["street_b"].pk]["overdue_open"] == 1


def test_overdue_in_april_uses_the_extended_deadline(history):
    # At the end of April 1 (before the extension to 04-30) P6 is overdue; on April 30
    # (after the 04-02 extension) it is not.
    first = compute_metrics("unit", at(4, 1, 0), at(4, 2, 0), ["overdue_open"])
    later = compute_metrics("unit", at(4, 29, 0), at(4, 30, 0), ["overdue_open"])
    # 04-01 end: P4 and P6 overdue (P8 due 04-02 not yet).
    assert first[history["community_a"].pk]["overdue_open"] == 2
    # 04-30 00:00: P4 and P8 (due 04-02); P6 now due 04-30 09:00.
    assert later[history["community_a"].pk]["overdue_open"] == 2


def test_rebound_rate_counts_recurrence_and_reopen(history, unit_march):
    # P13 recurs P1; P4 reopened in March: 2 / 9.
    assert history["p"][13].recurrence_of_id == history["p"][1].pk
    assert unit_march[history["community_a"].pk]["recurrence_rate"] == round(2 / 9, 4)


def test_public_report_rate_counts_confirmed_citizen_reports(history, unit_march):
    assert unit_march[history["community_a"].pk]["public_report_rate"] == round(1 / 9, 4)


def test_valid_report_rate_per_reporter(history, march):
    # grid_worker reported P1–P8, P11, P12, P13 in March (11); P5 merged and P11 voided.
    values = compute_metrics("reporter", *march, ["valid_report_rate"])
    assert values[history["grid_worker"].pk]["valid_report_rate"] == round(9 / 11, 4)
    # office reported P9 in March and P10 in February.
    assert values[history["office"].pk]["valid_report_rate"] == 1.0


def test_average_handling_time_of_closings_in_march(history, unit_march):
    # P1 6h30, P2 50h50, P3 24h50, P4 2h50, P12 2h50 from registration to closing.
    expected = round((6.5 + 50 + 50 / 60 + 24 + 50 / 60 + 2 * (2 + 50 / 60)) / 5, 1)
    assert unit_march[history["community_a"].pk]["avg_handling_hours"] == expected


def test_points_lost_by_unit(history, unit_march):
    assert unit_march[history["community_a"].pk]["points_lost"] == 3.5
    assert unit_march[history["city"].pk]["points_lost"] == 3.5


def test_department_and_work_line_dimensions(history, march):
    dept = compute_metrics("department", *march, ["registered", "closure_rate"])
    line = compute_metrics("work_line", *march, ["registered"])
    assert dept[history["department"].pk]["registered"] == 9
    assert dept[history["department"].pk]["closure_rate"] == round(4 / 9, 4)
    assert line[history["line"].pk]["registered"] == 9


def test_grid_dimension(history, march):
    from chuangwei.places.models import Grid

    ga = Grid.objects.get(code="GA")
    assert compute_metrics("grid", *march, ["registered"])[ga.pk]["registered"] == 9


def test_published_history_does_not_move_when_april_events_arrive(history, march):
    before = compute_metrics("unit", *march)
    from chuangwei.problems import services

    services.reopen_problem(history["p"][1], by=history["office"], note="再现", now=at(5, 1, 9))
    assert compute_metrics("unit", *march) == before


def test_inspection_score_rate_is_none_without_data(history, unit_march):
    assert unit_march[history["community_a"].pk]["inspection_score_rate"] is None


def test_inspection_score_rate_from_provider(history, march, monkeypatch):
    a, b = history["community_a"].pk, history["community_b"].pk
    monkeypatch.setattr(
        providers,
        "inspection_scores",
        lambda start, end: {a: (Decimal("90"), Decimal("100")), b: (Decimal("30"), Decimal("50"))},
    )
    values = compute_metrics("unit", *march, ["inspection_score_rate"])
    assert values[a]["inspection_score_rate"] == 0.9
    assert values[history["district"].pk]["inspection_score_rate"] == 0.8  # 120 / 150


def test_points_lost_lines(history, march):
    lines = points_lost_lines(*march)
    assert [(ln.unit_id, ln.problems, ln.points) for ln in lines] == [
        (history["community_a"].pk, 2, Decimal("3.50"))
    ]


def test_rates_are_undefined_without_cases(history, march):
    values = compute_metrics("unit", at(1, 1, 0), at(2, 1, 0))
    assert values == {}


def test_shared_queries_give_the_same_values_as_one_dimension_at_a_time(history, march):
    from chuangwei.rankings.selectors import compute_metrics_for

    together = compute_metrics_for(["unit", "department", "grid", "reporter"], *march)
    for dim in ("unit", "department", "grid", "reporter"):
        assert together[dim] == compute_metrics(dim, *march)
