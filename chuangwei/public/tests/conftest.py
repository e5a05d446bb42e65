"""Public-side fixtures: the ledger's small city plus citizen categories, a clean rate
limit cache and no minimum fill time (tests post at once)."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.problems.tests.conftest import IN_A, IN_B, MONDAY_9, ledger, report  # noqa: F401


@pytest.fixture(autouse=True)
def _clean_cache(settings: Any) -> Any:
    from django.core.cache import cache

    settings.CHUANGWEI_PUBLIC_MIN_FILL_SECONDS = 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public(ledger: dict[str, Any]) -> dict[str, Any]:
    from chuangwei.public.models import PublicCategory

    cat = PublicCategory.objects.create(
        category=ledger["category"], name="暴露垃圾", icon="bi-trash", needs_verification=True
    )
    return {**ledger, "public_category": cat}
