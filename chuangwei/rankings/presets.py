"""Preset ranking schemes from reference/urban-management.md §3.3 (Unicom platform weights
modelled on GB/T 30428.4 region, department and post evaluation).

* 区域 (grid/community/street): 立案数分值×20% + 监督举报率分值×10% + 结案率×30% + 按期结案率×40%;
  立案数分值 banded per region class (一类区域: 0 cases → 100, <3 → 90, <5 → 75, <7 → 60,
  <9 → 40, else 0). Communities and streets hold many grids, so their bands here are the
  grid bands scaled by 10 and 40 (a local adaptation; change them per city).
* 专业部门: 立案数分值 (≤50 → 10, ≤100 → 9, ≤200 → 7.5, ≤500 → 6, ≤1000 → 4, else 0, here
  ×10 to a 0–100 score with weight 10) + 结案率×30 + 按时处置率×30 + (1 − 返工率)×30.
  按时处置率 is measured as 按期结案率 (closing by the deadline) in this platform.
* 监督员 (reporters): 有效上报率×40% + (1 − 漏报率)×20% + 按时核实率×20% + 按时核查率×20%;
  only 有效上报率 is measured so far, so it carries the whole score.
* Grades: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E < 40.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .choices import ObjectKind
from .scoring import DEFAULT_GRADES

REGION_WEIGHTS = {
    "registered_score": 20,
    "public_report_rate": 10,
    "closure_rate": 30,
    "on_time_rate": 40,
}
GRID_BANDS = [[1, 100], [3, 90], [5, 75], [7, 60], [9, 40], [9, 0]]


def _scaled(factor: int) -> list[list[int]]:
    return [[bound * factor, score] for bound, score in GRID_BANDS]


DEPARTMENT_WEIGHTS = {
    "registered_score": 10,
    "closure_rate": 30,
    "on_time_rate": 30,
    "rework_rate": 30,
}
DEPARTMENT_BANDS = [[51, 100], [101, 90], [201, 75], [501, 60], [1001, 40], [1001, 0]]

PRESETS: list[dict[str, Any]] = [
    {
        "object_kind": ObjectKind.STREET,
        "name": _("Streets (region formula)"),
        "weights": REGION_WEIGHTS,
        "count_bands": _scaled(40),
    },
    {
        "object_kind": ObjectKind.COMMUNITY,
        "name": _("Communities (region formula)"),
        "weights": REGION_WEIGHTS,
        "count_bands": _scaled(10),
    },
    {
        "object_kind": ObjectKind.GRID,
        "name": _("Grids (region formula, class 1)"),
        "weights": REGION_WEIGHTS,
        "count_bands": GRID_BANDS,
    },
    {
        "object_kind": ObjectKind.ROAD,
        "name": _("Road sections (region formula)"),
        "weights": REGION_WEIGHTS,
        "count_bands": GRID_BANDS,
    },
    {
        "object_kind": ObjectKind.SITE,
        "name": _("Sites (region formula)"),
        "weights": REGION_WEIGHTS,
        "count_bands": GRID_BANDS,
    },
    {
        "object_kind": ObjectKind.DEPARTMENT,
        "name": _("Departments (department formula)"),
        "weights": DEPARTMENT_WEIGHTS,
        "count_bands": DEPARTMENT_BANDS,
    },
    {
        "object_kind": ObjectKind.REPORTER,
        "name": _("Reporters (collector formula)"),
        "weights": {"valid_report_rate": 40},
        "count_bands": [],
    },
]


def preset_values(kind: str) -> dict[str, Any]:
    """A preset as model field values; its name in the site language (the worker and the
    demo run without a request, so English would be stored otherwise)."""
    for preset in PRESETS:
        if preset["object_kind"] == kind:
            with translation.override(settings.LANGUAGE_CODE):
                name = str(preset["name"])
            return {
                "name": name,
                "object_kind": kind,
                "weights": dict(preset["weights"]),
                "count_bands": [list(b) for b in preset["count_bands"]],
                "grade_bands": [list(b) for b in DEFAULT_GRADES],
            }
    raise KeyError(kind)
