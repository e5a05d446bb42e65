"""Widgets for hot pages.

Django renders every ``<option>`` of a select through a template, which costs ~0.1 ms an
option; list pages with unit, grid and category filters have hundreds of options on every
request. ``FastSelect`` builds the same HTML in Python, and keeps the options of model selects
for CHOICES_TTL_S seconds per process (a new unit or grid shows up in filters within a minute).
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# (model, SQL) -> (expires, [(value, label), ...]); options of model selects are the same for
# every request with the same queryset, so they are built at most once a minute per process.
CHOICES_TTL_S = 60
_choices_cache: dict[tuple[str, str, str], tuple[float, list[tuple[str, str]]]] = {}


def _cached_choices(choices: Any) -> Any:
    queryset = getattr(choices, "queryset", None)
    field = getattr(choices, "field", None)
    if queryset is None or field is None:
        return choices
    key = (queryset.model._meta.label, str(queryset.query), str(field.empty_label))
    now = time.monotonic()
    hit = _choices_cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    built = [(str(getattr(v, "value", v)), str(label)) for v, label in choices]
    if len(_choices_cache) > 256:
        _choices_cache.clear()
    _choices_cache[key] = (now + CHOICES_TTL_S, built)
    return built


class FastSelectMixin:
    allow_multiple_selected: bool

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        values = self.format_value(value)  # type: ignore[attr-defined]
        selected = {str(v) for v in values}
        parts = [format_html("<select{}>", flatatt(final))]
        for option_value, option_label in _cached_choices(self.choices):  # type: ignore[attr-defined]
            if isinstance(option_label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(self._option(v, label, selected) for v, label in option_label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, option_label, selected))
        parts.append("</select>")
        return mark_safe("".join(parts))

    @staticmethod
    def _option(value: Any, label: Any, selected: set[str]) -> str:
        raw = "" if value is None else str(getattr(value, "value", value))
        flag = " selected" if raw in selected else ""
        return (
            f'<option value="{conditional_escape(raw)}"{flag}>{conditional_escape(label)}</option>'
        )


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass
