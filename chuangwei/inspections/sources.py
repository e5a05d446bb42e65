"""Indicator source of inspections: the covert-inspection score rate (暗访得分率).

Registered from ``InspectionsConfig.ready``. Over the site results of covert and mock
covert inspections (暗访 / 模拟暗访) scored in the calendar year whose site belongs to the
unit's subtree: points obtained ÷ points possible. Results not scored yet do not count; a
year without scored results has no value.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.standards.sources import IndicatorSource, register

from .choices import InspectionKind

COVERT_SCORE_RATE = "inspections.covert_score_rate"
COVERT_KINDS = (InspectionKind.COVERT, InspectionKind.MOCK_COVERT)


def covert_score_rate(unit: Any, year: int) -> tuple[Decimal, Decimal] | None:
    from .models import SiteResult

    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    totals = SiteResult.objects.filter(
        task__kind__in=COVERT_KINDS,
        scored_at__gte=start,
        scored_at__lt=end,
        site__unit__path__startswith=unit.path,
    ).aggregate(obtained=Sum("obtained"), possible=Sum("possible"))
    if not totals["possible"]:
        return None
    return Decimal(totals["obtained"] or 0), Decimal(totals["possible"])


def register_sources() -> None:
    register(
        IndicatorSource(
            key=COVERT_SCORE_RATE,
            label=_("Inspections: covert-inspection score rate (暗访得分率)"),
            numerator_label=_("Points obtained"),
            denominator_label=_("Points possible"),
            compute=covert_score_rate,
        )
    )
