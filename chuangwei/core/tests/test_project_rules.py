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
        if 'msgstr ""' in e and not re.search(r'msgstr ""\n"', e) and "msgstr[" not in e
    ]
    # A fuzzy entry is makemessages' guess from a similar msgid: gettext ignores it, so the
    # page shows English.
    fuzzy = [
        e.split("msgid ", 1)[1].split("\n")[0]
        for e in entries
        if re.search(r"^#,.*\bfuzzy\b", e, re.M) and "msgid" in e
    ]
    assert (empty, fuzzy) == ([], [])


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


# Writes go through services (ARCHITECTURE.md §3) -------------------------------------------
# The rule, also stated in docs/decisions.md with a grep that finds the same calls: in a view,
# form or serializer module (``views*.py``, ``forms.py``, ``serializers.py``, ``api.py`` and
# every module of an ``api/`` package), no call of
#   - .save .delete .create .bulk_create .bulk_update .get_or_create .update_or_create
#     .save_m2m, whatever they are called on (``form.save(commit=False)`` included);
#   - .set .add .remove .clear on an attribute (a related manager: ``record.problems.set``);
#   - .update on a queryset: ``X.objects…``, a call of a queryset method
#     (``….filter(…).update``), or a local name assigned from one of those.
# ``dict.update``, ``context.update``, ``attrs.update``, ``seen.add`` and ``cache.set`` are
# not model writes and do not count.

WRITE_METHODS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "save_m2m",
}
RELATED_MANAGER_WRITES = {"set", "add", "remove", "clear"}
QUERYSET_METHODS = {
    "all",
    "filter",
    "exclude",
    "select_related",
    "prefetch_related",
    "order_by",
    "only",
    "defer",
    "annotate",
    "distinct",
    "none",
    "using",
    "select_for_update",
    "visible_to",
    "editable_by",
    "get_queryset",
    "editable_queryset",
    "get_editable_queryset",
    "base_queryset",
}


def is_view_form_or_serializer(path: Path) -> bool:
    rel = path.relative_to(PACKAGE)
    if "tests" in rel.parts or "migrations" in rel.parts:
        return False
    name = path.name
    return (
        name.startswith("views")
        or name in ("forms.py", "serializers.py", "api.py")
        or "api" in rel.parts[:-1]
    )


def _queryset_like(node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "objects":
        return True
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in QUERYSET_METHODS or _queryset_like(node.func.value, names)
    return False


def model_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) of every call the rule above forbids in ``source``."""
    tree = ast.parse(source)
    found = []
    for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
        querysets: set[str] = set()
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign) and _queryset_like(node.value, querysets):
                querysets |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(scope):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method, receiver = node.func.attr, node.func.value
            if (
                method in WRITE_METHODS
                or (method in RELATED_MANAGER_WRITES and isinstance(receiver, ast.Attribute))
                or (method == "update" and _queryset_like(receiver, querysets))
            ):
                found.append((node.lineno, ast.unparse(node)))
    return sorted(set(found))


def test_write_rule_tells_model_writes_from_dict_updates():
    source = """
def view(request, form, obj, context, qs_name):
    context.update(title="x")
    form.fields["a"].widget.attrs.update(placeholder="p")
    seen = set()
    seen.add(1)
    rows = Problem.objects.filter(pk=1)
    rows.update(status="closed")
    Problem.objects.filter(pk=2).update(note="")
    obj.problems.set([1])
    form.save(commit=False)
    obj.delete()
    Site.objects.bulk_create([])
"""
    assert [call for _line, call in model_writes(source)] == [
        "rows.update(status='closed')",
        "Problem.objects.filter(pk=2).update(note='')",
        "obj.problems.set([1])",
        "form.save(commit=False)",
        "obj.delete()",
        "Site.objects.bulk_create([])",
    ]


def test_views_forms_and_serializers_never_write_models():
    offenders = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if is_view_form_or_serializer(path):
            rel = str(path.relative_to(ROOT))
            offenders |= {(rel, call) for _line, call in model_writes(path.read_text())}
    assert sorted(offenders) == []


def _routed_classes():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                cls = getattr(p.callback, "view_class", None) or getattr(p.callback, "cls", None)
                if cls is not None:
                    yield cls

    return set(walk(get_resolver().url_patterns))


def test_no_routed_view_writes_through_a_framework_default():
    """DRF's perform_create/update/destroy and Django's ModelFormMixin/DeletionMixin save or
    delete the model themselves; every routed class overrides what it uses of them."""
    from django.views.generic.edit import DeletionMixin, ModelFormMixin
    from rest_framework import mixins

    defaults = [
        (mixins.CreateModelMixin, "create", "perform_create"),
        (mixins.UpdateModelMixin, "update", "perform_update"),
        (mixins.DestroyModelMixin, "destroy", "perform_destroy"),
        (ModelFormMixin, "form_valid", "form_valid"),
        (DeletionMixin, "delete", "delete"),
    ]
    offenders = [
        f"{cls.__module__}.{cls.__qualname__}.{hook}"
        for cls in _routed_classes()
        for base, entry, hook in defaults
        if issubclass(cls, base)
        and getattr(cls, entry) is getattr(base, entry)
        and getattr(cls, hook) is getattr(base, hook)
    ]
    assert sorted(offenders) == []


# Role checks live in accounts/permissions.py (ARCHITECTURE.md §4) ---------------------------
# Outside accounts (and core, which comes before accounts and reads ``scope.manages_config``,
# the property ``can_manage_config`` wraps), no module calls ``scope.has_role``, reads
# ``manages_config`` or compares or combines a role (``Role.X in roles``, ``roles <= {Role.X}``,
# ``roles & {Role.X}``); they
# call the named predicates. The workflow's roles per step stay data in problems/workflow.py.

ROLE_CHECKS_ALLOWED = ("accounts/", "core/", "problems/workflow.py")


def role_checks(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("has_role", "manages_config"):
            found.append((node.lineno, ast.unparse(node)))
        elif isinstance(node, (ast.Compare, ast.BinOp)) and any(
            isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Role"
            for n in ast.walk(node)
        ):
            found.append((node.lineno, ast.unparse(node)))
    return sorted(found)


def test_role_checks_call_the_permission_predicates():
    offenders = []
    for app, path in python_files():
        rel = str(path.relative_to(PACKAGE))
        if app == "demo" or rel.startswith(ROLE_CHECKS_ALLOWED):
            continue
        offenders += [f"{rel}:{line}: {code}" for line, code in role_checks(path.read_text())]
    assert offenders == []


def test_role_check_rule_sees_comparisons_and_scope_reads():
    source = (
        "a = Role.HANDLER in roles\nb = user.scope.has_role(Role.LEADER)\nc = s.manages_config\n"
        "d = roles & {Role.GRID_WORKER}\ne = User.objects.filter(memberships__role=Role.OFFICE)"
    )
    assert [code for _line, code in role_checks(source)] == [
        "Role.HANDLER in roles",
        "user.scope.has_role",
        "s.manages_config",
        "roles & {Role.GRID_WORKER}",
    ]


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


# Inputs are bounded (lib/bounds.py) --------------------------------------------------------
# Every form, filter set and serializer derives from the core bases that attach the date and
# number ranges,
# so no field of a new form or serializer can carry a year-1 date or a 30-digit id to the database.
RAW_BASES = {
    ("django_filters", "FilterSet"): "chuangwei.core.filters.BaseFilterSet",
    ("forms", "Form"): "chuangwei.core.forms.Form",
    ("forms", "ModelForm"): "chuangwei.core.forms.ModelForm",
    ("serializers", "Serializer"): "chuangwei.core.api.Serializer",
    ("serializers", "ModelSerializer"): "chuangwei.core.api.ModelSerializer",
}
BASE_HOMES = {"core/forms.py", "core/api.py", "core/schema.py", "core/filters.py"}


def raw_bases(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            if (
                isinstance(base, ast.Attribute)
                and isinstance(base.value, ast.Name)
                and (base.value.id, base.attr) in RAW_BASES
            ):
                found.append(f"{node.name}({base.value.id}.{base.attr})")
    return found


def test_forms_filters_and_serializers_derive_from_the_bounded_bases():
    offenders = []
    for _app, path in python_files():
        rel = str(path.relative_to(PACKAGE))
        if rel in BASE_HOMES:
            continue
        offenders += [f"{rel}: {c}" for c in raw_bases(path)]
    assert offenders == []


def test_raw_base_detection_sees_a_plain_form(tmp_path):
    sample = tmp_path / "forms.py"
    sample.write_text("class F(forms.Form):\n    pass\nclass G(Form):\n    pass\n")
    assert raw_bases(sample) == ["F(forms.Form)"]


# Migrations (issue 21: squashed to one clean initial set per app) ---------------------------
MIGRATIONS = sorted(PACKAGE.glob("*/migrations/0*.py"))


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_migration_imports_no_application_code(path):
    """A migration keeps working whatever later happens to the models, services or helpers:
    a data migration copies what it needs instead of importing it."""
    assert "chuangwei" not in imported_modules(path)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found
