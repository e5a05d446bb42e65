"""Indicator sources of the public side: survey satisfaction and awareness (满意率 / 知晓率).

Registered from ``PublicConfig.ready``. Over the answers to the single-choice questions of
the surveys of that kind (满意度 or 知晓率 questionnaires) submitted in the calendar year by
respondents of a district in the unit's subtree: positive answers ÷ all answers. Responses
name only the district, so a street has no value of its own; a year without answers has
no value.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.standards.sources import IndicatorSource, register

from .choices import SurveyKind

SATISFACTION = "public.survey_satisfaction"
AWARENESS = "public.survey_awareness"


def _survey_rate(kind: str) -> Any:
    def compute(unit: Any, year: int) -> tuple[Decimal, Decimal] | None:
        from .models import SurveyAnswer

        start = timezone.make_aware(datetime(year, 1, 1))
        end = timezone.make_aware(datetime(year + 1, 1, 1))
        totals = SurveyAnswer.objects.filter(
            response__survey__kind=kind,
            response__submitted_at__gte=start,
            response__submitted_at__lt=end,
            response__district__path__startswith=unit.path,
        ).aggregate(all=Count("pk"), positive=Count("pk", filter=Q(positive=True)))
        if not totals["all"]:
            return None
        return Decimal(totals["positive"]), Decimal(totals["all"])

    return compute


def register_sources() -> None:
    register(
        IndicatorSource(
            key=SATISFACTION,
            label=_("Surveys: satisfaction rate (满意率)"),
            numerator_label=_("Satisfied answers"),
            denominator_label=_("Answers"),
            compute=_survey_rate(SurveyKind.SATISFACTION),
        )
    )
    register(
        IndicatorSource(
            key=AWARENESS,
            label=_("Surveys: awareness rate (知晓率)"),
            numerator_label=_("Answers that know"),
            denominator_label=_("Answers"),
            compute=_survey_rate(SurveyKind.AWARENESS),
        )
    )
