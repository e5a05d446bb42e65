"""Demo indicators (issue 14, item 2): a local, published copy of the 2021 standard with
indicators — five computed by the platform (closure and on-time rates, the covert-inspection
score rate, survey satisfaction and awareness) and four entered with their numbers — and
values for the city and its districts for 2024–2026, a few of them red.

Deterministic for a seed and fast (one recompute per year). The thresholds of the entered
indicators are the 2014 edition's (sanitary-city-standard.md §3.1) and say so; those of the
computed ones are the demo city's own targets (本市目标), marked as such.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit

from . import services
from .choices import VersionStatus
from .models import Indicator, IndicatorValue, StandardClause, StandardVersion

DEMO_CODE = "GWS-2021-LOCAL"
DEMO_NAME = "国家卫生城市标准(2021版)本市测评细则（演示）"
YEARS = (2024, 2025, 2026)
LOCAL = "本市目标（演示数据），非国家标准原文"
S2014 = "sanitary-city-standard.md §3.1（2014版必备条件的阈值，2021版阈值待本市据正式文本补录）"

# code, name, unit, comparator, threshold, computed_by, numerator, denominator, source
INDICATORS = (
    ("L-01", "问题结案率", "%", "gte", "90", "problems.closure_rate", "", "", LOCAL),
    ("L-02", "问题按期结案率", "%", "gte", "85", "problems.on_time_rate", "", "", LOCAL),
    ("L-03", "暗访得分率", "%", "gte", "85", "inspections.covert_score_rate", "", "", LOCAL),
    ("L-04", "群众对卫生状况满意率", "%", "gte", "90", "public.survey_satisfaction", "", "", S2014),
    ("L-05", "健康知识知晓率", "%", "gte", "80", "public.survey_awareness", "", "", LOCAL),
    (
        "L-11",
        "生活垃圾无害化处理率",
        "%",
        "gte",
        "90",
        "",
        "生活垃圾无害化处理量（吨）",
        "生活垃圾产生量（吨）",
        S2014,
    ),
    (
        "L-12",
        "生活污水集中处理率",
        "%",
        "gte",
        "85",
        "",
        "集中处理的生活污水量（万吨）",
        "生活污水排放总量（万吨）",
        S2014,
    ),
    (
        "L-13",
        "建成区绿化覆盖率",
        "%",
        "gte",
        "36",
        "",
        "建成区绿化覆盖面积（公顷）",
        "建成区面积（公顷）",
        S2014,
    ),
    ("L-14", "空气质量优良天数", "天", "gte", "300", "", "AQI≤100的天数", "", S2014),
)

# The demo city's own veto articles (一票否决), kept as articles of its local copy: the 2014
# prerequisites 8 and 9 (sanitary-city-standard.md §3.1), which local speeches still treat as
# vetoes under the 2021 edition (§3.3, unconfirmed in the 2021 text).
VETO_SOURCE = "sanitary-city-standard.md §3.1 第8、9项（2014版必备条件）；§3.3 2021版仍见于地方讲话"
VETO_ARTICLES = (
    ("六", "（本市1）", "近3年无重大食品安全事故"),
    ("七", "（本市2）", "近3年无因防控不力导致的甲、乙类传染病暴发流行"),
)

# Entered values: (base rate or days, yearly gain); a few units in a few years fall short.
ENTERED = {
    "L-11": (Decimal("91"), Decimal("2")),
    "L-12": (Decimal("86"), Decimal("1.5")),
    "L-13": (Decimal("36.5"), Decimal("0.6")),
    "L-14": (Decimal("304"), Decimal("5")),
}


@dataclass(repr=False)
class DemoIndicators:
    version: StandardVersion | None = None
    entered: int = 0
    computed: int = 0
    red: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.entered} entered and {self.computed} computed indicator values, "
            f"{len(self.red)} red"
        )

    __repr__ = __str__


def demo_version() -> StandardVersion | None:
    return StandardVersion.objects.filter(code=DEMO_CODE).first()


def _make_version(by: Any) -> StandardVersion | None:
    base = StandardVersion.objects.filter(code="GWS-2021").first()
    if base is None:
        return None
    version = services.copy_standard_version(base, code=DEMO_CODE, name=DEMO_NAME, by=by)
    version.note = (
        "演示用本市测评细则：2021版标准的条款树加上本市指标。计算指标由平台按年重算"
        "（问题台账、暗访、问卷），录入指标附佐证材料。" + (base.note and f" 原版说明：{base.note}")
    )[:4000]
    services.save_standard_version(version, by=by)
    for aspect_number, number, title in VETO_ARTICLES:
        aspect = StandardClause.objects.filter(
            version=version, level="aspect", number=aspect_number
        ).first()
        if aspect is None:
            continue
        services.save_standard_clause(
            StandardClause(
                version=version,
                parent=aspect,
                level="article",
                number=number,
                title=title,
                is_veto=True,
                sort_order=900,
                source=VETO_SOURCE,
                note="本市作为一票否决项管理（演示数据）；2021版条款原文待本市据正式文本补录。",
            ),
            by=by,
        )
    for code, name, unit, comparator, threshold, key, num, den, source in INDICATORS:
        services.save_indicator(
            Indicator(
                version=version,
                code=code,
                name=name,
                unit=unit,
                comparator=comparator,
                threshold=Decimal(threshold),
                computed_by=key,
                numerator_label=num,
                denominator_label=den,
                source=source,
                # Resident satisfaction ≥90 % was a 2014 prerequisite (§3.1 item 11).
                is_veto=code == "L-04",
                note="" if key else "演示数据：数值为虚构。",
            ),
            by=by,
        )
    return services.publish_standard_version(version, by=by)


def build_demo_indicators(*, seed: int = 2026, by: Any = None) -> DemoIndicators:
    """Create the demo version (once) and its values for the city and districts for
    2024–2026; computed values come from the platform's sources (recomputed per year)."""
    made = DemoIndicators()
    version = demo_version() or _make_version(by)
    if version is None:
        return made
    made.version = version
    rng = random.Random(seed)
    units = list(
        OrgUnit.objects.filter(kind__in=(OrgUnitKind.CITY, OrgUnitKind.DISTRICT)).order_by("path")
    )
    indicators = {i.code: i for i in Indicator.objects.filter(version=version)}
    existing = set(
        IndicatorValue.objects.filter(indicator__version=version).values_list(
            "indicator_id", "unit_id", "year"
        )
    )
    for code, (base, gain) in ENTERED.items():
        indicator = indicators[code]
        for index, unit in enumerate(units):
            for step, year in enumerate(YEARS):
                if (indicator.pk, unit.pk, year) in existing:
                    continue
                # One district lags behind on each indicator in the first years: a few reds.
                lagging = (index + int(code[-1])) % 5 == 0 and step < 2
                lag = gain * 3 if lagging else Decimal(0)
                noise = Decimal(rng.randint(-5, 5)) / 10
                level = base + gain * step - lag + noise
                if indicator.denominator_label:
                    denominator = Decimal(1000 + 100 * index)
                    numerator = (denominator * level / 100).quantize(Decimal("0.01"))
                else:
                    denominator = None
                    numerator = level.quantize(Decimal("1"))
                services.save_indicator_value(
                    IndicatorValue(
                        indicator=indicator,
                        year=year,
                        unit=unit,
                        numerator=numerator,
                        denominator=denominator,
                        note="演示数据",
                    ),
                    by=by,
                )
                made.entered += 1
                rate = level if denominator else numerator
                if rate < indicator.threshold:
                    made.red.append(f"{code} {unit.name} {year}")
    if version.status != VersionStatus.RETIRED:
        for year in YEARS:
            result = services.recompute_indicator_values(version, year, units, actor=by)
            made.computed += result.written + result.unchanged
    return made
