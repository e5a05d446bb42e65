"""The transition table (no database)."""

import pytest

from chuangwei.problems import workflow
from chuangwei.problems.choices import ProblemStatus as S

TABLE = [
    # action, from, roles, allowed
    ("accept", S.REPORTED, {"office"}, True),
    ("accept", S.REPORTED, {"handler"}, False),
    ("accept", S.DISPATCHED, {"office"}, False),
    ("dispatch", S.ACCEPTED, {"office"}, True),
    ("dispatch", S.REPORTED, {"office"}, True),
    ("dispatch", S.CLOSED, {"office"}, False),
    ("dispatch", S.ACCEPTED, {"grid_worker"}, False),
    ("return", S.DISPATCHED, {"handler"}, True),
    ("return", S.DISPATCHED, {"office"}, False),
    ("submit", S.DISPATCHED, {"handler"}, True),
    ("submit", S.PAUSED, {"handler"}, False),
    ("submit", S.DISPATCHED, {"inspector"}, False),
    ("verify_pass", S.SUBMITTED, {"inspector"}, True),
    ("verify_pass", S.SUBMITTED, {"grid_worker"}, True),
    ("verify_pass", S.SUBMITTED, {"handler"}, False),
    ("verify_fail", S.SUBMITTED, {"office"}, True),
    ("verify_fail", S.DISPATCHED, {"office"}, False),
    ("approve_pause", S.DISPATCHED, {"office"}, True),
    ("resume", S.PAUSED, {"office"}, True),
    ("resume", S.DISPATCHED, {"office"}, False),
    ("self_fix", S.REPORTED, {"grid_worker"}, True),
    ("self_fix", S.DISPATCHED, {"grid_worker"}, False),
    ("reopen", S.CLOSED, {"office"}, True),
    ("reopen", S.VOIDED, {"office"}, False),
    ("void", S.ACCEPTED, {"office"}, True),
    ("void", S.DISPATCHED, {"office"}, False),
    ("merge", S.REPORTED, {"office"}, True),
    ("confirm_report", S.VERIFYING_REPORT, {"grid_worker"}, True),
    ("confirm_report", S.REPORTED, {"grid_worker"}, False),
    ("request_extension", S.DISPATCHED, {"handler"}, True),
    ("approve_extension", S.DISPATCHED, {"handler"}, False),
]


@pytest.mark.parametrize(("action", "status", "roles", "allowed"), TABLE)
def test_transition_table(action, status, roles, allowed):
    assert workflow.can(action, status, roles) is allowed


def test_require_distinguishes_wrong_state_from_wrong_role():
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.require("submit", S.CLOSED, {"handler"})
    with pytest.raises(workflow.ActionForbidden):
        workflow.require("submit", S.DISPATCHED, {"leader"})


def test_every_final_state_allows_no_move_except_reopen():
    for status in (S.VOIDED, S.MERGED):
        assert [a for a in workflow.available_actions(status, {"office", "admin"})] == []
    assert set(workflow.available_actions(S.CLOSED, {"office"})) == {"reopen", "comment"}


def test_missing_fields_lists_required_inputs():
    step = workflow.step_for("dispatch")
    assert workflow.missing_fields(step, {"unit": None}) == ["unit"]


def test_unknown_action_is_refused():
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.step_for("teleport")
