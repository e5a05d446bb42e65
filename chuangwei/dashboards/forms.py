"""The dashboard's filter: a period (preset or from–until) plus the ledger's own filters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import Form
from chuangwei.reports.selectors import Period, month_of, week_of

from .selectors import GRID_METRICS

PRESETS = (
    ("month", _("This month")),
    ("week", _("This week")),
    ("last_month", _("Last month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("custom", _("Custom")),
)
METRICS = (
    ("reported", _("Reported in the period")),
    ("open", _("Open problems")),
    ("overdue", _("Overdue problems")),
)
MAX_DAYS = 366
# Parameters of the ledger FilterSet the dashboard passes on (and its figures link to).
LEDGER_PARAMS = ("category", "source", "unit")


def preset_period(name: str, today: date) -> Period:
    if name == "week":
        return week_of(today)
    if name == "last_month":
        return month_of(today.replace(day=1) - timedelta(days=1))
    if name == "quarter":
        first = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
        return Period(first, month_of(first.replace(month=first.month + 2)).end)
    if name == "year":
        return Period(today.replace(month=1, day=1), today.replace(month=12, day=31))
    return month_of(today)


class DashboardForm(Form):
    period = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    metric = forms.ChoiceField(label=_("Colour grids by"), choices=METRICS, required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        preset = data.get("period") or "month"
        if preset == "custom" or data.get("start") or data.get("end"):
            start = data.get("start") or self.today.replace(day=1)
            end = data.get("end") or self.today
            if end < start:
                self.add_error("end", _("The period must end on or after its first day."))
                return data
            if (end - start).days >= MAX_DAYS:
                self.add_error("end", _("Choose a period of at most one year."))
                return data
            data["resolved"] = Period(start, end)
        else:
            data["resolved"] = preset_period(preset, self.today)
        if data.get("metric") not in GRID_METRICS:
            data["metric"] = "reported"
        return data
