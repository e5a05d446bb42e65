"""House rules that keep the codebase in shape (ARCHITECTURE.md §1, §3, §5)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "chuangwei"

# Dependency groups: an app may import only from its own group or earlier ones.
GROUPS = [
    {"lib", "core"},
    {"accounts", "org", "notifications"},
    {"places", "standards"},
    {"problems", "inspections", "readiness"},
    {"rankings"},
    {"dashboards", "reports", "public", "open311", "demo"},
]
ORDER_IN_GROUP_4 = ["problems", "inspections", "readiness"]


def group_of(app: str) -> int | None:
    for index, group in enumerate(GROUPS):
        if app in group:
            return index
    return None


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    apps = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "chuangwei" and len(parts) > 1:
                apps.add(parts[1])
    return apps


def python_files():
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if "migrations" in rel.parts or "tests" in rel.parts or len(rel.parts) < 2:
            continue
        yield rel.parts[0], path


def test_apps_import_only_earlier_groups():
    offenders = []
    for app, path in python_files():
        mine = group_of(app)
        if mine is None:
            continue
        for other in imported_apps(path):
            theirs = group_of(other)
            if theirs is not None and theirs > mine:
                offenders.append(f"{path.relative_to(ROOT)} imports {other}")
    assert offenders == []


def test_only_lib_geo_imports_shapely_or_coordtransform():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or path.name == "geo.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import) (shapely|coordTransform)", text, re.M):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_env_variable_is_documented_in_env_example():
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    used = set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z0-9_]+)\"", text))
        used |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z0-9_]+)\"", text))
    assert used - documented == set()


@pytest.mark.parametrize(
    "po",
    sorted((ROOT / "locale").rglob("django*.po")) + sorted(PACKAGE.glob("*/locale/*/*/django*.po")),
)
def test_no_empty_chinese_translation(po):
    text = po.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    empty = [
        e.split("msgid ", 1)[1].split("\n")[0]
        for e in entries
        if 'msgstr ""' in e
        and not re.search(r'msgstr ""\n"', e)
        and "#, fuzzy" not in e
        and "msgstr[" not in e
    ]
    assert empty == []


class _Rows:
    """Stands in for a queryset: slicing bounds what ``count()`` sees, as LIMIT does."""

    def __init__(self, n):
        self.n = n

    def __getitem__(self, key):
        return _Rows(min(self.n, key.stop))

    def count(self):
        return self.n


def test_bounded_paginator_caps_the_count():
    from chuangwei.core.pagination import BoundedPaginator

    paginator = BoundedPaginator(_Rows(30), 10)
    paginator.cap = 25
    assert (paginator.count, paginator.capped, paginator.num_pages) == (25, True, 3)


def test_bounded_paginator_is_exact_below_the_cap():
    from chuangwei.core.pagination import BoundedPaginator

    paginator = BoundedPaginator(_Rows(7), 5)
    assert (paginator.count, paginator.capped) == (7, False)
