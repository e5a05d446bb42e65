"""Reads behind the GeoReport v2 endpoints: services, definitions and request rows.

The request list is one bounded query over indexed columns (``reported_at``, ``status``,
``category``) plus at most three small queries for the page (photos, and with
``extensions=true`` the public events and the Open311 attributes). No COUNT.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from chuangwei.problems.choices import FINAL_STATUSES, INTERNAL_SOURCES, OPEN_STATUSES, PhotoKind
from chuangwei.problems.models import Problem, ProblemEvent, ProblemPhoto
from chuangwei.standards.models import ProblemCategory

from .models import Datatype, Open311Client, Open311Request, ServiceAttribute

CLOSED_STATUSES = FINAL_STATUSES

# Extra questions every public service asks unless the office configured its own.
DEFAULT_ATTRIBUTES: tuple[dict[str, Any], ...] = (
    {
        "code": "duration",
        "datatype": Datatype.SINGLEVALUELIST,
        "required": False,
        "order": 1,
        "description": "问题存在多久了？",
        "datatype_description": "选择一项",
        "values": [
            {"key": "today", "name": "今天刚发现"},
            {"key": "days", "name": "两三天"},
            {"key": "week", "name": "一周左右"},
            {"key": "longer", "name": "更久"},
        ],
    },
    {
        "code": "scale",
        "datatype": Datatype.SINGLEVALUELIST,
        "required": False,
        "order": 2,
        "description": "问题的范围有多大？",
        "datatype_description": "选择一项",
        "values": [
            {"key": "small", "name": "一处、少量"},
            {"key": "medium", "name": "几处、较多"},
            {"key": "large", "name": "成片、大面积"},
        ],
    },
    {
        "code": "recurring",
        "datatype": Datatype.SINGLEVALUELIST,
        "required": False,
        "order": 3,
        "description": "这里以前也出现过同样的问题吗？",
        "datatype_description": "选择一项",
        "values": [
            {"key": "yes", "name": "是"},
            {"key": "no", "name": "否"},
            {"key": "unknown", "name": "不清楚"},
        ],
    },
)


def public_categories() -> QuerySet[ProblemCategory]:
    """The services: active leaf categories that have a name for citizens."""
    return (
        ProblemCategory.objects.filter(is_active=True, children__isnull=True)
        .exclude(public_name="")
        .select_related("parent")
        .order_by("sort_order", "code")
    )


def public_category_ids() -> dict[str, int]:
    """service_code → category id for every service."""
    return dict(
        ProblemCategory.objects.filter(is_active=True, children__isnull=True)
        .exclude(public_name="")
        .values_list("code", "pk")
    )


def service_by_code(code: str) -> ProblemCategory | None:
    return public_categories().filter(code=code).first()


def attributes_for(category: ProblemCategory) -> list[ServiceAttribute]:
    """The stored attributes of a service, or the defaults (unsaved) when it has none."""
    stored = list(ServiceAttribute.objects.filter(category=category).order_by("order", "id"))
    if stored:
        return stored
    return [ServiceAttribute(category=category, **spec) for spec in DEFAULT_ATTRIBUTES]


def categories_with_attributes(categories: Iterable[ProblemCategory]) -> set[int]:
    ids = [c.pk for c in categories]
    return set(
        ServiceAttribute.objects.filter(category_id__in=ids).values_list("category_id", flat=True)
    )


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def client_for_key(raw: str) -> Open311Client | None:
    """The active client application whose API key this is."""
    if not raw or len(raw) > 200:
        return None
    return Open311Client.objects.filter(key_hash=hash_key(raw), is_active=True).first()


@dataclass
class RequestQuery:
    """A parsed ``GET requests`` query (see views.parse_request_query)."""

    category_ids: list[int]
    start: datetime | None = None
    end: datetime | None = None
    statuses: Sequence[str] = ()
    codes: Sequence[str] = ()
    offset: int = 0
    limit: int = 1000
    extensions: bool = False


@cache
def _columns() -> tuple[tuple[str, str], ...]:
    """(output key, SQL column) of the request list, from the models' table names."""
    problem = Problem._meta.db_table
    category = ProblemCategory._meta.db_table
    unit = Problem._meta.get_field("unit").related_model._meta.db_table
    extra = Open311Request._meta.db_table
    return (
        ("pk", f"p.{Problem._meta.pk.column}"),
        *[
            (name, f"p.{Problem._meta.get_field(name).column}")  # type: ignore[union-attr]
            for name in (
                "code",
                "status",
                "description",
                "address",
                "lng",
                "lat",
                "reported_at",
                "updated_at",
                "closed_at",
                "due_at",
                "source",
                "severity",
            )
        ],
        ("category__code", "c.code"),
        ("category__public_name", "c.public_name"),
        ("category__name", "c.name"),
        ("unit__name", "u.name"),
        ("open311__address_id", "o.address_id"),
        ("open311__zipcode", "o.zipcode"),
        (
            "_from",
            f"{problem} p JOIN {category} c ON c.id = p.category_id "
            f"JOIN {unit} u ON u.id = p.unit_id "
            f"LEFT JOIN {extra} o ON o.problem_id = p.id",
        ),
    )


DATETIME_KEYS = ("reported_at", "updated_at", "closed_at", "due_at")


def _aware(value: Any) -> datetime | None:
    """SQLite hands datetimes back naive in UTC (or as text), PostgreSQL aware."""
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def request_rows(query: RequestQuery) -> tuple[list[dict[str, Any]], bool]:
    """The page of rows (newest first) and whether another page follows.

    One hand-written statement over the indexed columns (``category``/``status`` with
    ``reported_at``, ordered like the ``problems_reported_desc`` index); the ORM's query
    compilation cost more than the query itself on this hot path.
    """
    *columns, (_from, source) = _columns()
    ops = connection.ops
    internal = sorted(str(s) for s in INTERNAL_SOURCES)
    where = [
        f"p.category_id IN ({', '.join(['%s'] * len(query.category_ids))})",
        # Inspection findings are never public (a covert inspection stays covert).
        f"p.source NOT IN ({', '.join(['%s'] * len(internal))})",
    ]
    params: list[Any] = [*query.category_ids, *internal]
    if query.codes:
        where.append(f"p.code IN ({', '.join(['%s'] * len(query.codes))})")
        params.extend(query.codes)
    else:
        if query.start is not None:
            where.append("p.reported_at >= %s")
            params.append(ops.adapt_datetimefield_value(query.start))
        if query.end is not None:
            where.append("p.reported_at <= %s")
            params.append(ops.adapt_datetimefield_value(query.end))
        if query.statuses:
            statuses = sorted(query.statuses)
            where.append(f"p.status IN ({', '.join(['%s'] * len(statuses))})")
            params.extend(statuses)
    if not query.category_ids:
        return [], False
    sql = (
        f"SELECT {', '.join(column for _key, column in columns)} FROM {source} "
        f"WHERE {' AND '.join(where)} ORDER BY p.reported_at DESC, p.id DESC "
        "LIMIT %s OFFSET %s"
    )
    params.extend([query.limit + 1, query.offset])
    keys = [key for key, _column in columns]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for key in DATETIME_KEYS:
            row[key] = _aware(row[key])
    more = len(rows) > query.limit
    return rows[: query.limit], more


def ledger_statuses(open_closed: Iterable[str]) -> set[str]:
    wanted: set[str] = set()
    for value in open_closed:
        wanted |= set(OPEN_STATUSES if value == "open" else CLOSED_STATUSES)
    return wanted


def photo_names(problem_ids: Sequence[int]) -> dict[int, list[str]]:
    """Storage names of the public (EXIF-free) copies of the problems' report photos."""
    names: dict[int, list[str]] = {}
    if not problem_ids:
        return names
    table = ProblemPhoto._meta.db_table
    marks = ", ".join(["%s"] * len(problem_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT problem_id, public_copy FROM {table} "
            f"WHERE kind = %s AND problem_id IN ({marks}) ORDER BY id",
            [PhotoKind.BEFORE.value, *problem_ids],
        )
        photos = cursor.fetchall()
    for problem_id, name in photos:
        if name:
            names.setdefault(problem_id, []).append(name)
    return names


def public_notes(problem_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    notes: dict[int, list[dict[str, Any]]] = {}
    if not problem_ids:
        return notes
    events = (
        ProblemEvent.objects.filter(problem_id__in=problem_ids, is_public=True)
        .order_by("created_at", "id")
        .values("problem_id", "action", "to_status", "created_at")
    )
    for event in events:
        notes.setdefault(event["problem_id"], []).append(dict(event))
    return notes


def open311_attributes(problem_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not problem_ids:
        return {}
    return dict(
        Open311Request.objects.filter(problem_id__in=problem_ids).values_list(
            "problem_id", "attributes"
        )
    )


def token_lookup(token: str) -> str | None:
    """The service_request_id a token maps to."""
    return (
        Open311Request.objects.filter(token=token).values_list("problem__code", flat=True).first()
    )
