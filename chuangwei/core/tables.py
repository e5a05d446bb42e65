"""Declarative table columns shared by list pages and their Excel export."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

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
