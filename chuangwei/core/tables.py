"""Declarative table columns shared by list pages and their Excel export."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_LABELS: dict[tuple[type, str], dict[Any, Any] | None] = {}


def choice_label(obj: Any, field_name: str) -> Any:
    """``obj.get_<field>_display()`` through a per-field dict: Django's version hashes the
    whole choice list on every call, which showed up on every row of every list page."""
    key = (type(obj), field_name)
    if key not in _LABELS:
        try:
            field = obj._meta.get_field(field_name)
        except (AttributeError, LookupError):
            _LABELS[key] = None
        else:
            _LABELS[key] = dict(field.flatchoices) if field.choices else None
    labels = _LABELS[key]
    value = getattr(obj, field_name)
    if labels is None:
        getter = getattr(obj, f"get_{field_name}_display", None)
        return getter() if getter is not None else value
    label = labels.get(value, value)
    return str(label) if label is not None and not isinstance(label, (int, float)) else label


@dataclass(frozen=True)
class Column:
    """One column: ``key`` is a dotted attribute path or the name of a method.

    ``kind`` picks rendering: text, number, badge (choices with ``colors``), date,
    datetime, bool. ``link`` makes the cell link to the row's detail page.
    """

    key: str
    label: Any
    kind: str = "text"
    colors: Mapping[Any, str] | None = None
    link: bool = False
    export: bool = True
    truncate: int = 0
    getter: Callable[[Any], Any] | None = None

    def _parent(self, obj: Any) -> Any:
        for part in self.key.split(".")[:-1]:
            if obj is None:
                return None
            obj = getattr(obj, part)
        return obj

    def raw(self, obj: Any) -> Any:
        if self.getter is not None:
            return self.getter(obj)
        parent = self._parent(obj)
        if parent is None:
            return None
        value = getattr(parent, self.key.split(".")[-1])
        if hasattr(value, "all"):  # many-to-many manager
            return "、".join(str(v) for v in value.all())
        if callable(value):
            value = value()
        return value

    def display(self, obj: Any) -> Any:
        if self.kind == "badge" and self.getter is None:
            parent = self._parent(obj)
            if parent is not None:
                return choice_label(parent, self.key.split(".")[-1])
        return self.raw(obj)

    def cell(self, obj: Any) -> dict[str, Any]:
        value = self.raw(obj)
        text = self.display(obj)
        color = ""
        if self.kind == "badge" and self.colors is not None:
            color = self.colors.get(value, "secondary")
        return {"value": value, "text": text, "color": color, "column": self}

    def export_value(self, obj: Any) -> Any:
        value = self.display(obj)
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None)
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, date):
            return value
        if value is None or isinstance(value, (int, float)):
            return value
        return str(value)


def export_rows(columns: Sequence[Column], objects: Iterable[Any]) -> Iterable[list[Any]]:
    exportable = [c for c in columns if c.export]
    for obj in objects:
        yield [c.export_value(obj) for c in exportable]


def format_cell_date(value: Any) -> str:
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, date):
        return date_format(value, "Y-m-d")
    return ""


def group_digits(value: Any) -> str:
    """12345 → 12,345 (years and ids are never passed here)."""
    if value is None or value == "":
        return "--"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value:,}"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


def cell_html(cell: Mapping[str, Any], url: str = "") -> SafeString:
    """A cell's content: badge, yes/no, local date, grouped number or text (``--`` if empty),
    truncated with the full text as its title, linked to the row when the column links."""
    column = cell["column"]
    value = cell["value"]
    text = cell["text"]
    if column.kind == "badge":
        if value in (None, ""):
            return mark_safe("--")
        return format_html(
            '<span class="badge {}">{}</span>', "text-bg-" + (cell["color"] or "secondary"), text
        )
    if column.kind == "bool":
        return format_html(
            '<span class="badge {}">{}</span>',
            "text-bg-success" if value else "text-bg-light border",
            _("Yes") if value else _("No"),
        )
    if column.kind in ("date", "datetime"):
        shown: Any = format_cell_date(value) or str("" if value is None else value) or "--"
    elif column.kind == "number":
        shown = group_digits(value)
    else:
        shown = "--" if text in (None, "") else text
    if column.truncate and isinstance(shown, str) and len(shown) > column.truncate:
        short = shown[: column.truncate] + "…"
        if column.link and url:
            return format_html('<a href="{}" title="{}">{}</a>', url, shown, short)
        return format_html('<span title="{}">{}</span>', shown, short)
    if column.link and url:
        return format_html('<a href="{}">{}</a>', url, shown)
    return format_html("{}", shown)


def cell_class(column: Column) -> str:
    """The ``<td>`` class of a column's cells."""
    if column.kind == "number":
        return "text-end font-monospace-num"
    if column.kind in ("datetime", "deadline"):
        return "text-nowrap"
    return ""
