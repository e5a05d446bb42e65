"""The demo's public side: categories, ratings, an exposure board, a survey and a poll."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.demo.problems import build_demo_problems
from chuangwei.demo.public import BALLOTS, SURVEY_RESPONSES, build_demo_public
from chuangwei.public.models import (
    CitizenReport,
    Exposure,
    PollBallot,
    PublicCategory,
    SatisfactionRating,
    SurveyResponse,
)
from chuangwei.public.selectors import survey_results

from .test_demo_problems import NOW, SMALL


@pytest.fixture
def built(db: Any, settings: Any, tmp_path: Any) -> dict[str, int]:
    from chuangwei.demo.generator import build_demo_city

    settings.MEDIA_ROOT = tmp_path
    build_demo_city(seed=7, sites=300, problems=False)
    build_demo_problems(**SMALL)
    return build_demo_public(seed=7, now=NOW)


def test_demo_public_side_has_every_part(built: dict[str, int]) -> None:
    assert PublicCategory.objects.count() == built["categories"] >= 8
    assert CitizenReport.objects.count() == built["citizen_reports"] > 0
    assert SatisfactionRating.objects.count() == built["ratings"] > 0
    assert Exposure.objects.filter(status="approved").count() >= 3
    assert SurveyResponse.objects.count() == SURVEY_RESPONSES
    assert PollBallot.objects.count() == BALLOTS


def test_demo_survey_has_results_in_several_districts(built: dict[str, int]) -> None:
    from chuangwei.public.models import Survey

    results = survey_results(Survey.objects.get())
    assert len(results.rows) >= 2
    assert results.total.responses == SURVEY_RESPONSES
