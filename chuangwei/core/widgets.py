"""Widgets for hot pages.

Django renders every ``<option>`` of a select through a template, which costs ~0.1 ms an
option; list pages with unit, grid and category filters have hundreds of options on every
request. ``FastSelect`` builds the same HTML in Python, and keeps the options of model selects
for CHOICES_TTL_S seconds per process (a new unit or grid shows up in filters within a minute).
``FastInputMixin`` does the same for one-line inputs (text, date, number): Django's input
template and its attribute loop cost ~0.5 ms a field, a filter form has a dozen. ``fast()``
gives any select or input widget its fast class.
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
        if isinstance(values, str):  # NullBooleanSelect: "true", "false" or "unknown"
            values = ["" if values == "unknown" else values]
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


class FastInputMixin:
    """``<input type name value attrs>`` as Django's input template writes it."""

    input_type: str

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)  # type: ignore[attr-defined]
        shown = self.format_value(value)  # type: ignore[attr-defined]
        value_attr = format_html(' value="{}"', shown) if shown is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, value_attr, flatatt(final)
        )


_fast_classes: dict[type, type] = {
    forms.Select: FastSelect,
    forms.SelectMultiple: FastSelectMultiple,
}


def fast(widget: forms.Widget) -> forms.Widget:
    """The widget with a class that renders in Python, when it is a select or a plain input.

    The widget's state (choices, attrs, formats) stays; file, checkbox and hidden inputs and
    multi-widgets keep Django's templates."""
    cls = type(widget)
    if issubclass(cls, (FastSelectMixin, FastInputMixin)):
        return widget
    if issubclass(cls, forms.Select):  # also SelectMultiple and NullBooleanSelect
        mixin: type = FastSelectMixin
    elif issubclass(cls, forms.widgets.Input) and not issubclass(
        cls, (forms.FileInput, forms.HiddenInput, forms.CheckboxInput)
    ):
        mixin = FastInputMixin
    else:
        return widget
    fast_cls = _fast_classes.get(cls)
    if fast_cls is None:
        fast_cls = _fast_classes[cls] = type(f"Fast{cls.__name__}", (mixin, cls), {})
    widget.__class__ = fast_cls
    return widget
