"""Template helpers: badges, cells, form fields, number formatting and masking."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms, template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from chuangwei.core.tables import cell_html, group_digits

register = template.Library()


@register.simple_tag
def badge(text: Any, color: str = "secondary") -> SafeString:
    """A status tag: the text always shows; the colour only supports it."""
    text_class = "text-bg-" + (color or "secondary")
    return format_html('<span class="badge {}">{}</span>', text_class, text)


register.filter("group_digits", group_digits)


@register.filter
def mask_phone(value: Any) -> str:
    """13812341234 → 138****1234."""
    text = str(value or "")
    if len(text) >= 7:
        return text[:3] + "****" + text[-4:]
    return text


@register.filter
def as_local(value: Any) -> str:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return date_format(value, "Y-m-d")
    return "" if value is None else str(value)


@register.simple_tag
def render_cell(cell: dict[str, Any], url: str = "") -> SafeString:
    return cell_html(cell, url)


@register.simple_tag
def field(bound: forms.BoundField, inline: bool = False) -> SafeString:
    """A form field with Bootstrap classes: label, widget, help and errors from
    ``core/_field.html``; an inline select or input (filter forms) is only its widget, so it
    skips that template."""
    context = _field_context(bound, inline)
    if inline and context["kind"] != "check":
        return bound.as_widget()
    return get_template("core/_field.html").render(context)


def _field_context(bound: forms.BoundField, inline: bool) -> dict[str, Any]:
    widget = bound.field.widget
    if isinstance(widget, (forms.CheckboxInput,)):
        kind = "check"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        kind = "select"
    else:
        kind = "input"
    css = {"check": "form-check-input", "select": "form-select", "input": "form-control"}[kind]
    if inline:
        css += (
            " form-control-sm" if kind == "input" else " form-select-sm" if kind == "select" else ""
        )
    if bound.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = f"{existing} {css}".strip() if css not in existing else existing
    return {"field": bound, "kind": kind, "inline": inline}


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


@register.filter
def page_window(page: Any) -> list[int | None]:
    """Page numbers to show: 1 … 4 5 6 … 50 (None marks a gap)."""
    last = page.paginator.num_pages
    current = page.number
    numbers = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    previous = 0
    for n in numbers:
        if n - previous > 1:
            out.append(None)
        out.append(n)
        previous = n
    return out
