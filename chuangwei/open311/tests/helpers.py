"""Open311 test helpers: JSON Schema validation with the spec's schemas, XML parsing."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
CHECKER = FormatChecker()


@CHECKER.checks("date-time")
def _date_time(value: object) -> bool:
    """W3C ISO-8601 that carries a timezone (the spec requires it)."""
    if not isinstance(value, str) or not ISO_WITH_OFFSET.match(value):
        return False
    return datetime.fromisoformat(value).tzinfo is not None


@CHECKER.checks("uri")
def _uri(value: object) -> bool:
    return isinstance(value, str) and re.match(r"^https?://[^\s/]+/\S*$", value) is not None


SCHEMAS = Path(__file__).parent / "schemas"
BASE = "/open311/v2/"


@cache
def _registry() -> Registry:
    resources = [
        (
            path.name,
            Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT4),
        )
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


def validate(schema_name: str, data: Any) -> None:
    """Raise jsonschema.ValidationError unless ``data`` matches the named schema."""
    schema = json.loads((SCHEMAS / schema_name).read_text())
    Draft4Validator(schema, registry=_registry(), format_checker=CHECKER).validate(data)


def xml(response: Any) -> ElementTree.Element:
    return ElementTree.fromstring(response.content)


def children(element: ElementTree.Element) -> list[str]:
    return [child.tag for child in element]
