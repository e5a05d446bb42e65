"""Public-side fixtures: the ledger's small city plus citizen categories, a clean rate
limit cache and no minimum fill time (tests post at once)."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.problems.tests.conftest import IN_A, MONDAY_9, ledger, report  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_cache(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Empty caches and a stopped rate-limit clock (a counter must not reset mid-test
    because a one-minute window ended)."""
    from types import SimpleNamespace

    import django_ratelimit.core
    from django.core.cache import cache

    settings.CHUANGWEI_PUBLIC_MIN_FILL_SECONDS = 0
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1_800_000_000))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public(ledger: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    from chuangwei.public.models import PublicCategory

    cat = PublicCategory.objects.create(
        category=ledger["category"], name="暴露垃圾", icon="bi-trash", needs_verification=True
    )
    return {**ledger, "public_category": cat}


JPEG = None


def photo() -> Any:
    from chuangwei.problems.services import Upload
    from chuangwei.problems.tests.images import make_jpeg, uploaded

    global JPEG
    if JPEG is None:
        JPEG = make_jpeg(96, 72, text="p")
    return Upload(uploaded(JPEG))


@pytest.fixture
def citizen_report(public: dict[str, Any]) -> Any:
    """Report as a citizen through the public service (defaults: in grid GA, a photo)."""
    from chuangwei.public import services

    def make(**kwargs: Any) -> Any:
        values: dict[str, Any] = {
            "public_category": public["public_category"],
            "lng": IN_A[0],
            "lat": IN_A[1],
            "uploads": [photo()],
            "now": MONDAY_9,
        }
        values.update(kwargs)
        return services.submit_citizen_report(**values)

    return make


@pytest.fixture
def close() -> Any:
    """Drive a citizen report through confirm, dispatch, fix (with an after-photo), close."""
    from datetime import timedelta

    from chuangwei.problems import services

    def run(problem: Any, who: dict[str, Any], at: Any = None) -> Any:
        at = at or MONDAY_9 + timedelta(minutes=5)
        if problem.status == "verifying_report":
            services.confirm_report(problem, by=who["grid_worker"], now=at)
        services.dispatch_problem(problem, by=who["office"], now=at + timedelta(minutes=1))
        services.submit_rectification(
            problem,
            by=who["handler_a"],
            note="已清理完毕",
            uploads=[photo()],
            now=at + timedelta(minutes=30),
        )
        services.verify_pass(problem, by=who["inspector"], now=at + timedelta(hours=1))
        problem.refresh_from_db()
        return problem

    return run
