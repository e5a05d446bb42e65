"""Load the shipped standards and problem categories from JSON files in ``data/``.

Each file is read and checked completely before anything is written; a bad file raises
``DataFileInvalid`` naming the file and every bad record, and changes nothing. Loading is
idempotent: rows are matched by natural keys (version code; version code + clause number
path; version code + indicator code; category kind + code), updated in place when the file
differs, created when missing, and never duplicated or deleted.

The loader maintains the shipped versions even after they are published: it is the
maintainer's tool for correcting shipped wording, so it writes through the standards
services with ``shipped=True``, the one caller allowed past their refusal of published
versions. A version's status is set only when the loader creates it. See
docs/standards-data.md for the file format.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.org.models import WorkLine

from . import services
from .choices import CategoryKind, ClauseLevel, Comparator, DeadlineUnit, Severity, VersionStatus
from .models import Indicator, ProblemCategory, StandardClause, StandardVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
STANDARD_FILES = ("standard-2014.json", "standard-2021.json")
CATEGORY_FILES = ("categories.json",)
STANDARD_FORMAT = "chuangwei.standard/1"
CATEGORIES_FORMAT = "chuangwei.categories/1"
LEVEL_RANK = services.LEVEL_RANK

# key -> (expected type, required). ``note`` is kept in the file only where the model has
# no note field.
VERSION_KEYS: dict[str, tuple[type, bool]] = {
    "code": (str, True),
    "name": (str, True),
    "year": (int, True),
    "issuer": (str, False),
    "document_no": (str, False),
    "status": (str, False),
    "source": (str, False),
    "note": (str, False),
}
CLAUSE_KEYS: dict[str, tuple[type, bool]] = {
    "level": (str, True),
    "number": (str, True),
    "title": (str, True),
    "text": (str, False),
    "lead_work_line": (str, False),
    "evidence_required": (str, False),
    "points": (Decimal, False),
    "pass_rule": (str, False),
    "is_prerequisite": (bool, False),
    "is_veto": (bool, False),
    "sort_order": (int, False),
    "source": (str, False),
    "note": (str, False),
    "children": (list, False),
}
INDICATOR_KEYS: dict[str, tuple[type, bool]] = {
    "code": (str, True),
    "name": (str, True),
    "comparator": (str, True),
    "threshold": (Decimal, True),
    "clause": (list, False),
    "unit": (str, False),
    "is_veto": (bool, False),
    "numerator_label": (str, False),
    "denominator_label": (str, False),
    "computed_by": (str, False),
    "source": (str, False),
    "note": (str, False),
}
CATEGORY_KEYS: dict[str, tuple[type, bool]] = {
    "kind": (str, False),
    "code": (str, True),
    "name": (str, True),
    "public_name": (str, False),
    "description": (str, False),
    "standard_ref": (str, False),
    "legacy_code": (str, False),
    "sanitary_class": (str, False),
    "default_work_line": (str, False),
    "deadline_amount": (int, False),
    "deadline_unit": (str, False),
    "severity": (str, False),
    "check_item": (dict, False),
    "is_local_extension": (bool, False),
    "is_public": (bool, False),
    "is_active": (bool, False),
    "sort_order": (int, False),
    "source": (str, False),
    "note": (str, False),
    "children": (list, False),
}
ENUMS: dict[str, type[models.TextChoices]] = {
    "status": VersionStatus,
    "level": ClauseLevel,
    "comparator": Comparator,
    "kind": CategoryKind,
    "deadline_unit": DeadlineUnit,
    "severity": Severity,
}
TYPE_NAMES = {
    str: _("text"),
    int: _("a whole number"),
    bool: _("true or false"),
    list: _("a list"),
    dict: _("an object"),
    Decimal: _("a number"),
}


class DataFileInvalid(InvalidInput):
    """A data file is unreadable or has bad records. Nothing was loaded."""

    code = "data_file_invalid"

    def __init__(self, path: Path | str, errors: list[str]) -> None:
        self.path = str(path)
        self.errors = errors
        message = gettext("%(file)s: %(count)s error(s): %(errors)s") % {
            "file": Path(path).name,
            "count": len(errors),
            "errors": "; ".join(errors),
        }
        super().__init__(message, fields={"file": list(errors)})


@dataclass
class LoadResult:
    """What one file did: rows created, updated and unchanged per kind of record."""

    path: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    unresolved_work_lines: int = 0
    unresolved_check_items: int = 0

    def total(self, what: str) -> int:
        """Rows of ``what`` ("version", "clause", "indicator", "category") in the file."""
        return self.created[what] + self.updated[what] + self.unchanged[what]

    def kinds(self) -> list[str]:
        return [k for k in ("version", "clause", "indicator", "category") if self.total(k)]


# --- reading and checking -------------------------------------------------------------


class _Checker:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def error(self, record: str, message: str) -> None:
        self.errors.append(f"{record}: {message}" if record else message)

    def fail_if_errors(self) -> None:
        if self.errors:
            raise DataFileInvalid(self.path, self.errors)

    def record(
        self,
        data: Any,
        keys: dict[str, tuple[type, bool]],
        model: type[models.Model] | None,
        label: str,
    ) -> bool:
        """Check keys, types, enum values and lengths; True when the record is usable."""
        if not isinstance(data, dict):
            self.error(label, gettext("must be an object"))
            return False
        ok = True
        for key in data:
            if key not in keys:
                self.error(label, gettext("unknown key %(key)s") % {"key": key})
                ok = False
        for key, (kind, required) in keys.items():
            value = data.get(key)
            if value is None or (required and value == ""):
                if required:
                    self.error(label, gettext("%(key)s is required") % {"key": key})
                    ok = False
                continue
            if not _is_type(value, kind):
                self.error(
                    label,
                    gettext("%(key)s must be %(type)s") % {"key": key, "type": TYPE_NAMES[kind]},
                )
                ok = False
                continue
            if key in ENUMS and value not in ENUMS[key].values:
                self.error(
                    label,
                    gettext("%(key)s %(value)s is not one of: %(choices)s")
                    % {"key": key, "value": value, "choices": ", ".join(ENUMS[key].values)},
                )
                ok = False
            limit = _max_length(model, key)
            if isinstance(value, str) and limit and len(value) > limit:
                self.error(
                    label,
                    gettext("%(key)s is longer than %(max)s characters")
                    % {"key": key, "max": limit},
                )
                ok = False
        return ok


def _is_type(value: Any, kind: type) -> bool:
    if kind is Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return False
        try:
            return Decimal(str(value)).is_finite()
        except InvalidOperation:
            return False
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _max_length(model: type[models.Model] | None, key: str) -> int | None:
    if model is None:
        return None
    try:
        model_field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return getattr(model_field, "max_length", None)


def _read_json(path: Path, expected_format: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileInvalid(
            path, [gettext("cannot be read: %(error)s") % {"error": exc}]
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileInvalid(
            path, [gettext("not valid UTF-8 JSON: %(error)s") % {"error": exc}]
        ) from exc
    if not isinstance(data, dict) or data.get("format") != expected_format:
        raise DataFileInvalid(
            path, [gettext('"format" must be "%(format)s"') % {"format": expected_format}]
        )
    return data


def _path_label(numbers: tuple[str, ...]) -> str:
    return " › ".join(numbers)


@dataclass
class ClauseSpec:
    path: tuple[str, ...]
    data: dict[str, Any]
    sort_order: int


@dataclass
class StandardFile:
    path: Path
    version: dict[str, Any]
    clauses: list[ClauseSpec]
    indicators: list[dict[str, Any]]


@dataclass
class CategorySpec:
    kind: str
    code: str
    parent: tuple[str, str] | None
    data: dict[str, Any]
    sort_order: int


@dataclass
class CategoryFile:
    path: Path
    categories: list[CategorySpec]


def read_standard_file(path: Path | str) -> StandardFile:
    """Parse and check a standard file completely; raise DataFileInvalid on any bad record."""
    path = Path(path)
    data = _read_json(path, STANDARD_FORMAT)
    ck = _Checker(path)
    for key in data:
        if key not in {"format", "version", "clauses", "indicators"}:
            ck.error("", gettext("unknown key %(key)s") % {"key": key})
    ck.record(data.get("version"), VERSION_KEYS, StandardVersion, gettext("version"))
    specs: list[ClauseSpec] = []

    def walk(items: Any, parent: tuple[str, ...], parent_level: str | None) -> None:
        if not isinstance(items, list):
            ck.error(_path_label(parent), gettext("children must be a list"))
            return
        seen: set[str] = set()
        for index, item in enumerate(items):
            number = item.get("number") if isinstance(item, dict) else None
            label = gettext("clause %(path)s") % {
                "path": _path_label((*parent, str(number or f"#{index + 1}")))
            }
            if not ck.record(item, CLAUSE_KEYS, StandardClause, label):
                continue
            number = item["number"]
            if number in seen:
                ck.error(label, gettext("number is used twice under the same parent"))
            seen.add(number)
            level = item["level"]
            if (
                parent_level
                and LEVEL_RANK[ClauseLevel(level)] <= LEVEL_RANK[ClauseLevel(parent_level)]
            ):
                ck.error(
                    label,
                    gettext("a %(level)s cannot sit under a %(parent)s")
                    % {"level": level, "parent": parent_level},
                )
            path = (*parent, number)
            specs.append(ClauseSpec(path, item, item.get("sort_order", (index + 1) * 10)))
            walk(item.get("children", []), path, level)

    walk(data.get("clauses", []), (), None)
    paths = {s.path for s in specs}
    indicators = data.get("indicators", [])
    if not isinstance(indicators, list):
        ck.error("", gettext("indicators must be a list"))
        indicators = []
    codes: set[str] = set()
    for index, item in enumerate(indicators):
        code = item.get("code") if isinstance(item, dict) else None
        label = gettext("indicator %(code)s") % {"code": code or f"#{index + 1}"}
        if not ck.record(item, INDICATOR_KEYS, Indicator, label):
            continue
        code = item["code"]
        if code in codes:
            ck.error(label, gettext("code is used twice"))
        codes.add(code)
        clause = item.get("clause")
        if clause is not None and (
            not all(isinstance(n, str) for n in clause) or tuple(clause) not in paths
        ):
            ck.error(
                label,
                gettext("clause %(path)s is not in this file")
                % {"path": _path_label(tuple(map(str, clause)))},
            )
    ck.fail_if_errors()
    return StandardFile(path, data["version"], specs, indicators)


def read_categories_file(path: Path | str) -> CategoryFile:
    """Parse and check a categories file completely; raise DataFileInvalid on any bad record."""
    path = Path(path)
    data = _read_json(path, CATEGORIES_FORMAT)
    ck = _Checker(path)
    for key in data:
        if key not in {"format", "source", "note", "categories"}:
            ck.error("", gettext("unknown key %(key)s") % {"key": key})
    specs: list[CategorySpec] = []
    keys: set[tuple[str, str]] = set()

    def walk(items: Any, parent: tuple[str, str] | None) -> None:
        if not isinstance(items, list):
            ck.error("", gettext("categories and children must be lists"))
            return
        for index, item in enumerate(items):
            code = item.get("code") if isinstance(item, dict) else None
            kind = item.get("kind") if isinstance(item, dict) else None
            kind = kind or (parent[0] if parent else None)
            label = gettext("category %(kind)s %(code)s") % {
                "kind": kind or "?",
                "code": code or f"#{index + 1}",
            }
            if not ck.record(item, CATEGORY_KEYS, ProblemCategory, label):
                continue
            if kind is None:
                ck.error(label, gettext("kind is required on a top-level category"))
                continue
            code = item["code"]
            if parent and kind != parent[0]:
                ck.error(label, gettext("kind must match its parent's kind"))
            if (kind, code) in keys:
                ck.error(label, gettext("kind and code are used twice"))
            keys.add((kind, code))
            children = item.get("children", [])
            amount = item.get("deadline_amount")
            if amount is not None and amount <= 0:
                ck.error(label, gettext("deadline_amount must be above zero"))
            elif not children and amount is None:
                ck.error(label, gettext("a leaf category needs a deadline_amount"))
            _check_check_item(ck, label, item.get("check_item"))
            specs.append(
                CategorySpec(kind, code, parent, item, item.get("sort_order", (index + 1) * 10))
            )
            walk(children, (kind, code))

    walk(data.get("categories", []), None)
    ck.fail_if_errors()
    return CategoryFile(path, specs)


def _check_check_item(ck: _Checker, label: str, ref: Any) -> None:
    if ref is None:
        return
    version, path = ref.get("version"), ref.get("path")
    if (
        set(ref) != {"version", "path"}
        or not isinstance(version, str)
        or not isinstance(path, list)
        or not path
        or not all(isinstance(p, str) for p in path)
    ):
        ck.error(label, gettext('check_item must be {"version": code, "path": [numbers]}'))


# --- writing --------------------------------------------------------------------------


def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``obj``; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


class _Resolver:
    """Looks up work lines and clauses by their codes, counting what it cannot find."""

    def __init__(self) -> None:
        self.work_lines: dict[str, int] = dict(WorkLine.objects.values_list("code", "pk"))
        self.clauses: dict[str, dict[tuple[str, ...], int]] = {}

    def work_line(self, code: str | None, current: int | None, result: LoadResult) -> int | None:
        if not code:
            return None
        if code in self.work_lines:
            return self.work_lines[code]
        result.unresolved_work_lines += 1
        # Keep a link made earlier rather than blanking it while the work line is missing.
        return current

    def clause(
        self, ref: dict[str, Any] | None, current: int | None, result: LoadResult
    ) -> int | None:
        if not ref:
            return None
        code = ref["version"]
        if code not in self.clauses:
            self.clauses[code] = clause_paths(code)
        found = self.clauses[code].get(tuple(ref["path"]))
        if found is None:
            result.unresolved_check_items += 1
            return current
        return found


def clause_paths(version_code: str) -> dict[tuple[str, ...], int]:
    """Map each clause's number path (("三", "（十）", "4")) to its id for one version."""
    rows = {
        pk: (parent, number)
        for pk, parent, number in StandardClause.objects.filter(
            version__code=version_code
        ).values_list("pk", "parent_id", "number")
    }
    paths: dict[int, tuple[str, ...]] = {}

    def path_of(pk: int) -> tuple[str, ...]:
        if pk not in paths:
            parent, number = rows[pk]
            paths[pk] = (*path_of(parent), number) if parent in rows else (number,)
        return paths[pk]

    return {path_of(pk): pk for pk in rows}


def _apply_standard(spec: StandardFile, resolver: _Resolver, update: bool, by: Any) -> LoadResult:
    result = LoadResult(str(spec.path))
    v = spec.version
    values = {
        "name": v["name"],
        "year": v["year"],
        "issuer": v.get("issuer") or "",
        "document_no": v.get("document_no") or "",
        "source": v.get("source") or "",
        "note": v.get("note") or "",
    }
    version = StandardVersion.objects.filter(code=v["code"]).first()
    if version is None:
        version = StandardVersion(code=v["code"], status=v.get("status") or VersionStatus.DRAFT)
        _assign(version, values)
        services.save_standard_version(version, by=by, shipped=True)
        result.created["version"] += 1
    elif update and _assign(version, values):
        services.save_standard_version(version, by=by, shipped=True)
        result.updated["version"] += 1
    else:
        result.unchanged["version"] += 1

    existing = clause_paths(version.code)
    clauses = StandardClause.objects.in_bulk(list(existing.values()))
    by_path: dict[tuple[str, ...], StandardClause] = {}
    for c in spec.clauses:
        d = c.data
        pk = existing.get(c.path)
        clause = clauses[pk] if pk else StandardClause(version=version)
        parent = by_path[c.path[:-1]] if len(c.path) > 1 else None
        values = {
            "parent_id": parent.pk if parent else None,
            "level": d["level"],
            "number": d["number"],
            "title": d["title"],
            "text": d.get("text") or "",
            "lead_work_line_id": resolver.work_line(
                d.get("lead_work_line"), clause.lead_work_line_id, result
            ),
            "evidence_required": d.get("evidence_required") or "",
            "points": Decimal(str(d["points"])) if d.get("points") is not None else None,
            "pass_rule": d.get("pass_rule") or "",
            "is_prerequisite": bool(d.get("is_prerequisite")),
            "is_veto": bool(d.get("is_veto")),
            "sort_order": c.sort_order,
            "source": d.get("source") or "",
            "note": d.get("note") or "",
        }
        if clause.pk is None:
            _assign(clause, values)
            clause.parent = parent
            services.save_standard_clause(clause, by=by, shipped=True)
            result.created["clause"] += 1
        elif update and _assign(clause, values):
            clause.parent = parent
            services.save_standard_clause(clause, by=by, shipped=True)
            result.updated["clause"] += 1
        else:
            result.unchanged["clause"] += 1
        by_path[c.path] = clause

    current = {i.code: i for i in Indicator.objects.filter(version=version)}
    for d in spec.indicators:
        indicator = current.get(d["code"]) or Indicator(version=version, code=d["code"])
        values = {
            "clause_id": by_path[tuple(d["clause"])].pk if d.get("clause") else None,
            "name": d["name"],
            "unit": d.get("unit") or "",
            "comparator": d["comparator"],
            "threshold": Decimal(str(d["threshold"])),
            "is_veto": bool(d.get("is_veto")),
            "numerator_label": d.get("numerator_label") or "",
            "denominator_label": d.get("denominator_label") or "",
            "computed_by": d.get("computed_by") or "",
            "source": d.get("source") or "",
            "note": d.get("note") or "",
        }
        if indicator.pk is None:
            _assign(indicator, values)
            services.save_indicator(indicator, by=by, shipped=True)
            result.created["indicator"] += 1
        elif update and _assign(indicator, values):
            services.save_indicator(indicator, by=by, shipped=True)
            result.updated["indicator"] += 1
        else:
            result.unchanged["indicator"] += 1
    return result


def _apply_categories(spec: CategoryFile, resolver: _Resolver, update: bool, by: Any) -> LoadResult:
    result = LoadResult(str(spec.path))
    existing = {(c.kind, c.code): c for c in ProblemCategory.objects.all()}
    for c in spec.categories:
        d = c.data
        category = existing.get((c.kind, c.code)) or ProblemCategory(kind=c.kind, code=c.code)
        parent = existing[c.parent] if c.parent else None
        values: dict[str, Any] = {
            "parent_id": parent.pk if parent else None,
            "name": d["name"],
            "public_name": d.get("public_name") or "",
            "description": d.get("description") or "",
            "standard_ref": d.get("standard_ref") or "",
            "legacy_code": d.get("legacy_code") or "",
            "sanitary_class": d.get("sanitary_class") or "",
            "default_work_line_id": resolver.work_line(
                d.get("default_work_line"), category.default_work_line_id, result
            ),
            "deadline_amount": d.get("deadline_amount"),
            "deadline_unit": d.get("deadline_unit") or DeadlineUnit.WORK_DAYS,
            "severity": d.get("severity") or Severity.NORMAL,
            "check_item_id": resolver.clause(d.get("check_item"), category.check_item_id, result),
            "is_local_extension": bool(d.get("is_local_extension")),
            "is_public": bool(d.get("is_public")),
            "sort_order": c.sort_order,
        }
        # ``is_active`` applies only when the file states it, so a city can switch off a
        # shipped category without a reload switching it back on.
        if "is_active" in d:
            values["is_active"] = d["is_active"]
        if category.pk is None:
            _assign(category, values)
            category.parent = parent
            services.save_problem_category(category, by=by)
            result.created["category"] += 1
        elif update and _assign(category, values):
            category.parent = parent
            services.save_problem_category(category, by=by)
            result.updated["category"] += 1
        else:
            result.unchanged["category"] += 1
        existing[(c.kind, c.code)] = category
    return result


def load_standard_file(path: Path | str, *, by: Any = None, update: bool = True) -> LoadResult:
    """Load one standard file (version, clause tree, indicators); all or nothing.

    ``update=False`` only creates missing rows. Raises DataFileInvalid for a bad file.
    """
    spec = read_standard_file(path)
    with transaction.atomic():
        return _apply_standard(spec, _Resolver(), update, by)


def load_categories_file(path: Path | str, *, by: Any = None, update: bool = True) -> LoadResult:
    """Load one problem-category file; all or nothing.

    Check items are resolved against versions already in the database, so load the
    standards first. Raises DataFileInvalid for a bad file.
    """
    spec = read_categories_file(path)
    with transaction.atomic():
        return _apply_categories(spec, _Resolver(), update, by)


def load_all(
    by: Any = None, *, update: bool = True, data_dir: Path | None = None
) -> list[LoadResult]:
    """Load every shipped file (standards, then categories) in one transaction.

    Every file is checked before anything is written, so one bad file loads nothing.
    """
    base = data_dir or DATA_DIR
    standards = [read_standard_file(base / name) for name in STANDARD_FILES]
    categories = [read_categories_file(base / name) for name in CATEGORY_FILES]
    with transaction.atomic():
        results = [_apply_standard(s, _Resolver(), update, by) for s in standards]
        results += [_apply_categories(c, _Resolver(), update, by) for c in categories]
    return results
