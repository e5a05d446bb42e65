"""The ledger (问题台账) as an Excel workbook, streamed so memory stays flat at 1M rows.

Rows come from ``values_list`` through ``iterator(chunk_size=2000)`` (no model instances)
and go into openpyxl's write-only workbook on a temporary file (``lib.excel.write_xlsx``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangwei.lib.excel import write_xlsx

from .choices import ProblemSource, ProblemStatus

LEDGER_HEADERS = (
    gettext_lazy("No."),
    gettext_lazy("Problem code"),
    gettext_lazy("Source"),
    gettext_lazy("Problem category"),
    gettext_lazy("Description"),
    gettext_lazy("Address"),
    gettext_lazy("Grid"),
    gettext_lazy("Responsible unit"),
    gettext_lazy("Responsible department"),
    gettext_lazy("Reported at"),
    gettext_lazy("Dispatched at"),
    gettext_lazy("Deadline"),
    gettext_lazy("Status"),
    gettext_lazy("Closed at"),
    gettext_lazy("Closed on time"),
    gettext_lazy("Rework count"),
    gettext_lazy("Points lost"),
)
LEDGER_WIDTHS = (8, 18, 14, 16, 40, 30, 16, 16, 16, 17, 17, 17, 10, 17, 10, 10, 8)
LEDGER_FIELDS = (
    "code",
    "source",
    "category__name",
    "description",
    "address",
    "grid__name",
    "unit__name",
    "department__name",
    "reported_at",
    "dispatched_at",
    "due_at",
    "status",
    "closed_at",
    "closed_on_time",
    "rework_count",
    "points_lost",
)
CHUNK = 2000


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def ledger_rows(queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    """One list per problem in the 台账 column order, numbered from 1."""
    sources = {k: str(v) for k, v in ProblemSource.choices}
    statuses = {k: str(v) for k, v in ProblemStatus.choices}
    yes, no = _("Yes"), _("No")
    rows = queryset.values_list(*LEDGER_FIELDS).iterator(chunk_size=CHUNK)
    for number, row in enumerate(rows, start=1):
        (
            code,
            source,
            category,
            description,
            address,
            grid,
            unit,
            department,
            reported,
            dispatched,
            due,
            status,
            closed,
            on_time,
            rework,
            points,
        ) = row
        yield [
            number,
            code,
            sources.get(source, source),
            category,
            description,
            address,
            grid or "",
            unit or "",
            department or "",
            _local(reported),
            _local(dispatched),
            _local(due),
            statuses.get(status, status),
            _local(closed),
            "" if on_time is None else (yes if on_time else no),
            rework,
            float(points) if isinstance(points, Decimal) else points,
        ]


def export_ledger(queryset: QuerySet[Any], fileobj: IO[bytes] | None = None) -> IO[bytes]:
    """Write the ledger of ``queryset`` (already scoped and filtered) as .xlsx.

    Returns a rewound temporary file, or writes into ``fileobj`` and returns it.
    """
    headers = [str(h) for h in LEDGER_HEADERS]
    out = write_xlsx(
        headers, ledger_rows(queryset), sheet_title=_("Problem ledger"), widths=LEDGER_WIDTHS
    )
    if fileobj is None:
        return out
    with out:
        shutil.copyfileobj(out, fileobj)
    return fileobj


def ledger_filename() -> str:
    stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
    return f"{_('Problem ledger')}_{stamp}.xlsx"


def ledger_response(queryset: QuerySet[Any]) -> FileResponse:
    """The export download (问题台账_20260302_0900.xlsx) for the current filters."""
    return FileResponse(
        export_ledger(queryset),
        as_attachment=True,
        filename=ledger_filename(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
