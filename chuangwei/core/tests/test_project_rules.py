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


# Tests assert what they mean (ARCHITECTURE.md §7) ------------------------------------------
#
# A test function checks something when its body holds one of:
# - an ``assert`` statement (not of a constant: ``assert True`` checks nothing);
# - ``pytest.raises(...)`` or ``pytest.warns(...)``;
# - ``django_assert_num_queries(...)`` or ``django_assert_max_num_queries(...)``;
# - a call of a helper whose name says it asserts: ``assert_…`` (ours, and mocks'
#   ``assert_called_once_with``…), or Playwright's ``expect(…)``.
# A helper named ``assert_…`` must itself check something by the same rules.

QUERY_PINS = {"django_assert_num_queries", "django_assert_max_num_queries"}


def suite_modules():
    for base in (PACKAGE, ROOT / "tests"):
        yield from sorted(base.rglob("test_*.py"))


def support_modules():
    """Every module of a tests folder (helpers, conftests, factories) and the root conftest."""
    yield ROOT / "conftest.py"
    for base in (PACKAGE, ROOT / "tests"):
        for path in sorted(base.rglob("*.py")):
            if "tests" in path.relative_to(ROOT).parts:
                yield path


def is_checking_call(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id == "pytest":
            return func.attr in {"raises", "warns"}
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name in QUERY_PINS or name == "expect" or name.startswith("assert_")


def checks_something(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert) and not isinstance(node.test, ast.Constant):
            return True
        if isinstance(node, ast.Call) and is_checking_call(node):
            return True
    return False


def _functions(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield member


def test_every_test_function_asserts_something():
    offenders = [
        f"{path.relative_to(ROOT)}:{function.lineno} {function.name}"
        for path in suite_modules()
        for function in _functions(path)
        if function.name.startswith("test") and not checks_something(function)
    ]
    assert offenders == []


def test_every_assert_helper_asserts_something():
    offenders = [
        f"{path.relative_to(ROOT)}:{function.lineno} {function.name}"
        for path in support_modules()
        for function in _functions(path)
        if function.name.startswith("assert_") and not checks_something(function)
    ]
    assert offenders == []


def test_the_assertion_rule_tells_checking_from_silent_tests():
    source = """
def test_asserts(): assert 1 + 1 == 2
def test_raises():
    with pytest.raises(ValueError): int("x")
def test_warns():
    with pytest.warns(UserWarning): warn()
def test_pins(django_assert_num_queries):
    with django_assert_num_queries(0): pass
def test_helper(): assert_close(1, 1)
def test_mock(m): m.assert_called_once_with(1)
def test_browser(page): expect(page.locator("h1")).to_have_text("首页")
def test_silent(client): client.get("/")
def test_other_raises(thing): thing.raises(ValueError)
def test_constant(client):
    client.get("/")
    assert True
"""
    functions = {f.name: f for f in ast.parse(source).body}
    verdicts = {name: checks_something(f) for name, f in functions.items()}
    assert [name for name, ok in verdicts.items() if not ok] == [
        "test_silent",
        "test_other_raises",
        "test_constant",
    ]


def test_query_pins_are_exact():
    """A pin says how many queries a page costs: ``django_assert_max_num_queries`` would let
    an N+1 in under its ceiling (ARCHITECTURE.md §7)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in suite_modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", ""))
        == "django_assert_max_num_queries"
    ]
    assert offenders == []


def test_statuses_are_asserted_exactly():
    """``status_code in (401, 403)`` passes for the wrong refusal; say which one it is."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in suite_modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Attribute)
        and node.left.attr == "status_code"
        and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops)
    ]
    assert offenders == []
