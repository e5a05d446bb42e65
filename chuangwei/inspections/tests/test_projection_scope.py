"""The projection reads only the results its reader may see (docs/inspections.md: "results,
projection and patrol coverage within their scope")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chuangwei.inspections import selectors
from chuangwei.problems.tests.conftest import MONDAY_9

pytestmark = pytest.mark.django_db
NOW = MONDAY_9 + timedelta(days=1)


def sites(results: Any) -> list[str]:
    return sorted(results.values_list("site__code", flat=True))


def test_city_wide_staff_project_from_every_site(finished: Any, insp: dict[str, Any]) -> None:
    assert sites(selectors.latest_results(days=30, now=NOW, user=insp["office"])) == ["S-A", "S-B"]


def test_a_street_handler_projects_from_the_street_sites(
    finished: Any, insp: dict[str, Any]
) -> None:
    assert sites(selectors.latest_results(days=30, now=NOW, user=insp["handler_b"])) == ["S-B"]


def test_a_unit_path_narrows_to_the_unit(finished: Any, insp: dict[str, Any]) -> None:
    path = insp["street_a"].path
    assert sites(selectors.latest_results(days=30, now=NOW, unit_path=path)) == ["S-A"]
