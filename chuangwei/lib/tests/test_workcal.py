"""Tests for chuangwei.lib.workcal: deadlines on a working calendar.

Reference week: Mon 2026-03-02 … Sun 2026-03-08; Mon 2026-03-09 is the next Monday.
Default calendar: 08:30–12:00 and 13:30–17:30 (7.5 h a day), Saturday and Sunday off.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from chuangwei.lib.workcal import (
    UNITS,
    WorkCalendar,
    add_duration,
    add_working_seconds,
    elapsed_fraction,
    resume_deadline,
    traffic_light,
    working_seconds_between,
)

SH = ZoneInfo("Asia/Shanghai")
CAL = WorkCalendar()


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """An aware Shanghai datetime in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def test_units_are_the_four_documented_ones():
    assert UNITS == ("work_hours", "work_days", "hours", "days")


def test_default_workday_is_seven_and_a_half_hours():
    assert CAL.seconds_per_workday() == 27000


def test_four_work_hours_from_friday_afternoon_end_monday_morning():
    # Fri 16:00–17:30 = 1.5 h, Mon 08:30–11:00 = 2.5 h
    assert add_duration(CAL, at(6, 16), 4, "work_hours") == at(9, 11)


def test_work_hours_skip_the_lunch_break():
    # Mon 11:00–12:00 = 1 h, 13:30–14:30 = 1 h
    assert add_duration(CAL, at(2, 11), 2, "work_hours") == at(2, 14, 30)


def test_start_in_the_evening_counts_from_next_morning():
    assert add_duration(CAL, at(3, 20), 1, "work_hours") == at(4, 9, 30)


def test_start_on_saturday_counts_from_monday_morning():
    assert add_duration(CAL, at(7, 10), 1, "work_hours") == at(9, 9, 30)


def test_start_in_the_lunch_break_counts_from_afternoon_period():
    assert add_duration(CAL, at(2, 12, 30), 1, "work_hours") == at(2, 14, 30)


def test_zero_seconds_returns_start_unchanged_even_on_saturday():
    saturday = at(7, 10)
    assert add_working_seconds(CAL, saturday, 0) is saturday


def test_deadline_on_a_period_end_is_that_end_not_next_morning():
    assert add_duration(CAL, at(2, 8, 30), 1, "work_days") == at(2, 17, 30)


def test_one_work_day_from_friday_morning_is_monday_same_time():
    assert add_duration(CAL, at(6, 10), 1, "work_days") == at(9, 10)


def test_half_work_day_spans_the_lunch_break():
    # 3.75 h: 08:30–12:00 = 3.5 h, then 13:30–13:45
    assert add_duration(CAL, at(2, 8, 30), 0.5, "work_days") == at(2, 13, 45)


def test_holiday_on_monday_pushes_to_tuesday():
    cal = WorkCalendar(holidays=frozenset({date(2026, 3, 9)}))
    assert add_duration(cal, at(6, 10), 1, "work_days") == at(10, 10)


def test_adjusted_working_saturday_is_used():
    # our own 调休: Sat 2026-10-10 is worked
    cal = WorkCalendar(workdays=frozenset({date(2026, 10, 10)}))
    assert add_duration(cal, at(9, 10, month=10), 1, "work_days") == at(10, 10, month=10)


def test_is_workday_holiday_on_weekday_is_off():
    cal = WorkCalendar(holidays=frozenset({date(2026, 3, 4)}))
    assert cal.is_workday(date(2026, 3, 4)) is False
    assert cal.is_workday(date(2026, 3, 5)) is True


def test_is_workday_adjusted_sunday_is_worked_plain_sunday_is_not():
    cal = WorkCalendar(workdays=frozenset({date(2026, 3, 8)}))
    assert cal.is_workday(date(2026, 3, 8)) is True
    assert cal.is_workday(date(2026, 3, 1)) is False


def test_two_hundred_work_days_is_exactly_forty_weeks_later():
    assert add_duration(CAL, at(2, 10), 200, "work_days") == at(2, 10, month=3) + timedelta(
        weeks=40
    )


def test_hours_unit_runs_around_the_clock():
    assert add_duration(CAL, at(6, 16), 24, "hours") == at(7, 16)


def test_days_unit_counts_calendar_days():
    assert add_duration(CAL, at(6, 16), 3, "days") == at(9, 16)


def test_unknown_unit_raises():
    with pytest.raises(ValueError, match="unknown deadline unit 'weeks'"):
        add_duration(CAL, at(2, 10), 1, "weeks")


def test_negative_amount_raises():
    with pytest.raises(ValueError, match="amount must be a finite number >= 0"):
        add_duration(CAL, at(2, 10), -1, "work_hours")


def test_naive_datetime_raises():
    with pytest.raises(ValueError, match="start must be a timezone-aware datetime"):
        add_duration(CAL, datetime(2026, 3, 2, 10), 1, "work_hours")


def test_working_seconds_between_over_a_weekend():
    assert working_seconds_between(CAL, at(6, 16), at(9, 11)) == 4 * 3600


def test_working_seconds_between_counts_whole_days_in_the_middle():
    # Mon 17:00 → Fri 09:00: 0.5 h + 3 × 7.5 h + 0.5 h
    assert working_seconds_between(CAL, at(2, 17), at(6, 9)) == 23.5 * 3600


def test_working_seconds_between_reversed_interval_is_zero():
    assert working_seconds_between(CAL, at(9, 11), at(6, 16)) == 0.0


def test_elapsed_fraction_at_eighty_percent_is_exactly_point_eight_and_green():
    # due Mon 17:30 (7.5 h); Mon 16:00 is 6 h in
    fraction = elapsed_fraction(CAL, at(2, 8, 30), at(2, 17, 30), at(2, 16), "work_days")
    assert fraction == 0.8
    assert traffic_light(fraction) == "green"


def test_elapsed_fraction_at_due_is_one_and_yellow():
    fraction = elapsed_fraction(CAL, at(2, 8, 30), at(2, 17, 30), at(2, 17, 30), "work_days")
    assert fraction == 1.0
    assert traffic_light(fraction) == "yellow"


def test_elapsed_fraction_before_start_is_zero():
    assert elapsed_fraction(CAL, at(2, 10), at(2, 14), at(2, 9), "work_hours") == 0.0


def test_elapsed_fraction_past_due_on_the_weekend_is_red():
    # due Fri 17:30, no working time has passed since, but the deadline has
    fraction = elapsed_fraction(CAL, at(6, 8, 30), at(6, 17, 30), at(7, 10), "work_days")
    assert fraction > 1.0
    assert traffic_light(fraction) == "red"


def test_elapsed_fraction_wall_units_use_clock_time():
    assert elapsed_fraction(CAL, at(7, 0), at(7, 10), at(7, 12), "hours") == 1.2


def test_traffic_light_thresholds():
    assert traffic_light(0.8) == "green"
    assert traffic_light(0.8000001) == "yellow"
    assert traffic_light(1.0) == "yellow"
    assert traffic_light(1.0000001) == "red"


def test_resume_deadline_re_adds_remaining_working_time_from_resume():
    # paused Tue 09:00 with due Wed 09:00: one working day (7.5 h) left
    new_due = resume_deadline(CAL, at(3, 9), at(5, 14), at(4, 9), "work_days")
    assert new_due == at(6, 14)


def test_resume_deadline_paused_after_due_keeps_due():
    assert resume_deadline(CAL, at(4, 10), at(5, 14), at(4, 9), "work_hours") == at(4, 9)


def test_resume_deadline_wall_units_shift_by_the_pause_length():
    assert resume_deadline(CAL, at(3, 9), at(5, 14), at(4, 9), "hours") == at(6, 14)


def test_resume_before_pause_raises():
    with pytest.raises(ValueError, match="resumed_at must not be before paused_at"):
        resume_deadline(CAL, at(5, 14), at(3, 9), at(4, 9), "hours")


def test_parse_periods_reads_the_default_text():
    assert WorkCalendar.parse_periods(" 08:30-12:00，13:30-17:30 ") == CAL.periods


def test_parse_periods_rejects_a_period_ending_before_it_starts():
    with pytest.raises(ValueError, match="12:00-08:00 must end after it starts"):
        WorkCalendar.parse_periods("12:00-08:00")


def test_parse_periods_rejects_overlapping_periods():
    with pytest.raises(ValueError, match="08:00-12:00 and 11:00-14:00 overlap"):
        WorkCalendar.parse_periods("08:00-12:00,11:00-14:00")


def test_parse_periods_rejects_unsorted_periods():
    with pytest.raises(ValueError, match="must be in time order"):
        WorkCalendar.parse_periods("13:30-17:30,08:30-12:00")


def test_parse_periods_rejects_malformed_text():
    with pytest.raises(ValueError, match="'8h-12h' is not written as HH:MM-HH:MM"):
        WorkCalendar.parse_periods("8h-12h")


def test_calendar_rejects_invalid_periods_on_construction():
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(periods=((time(8), time(12)), (time(11), time(14))))


def test_calendar_rejects_a_date_both_holiday_and_workday():
    day = date(2026, 3, 7)
    with pytest.raises(ValueError, match="both a holiday and an adjusted working day: 2026-03-07"):
        WorkCalendar(holidays=frozenset({day}), workdays=frozenset({day}))


def test_utc_input_gives_the_same_instant_as_shanghai_input():
    # Fri 16:00 Shanghai == Fri 08:00 UTC
    utc_start = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    result = add_duration(CAL, utc_start, 4, "work_hours")
    assert result == add_duration(CAL, at(6, 16), 4, "work_hours") == at(9, 11)
    assert result.tzinfo is UTC
    assert result == datetime(2026, 3, 9, 3, 0, tzinfo=UTC)
