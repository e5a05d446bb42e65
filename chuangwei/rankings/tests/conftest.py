"""A small constructed history, played through the problem services with a fixed clock.

All in 2026, Asia/Shanghai. Grid GA belongs to 甲一社区 (甲街道), GB to 乙一社区 (乙街道).
Every problem sits at its own point (≥ 90 m apart) so none is linked as a recurrence
except P13, reported on P1's spot after P1 was closed.

P1  GA  dispatched 03-02 09:30 due 03-03, submitted 15:00, closed 16:00 (on time), 2.5 points
P2  GA  dispatched 03-03 09:10 due 03-03 17:00, paused 10:00–03-05 10:00, submitted 11:00,
        closed 12:00 (on time thanks to the stopped clock)
P3  GA  dispatched 03-04 09:10 due 17:00, submitted 11:00, rework 12:00, submitted 03-05
        09:00 (late), closed 10:00
P4  GA  dispatched 03-09 09:10, submitted 11:00, closed 12:00 (on time), reopened 03-10 09:00
        (new deadline from the calendar, long past at the month end)
P5  GA  accepted 03-11 10:00, merged into P6 at 11:00
P6  GA  dispatched 03-11 09:10 due 03-12 09:00, extension asked 04-01 and granted 04-02;
        1 point lost
P7  GA  citizen report 03-12 08:00, confirmed 08:30, dispatched 09:00 due 03-13, submitted
        15:00, closed 04-02
P8  GA  dispatched 03-31 23:30 (the last half hour of March) due 04-02
P9  GB  reported 03-31 23:50, dispatched 04-01 00:10 (April)
P10 GB  dispatched 02-28 23:59 due 03-01 09:00 (February; overdue through March)
P11 GA  reported 03-13, voided
P12 GA  dispatched 03-16 09:10 due 03-17, submitted 11:00, closed 12:00 (on time), reopened
        04-03, submitted 04-20 (late), closed 04-21
P13 GA  reported on P1's spot 03-20 09:00 (recurrence of P1), accepted 09:30
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from chuangwei.problems import services
from chuangwei.problems.tests.conftest import ledger, report  # noqa: F401
from chuangwei.problems.tests.images import make_jpeg, uploaded

SH = ZoneInfo("Asia/Shanghai")
JPEG = make_jpeg(96, 72, text="fix")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


def spot(n: int, grid: str = "GA") -> tuple[float, float]:
    base = 117.301 if grid == "GA" else 117.321
    return (base + 0.001 * n, 34.81)


def photo() -> services.Upload:
    return services.Upload(uploaded(JPEG))


@pytest.fixture
def history(ledger: dict[str, Any], report: Any) -> dict[str, Any]:  # noqa: F811
    office, handler, inspector = ledger["office"], ledger["handler_a"], ledger["inspector"]
    handler_b = ledger["handler_b"]

    def dispatch(p: Any, when: datetime, due: datetime) -> None:
        services.dispatch_problem(p, by=office, due_at=due, now=when)

    def submit(p: Any, when: datetime, by: Any = handler) -> None:
        services.submit_rectification(p, by=by, note="已整改", uploads=[photo()], now=when)

    def close(p: Any, when: datetime) -> None:
        services.verify_pass(p, by=inspector, now=when)

    p = {}
    p[1] = report(at=at(3, 2, 9), point=spot(1), points_lost=Decimal("2.5"))
    dispatch(p[1], at(3, 2, 9, 30), at(3, 3, 9, 30))
    submit(p[1], at(3, 2, 15))
    close(p[1], at(3, 2, 16))

    p[2] = report(at=at(3, 3, 9), point=spot(2))
    dispatch(p[2], at(3, 3, 9, 10), at(3, 3, 17))
    services.request_pause(p[2], by=handler, note="等待施工", now=at(3, 3, 9, 50))
    services.approve_pause(p[2], by=office, now=at(3, 3, 10))
    services.resume_problem(p[2], by=office, now=at(3, 5, 10))
    submit(p[2], at(3, 5, 11))
    close(p[2], at(3, 5, 12))

    p[3] = report(at=at(3, 4, 9), point=spot(3))
    dispatch(p[3], at(3, 4, 9, 10), at(3, 4, 17))
    submit(p[3], at(3, 4, 11))
    services.verify_fail(p[3], by=inspector, note="仍有垃圾", now=at(3, 4, 12))
    submit(p[3], at(3, 5, 9))
    close(p[3], at(3, 5, 10))

    p[4] = report(at=at(3, 9, 9), point=spot(4))
    dispatch(p[4], at(3, 9, 9, 10), at(3, 10, 9))
    submit(p[4], at(3, 9, 11))
    close(p[4], at(3, 9, 12))
    services.reopen_problem(p[4], by=office, note="群众不满意", now=at(3, 10, 9))

    p[6] = report(at=at(3, 11, 9), point=spot(6), points_lost=Decimal("1"))
    dispatch(p[6], at(3, 11, 9, 10), at(3, 12, 9))
    p[5] = report(at=at(3, 11, 9, 30), point=spot(5))
    services.accept_problem(p[5], by=office, now=at(3, 11, 10))
    services.merge_problem(p[5], into=p[6], by=office, now=at(3, 11, 11))

    p[7] = report(at=at(3, 12, 8), point=spot(7), source="citizen")
    services.confirm_report(p[7], by=ledger["grid_worker"], now=at(3, 12, 8, 30))
    dispatch(p[7], at(3, 12, 9), at(3, 13, 9))
    submit(p[7], at(3, 12, 15))

    p[8] = report(at=at(3, 31, 23), point=spot(8))
    dispatch(p[8], at(3, 31, 23, 30), at(4, 2, 9))

    p[9] = report(at=at(3, 31, 23, 50), point=spot(9, "GB"), by="office")
    dispatch(p[9], at(4, 1, 0, 10), at(4, 3, 9))

    p[10] = report(at=at(2, 28, 23, 30), point=spot(10, "GB"), by="office")
    dispatch(p[10], at(2, 28, 23, 59), at(3, 1, 9))

    p[11] = report(at=at(3, 13, 9), point=spot(11))
    services.void_problem(p[11], by=office, note="重复上报", now=at(3, 13, 10))

    p[12] = report(at=at(3, 16, 9), point=spot(12))
    dispatch(p[12], at(3, 16, 9, 10), at(3, 17, 9))
    submit(p[12], at(3, 16, 11))
    close(p[12], at(3, 16, 12))

    p[13] = report(at=at(3, 20, 9), point=spot(1))
    services.accept_problem(p[13], by=office, now=at(3, 20, 9, 30))

    # April: events after the March period end.
    close(p[7], at(4, 2, 10))
    services.request_extension(
        p[6], by=handler, requested_due_at=at(4, 30, 9), note="需采购", now=at(4, 1, 9)
    )
    services.approve_extension(p[6], by=office, now=at(4, 2, 9))
    services.reopen_problem(p[12], by=office, note="再次出现", now=at(4, 3, 9))
    submit(p[12], at(4, 20, 9))
    close(p[12], at(4, 21, 9))
    del handler_b
    return {**ledger, "p": p}


@pytest.fixture
def march() -> tuple[datetime, datetime]:
    return at(3, 1, 0), at(4, 1, 0)


def shift(moment: datetime, **kwargs: Any) -> datetime:
    return moment + timedelta(**kwargs)
