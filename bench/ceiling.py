"""The throughput ceiling of DESIGN.md §6, served beside the real app in the same gunicorn.

``/__ceiling/problems`` answers the question of ``/api/v1/problems/`` (newest first, one
page, optional status and category filters) with one raw SQL query and orjson, and no
Django request cycle: no middleware, no session, no permission or scope check, no
serializer. Our pages and API are measured against it in the same run, on the same data,
so the ratio holds on a noisy machine. Bench-only: never mounted by the product.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import orjson

from chuangwei.wsgi import application as django_application

COLUMNS = "id, code, status, source, category_id, unit_id, reported_at, due_at, lng, lat"


def _problems(query: dict[str, list[str]]) -> bytes:
    from django.db import connection

    where, params = [], []
    if "status" in query:
        where.append("status = %s")
        params.append(query["status"][0])
    if "category" in query:
        where.append("category_id = %s")
        params.append(int(query["category"][0]))
    size = min(int(query.get("page_size", ["20"])[0]), 100)
    offset = (max(int(query.get("page", ["1"])[0]), 1) - 1) * size
    sql = f"SELECT {COLUMNS} FROM problems_problem"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY reported_at DESC, id DESC LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size, offset])
        names = [c[0] for c in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return orjson.dumps({"results": rows})


def application(environ: dict[str, Any], start_response: Any) -> Any:
    if environ.get("PATH_INFO") == "/__ceiling/problems":
        body = _problems(parse_qs(environ.get("QUERY_STRING", "")))
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]
    return django_application(environ, start_response)
