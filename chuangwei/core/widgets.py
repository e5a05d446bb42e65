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

# (model, SQL, empty label) -> (expires, options, all options joined); options of model selects
# are the same for every request with the same queryset, so they are built, escaped and
# joined at most once a minute per process and a request only marks the selected ones.
CHOICES_TTL_S = 60
Option = tuple[str, str, str]  # raw value, escaped value, escaped label
_choices_cache: dict[tuple[str, str, str], tuple[float, list[Option], str]] = {}


def _option_html(value: str, label: str, selected: bool) -> str:
    return f'<option value="{value}"{" selected" if selected else ""}>{label}</option>'


def _escaped(value: Any, label: Any) -> Option:
    raw = "" if value is None else str(getattr(value, "value", value))
    return raw, str(conditional_escape(raw)), str(conditional_escape(label))


def _cached_options(choices: Any) -> tuple[list[Option], str] | None:
    """The escaped options and their joined HTML, for a model select; None for plain choices."""
    queryset = getattr(choices, "queryset", None)
    field = getattr(choices, "field", None)
    if queryset is None or field is None:
        return None
    key = (queryset.model._meta.label, str(queryset.query), str(field.empty_label))
    now = time.monotonic()
    hit = _choices_cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1], hit[2]
    options = [_escaped(v, label) for v, label in choices]
    joined = "".join(_option_html(value, label, False) for _raw, value, label in options)
    if len(_choices_cache) > 256:
        _choices_cache.clear()
    _choices_cache[key] = (now + CHOICES_TTL_S, options, joined)
    return options, joined


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
        cached = _cached_options(self.choices)  # type: ignore[attr-defined]
        if cached is not None:
            options, joined = cached
            if selected - {""}:
                parts.extend(
                    _option_html(value, label, raw in selected) for raw, value, label in options
                )
            else:
                parts.append(
                    joined.replace('value="">', 'value="" selected>', 1)
                    if "" in selected
                    else joined
                )
        else:
            for option_value, option_label in self.choices:  # type: ignore[attr-defined]
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
        raw, escaped_value, escaped_label = _escaped(value, label)
        return _option_html(escaped_value, escaped_label, raw in selected)


class FastSelect(FastSelectMixin, forms.Select):
    pass


class FastSelectMultiple(FastSelectMixin, forms.SelectMultiple):
    pass
