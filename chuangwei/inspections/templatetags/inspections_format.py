"""Template filters of the inspection pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from chuangwei.inspections.scoring import format_points

register = template.Library()


@register.filter(name="points")
def points(value: Any) -> str:
    """Points without trailing zeros: 30, 9.5; "--" when unknown (the one formatting helper)."""
    return format_points(value)


@register.filter(name="cite")
def cite(value: Any) -> str:
    """Sheets loaded before the data named the reference file: show a citation, not a path."""
    return str(value or "").replace("reference/sanitary-city-standard.md", _("Reference material"))
