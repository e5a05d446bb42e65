"""JSON and XML bodies exactly as GeoReport v2 writes them.

JSON follows the spec's "Spark convention": lists are top-level arrays. XML wraps a list
in its plural root (``<service_requests><request>…``), nested lists in their plural
element (``<attributes><attribute>``, ``<values><value>``, ``<notes><note>``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone

# Characters XML 1.0 does not allow (control characters other than tab, newline, return).
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Element name of one item inside a plural XML element.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
    "errors": "error",
    "media_urls": "media_url",
}


def iso(value: datetime | None, tz: tzinfo | None = None) -> str | None:
    """W3C ISO-8601 with the city's offset (``2026-03-02T09:00:00+08:00``)."""
    if value is None:
        return None
    return value.astimezone(tz or timezone.get_current_timezone()).isoformat(timespec="seconds")


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(XML_INVALID.sub("", str(value)))


def _element(name: str, value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append(f"<{name}>")
        for key, item in value.items():
            _element(key, item, out)
        out.append(f"</{name}>")
    elif isinstance(value, (list, tuple)):
        item_name = ITEM_NAMES.get(name, "item")
        out.append(f"<{name}>")
        for item in value:
            _element(item_name, item, out)
        out.append(f"</{name}>")
    elif value is None or value == "":
        out.append(f"<{name}/>")
    else:
        out.append(f"<{name}>{_scalar(value)}</{name}>")


def to_xml(root: str, body: Any) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    _element(root, body, out)
    return "".join(out)


def respond(
    fmt: str, root: str, body: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    """``body`` is a list (rendered under ``root``) or a dict (the ``root`` element)."""
    if fmt == "json":
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    else:
        content = to_xml(root, body)
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def error_response(fmt: str, status: int, descriptions: Sequence[str]) -> HttpResponse:
    """The spec's error body: ``[{"code": 400, "description": "…"}]`` or ``<errors>…``."""
    errors = [{"code": status, "description": str(d)} for d in descriptions]
    return respond(fmt, "errors", errors, status=status)
