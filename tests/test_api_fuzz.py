"""The REST API fuzzed against its own OpenAPI schema (schemathesis), on the live test server.

Every operation of ``/api/schema/`` is called with generated input — valid and invalid, and for
operations on one object both random ids and the ids of real rows — as two personas: the office
(city-wide, may write configuration) and ``handler_a`` (one street). Each answer must be
documented: no server error, a status the operation declares, JSON in the declared content type,
and a body that matches the declared schema. The number of examples per operation and the seed
are fixed, so a run is reproducible; the operations are split into shards so ``pytest -n`` spreads
them over its workers.

The fuzz may not lock itself out: cases that would change or delete the persona's own account or
memberships are left out (the product refuses some of them, e.g. the last administrator, but
a persona's own account is simply not the fuzz's to change).

Figures of the last full run are in docs/api.md ("Fuzzing").
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
import schemathesis
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS
from schemathesis.generation import GenerationMode

from chuangwei.inspections.tests.conftest import insp, ledger, report  # noqa: F401

pytestmark = [pytest.mark.fuzz]

# The office (city-wide, writes configuration) and a street handler; CW_FUZZ_PERSONAS names
# others for a local run (e.g. "leader,grid_worker,inspector,supervisor").
PERSONAS = tuple(os.environ.get("CW_FUZZ_PERSONAS", "office,handler_a").split(","))
SHARDS = 6
# Examples per operation and input mode; CW_FUZZ_EXAMPLES raises it for a longer local run.
EXAMPLES = int(os.environ.get("CW_FUZZ_EXAMPLES", "12"))
SEED = 2026
CHECK_NAMES = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


def _schema_dict() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _operations(raw: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted(
        (path, method.upper())
        for path, item in raw["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


def _shard(shard: int) -> list[tuple[str, str]]:
    return [op for i, op in enumerate(_operations(_schema_dict())) if i % SHARDS == shard]


def _model_ids(path: str) -> list[int]:
    """The ids of the rows behind a ``/{id}/`` route (every row, in scope or not)."""
    try:
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
    except Resolver404:
        return []
    view = getattr(match.func, "cls", None)
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        return []
    return sorted(queryset.model._default_manager.values_list("pk", flat=True)[:50])


def _own_targets(user: Any) -> set[str]:
    """Paths that would change the persona's own account or memberships."""
    own = {f"/api/v1/users/{user.pk}/"}
    own |= {f"/api/v1/memberships/{pk}/" for pk in user.memberships.values_list("pk", flat=True)}
    return own


@pytest.fixture
def fuzz_city(insp: dict[str, Any], report: Any) -> dict[str, Any]:  # noqa: F811
    """The inspection fixtures plus problems in several states, for the fuzz to act on."""
    from chuangwei.problems import services

    office = insp["office"]
    reported = report()
    accepted = report()
    services.accept_problem(accepted, by=office)
    dispatched = report()
    services.accept_problem(dispatched, by=office)
    services.dispatch_problem(
        dispatched, by=office, unit=insp["street_a"], department=insp["department"]
    )
    return {**insp, "problems": [reported, accepted, dispatched]}


@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_answers_as_documented(
    live_server: Any, fuzz_city: dict[str, Any], persona: str, shard: int
) -> None:
    from rest_framework.authtoken.models import Token

    user = fuzz_city[persona]
    token = Token.objects.create(user=user).key
    own = _own_targets(user)
    raw = _schema_dict()
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.update(base_url=live_server.url)
    checks = [c for c in CHECKS.get_all() if c.__name__ in CHECK_NAMES]
    headers = {"Authorization": f"Token {token}"}
    failures: list[str] = []
    cases = 0

    for path, method in _shard(shard):
        operation = schema[path][method]
        strategies = [
            operation.as_strategy(generation_mode=mode)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        ]
        ids = _model_ids(path) if "{id}" in path else []
        if ids:
            strategies.append(
                st.sampled_from(ids).flatmap(
                    lambda pk, op=operation: op.as_strategy(path_parameters={"id": pk})
                )
            )
        strategy = st.one_of(strategies).filter(
            lambda case, read=method == "GET": read or case.formatted_path not in own
        )

        @seed(SEED)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=False,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            nonlocal cases
            cases += 1
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except Exception as exc:  # every failing operation is reported at the end
            failures.append(f"{method} {path}:\n{exc}")
    operations = len(_shard(shard))
    print(
        f"fuzz {persona} shard {shard}: {operations} operations, {cases} cases, {len(failures)} failing"
    )
    assert cases > 0
    assert not failures, "\n\n".join(failures)
