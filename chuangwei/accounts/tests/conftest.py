"""Account fixtures: an empty cache for each test (the per-address sign-in counter lives
there) and a stopped rate-limit clock, so a window cannot end mid-test."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _clean_cache(monkeypatch: pytest.MonkeyPatch) -> Any:
    from types import SimpleNamespace

    import django_ratelimit.core
    from django.core.cache import cache

    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: 1_800_000_000))
    cache.clear()
    yield
    cache.clear()
