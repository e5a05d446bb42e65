"""Reads the dashboard's query string into a scoped, filtered ledger queryset and a period."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.problems.filters import ProblemFilter
from chuangwei.problems.models import Problem

from .forms import LEDGER_PARAMS, DashboardForm
from .selectors import DashboardQuery


def read_query(request: HttpRequest, data: QueryDict | None = None) -> tuple[QuerySet[Problem], DashboardQuery, DashboardForm, ProblemFilter]:  # fmt: skip
    """Raises InvalidInput (with the fields at fault) for a bad period or filter."""
    data = data if data is not None else request.GET
    form = DashboardForm(data, today=timezone.localdate())
    ledger_data = QueryDict(mutable=True)
    for key in LEDGER_PARAMS:
        if data.get(key):
            ledger_data[key] = data[key]
    visible = Problem.objects.visible_to(request.user)
    filterset = ProblemFilter(ledger_data, queryset=visible, request=request)
    errors: dict[str, list[Any]] = {}
    if not form.is_valid():
        errors.update({k: list(v) for k, v in form.errors.items()})
    if not filterset.is_valid():
        errors.update({k: list(v) for k, v in filterset.errors.items()})
    if errors:
        raise InvalidInput(_("The filters are not valid."), fields=errors)
    query = DashboardQuery(
        period=form.cleaned_data["resolved"],
        params={k: ledger_data[k] for k in LEDGER_PARAMS if k in ledger_data},
        metric=form.cleaned_data["metric"],
    )
    return filterset.qs, query, form, filterset
