"""One table of the workflow actions a person takes on a problem, read by the page and the API.

Each ``ActionSpec`` says which service the action calls, the HTML form that asks for it
(``views_actions.ProblemActionView`` and the buttons of the detail page), the API input
serializer and method (``api.views.ProblemViewSet``), the summary shown in the API schema and
as the button's tooltip, the button colour, and the kind of photos it takes. Who may take an
action from which state is not here: that is ``workflow.STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from chuangwei.core.errors import InvalidInput

from . import services, workflow
from .api import serializers as s
from .choices import PhotoKind
from .choices import ProblemAction as A
from .forms import (
    DispatchForm,
    ExtensionApprovalForm,
    ExtensionRequestForm,
    MergeForm,
    NoteForm,
    PhotoActionForm,
)
from .models import Problem

# API input fields that become ``uploads`` rather than service arguments.
PHOTO_FIELDS = ("photos", "client_lng", "client_lat")
# Method names the viewset cannot use as they are (a View method, a keyword); the name is
# part of the OpenAPI operation id, so these stay as the hand-written actions had them.
API_METHOD_NAMES = {A.DISPATCH: "dispatch_", A.RETURN: "return_"}


def uploads(data: dict[str, Any], kind: str) -> list[services.Upload]:
    """The photos of an API input as uploads of ``kind``, with the phone's position."""
    lng, lat = data.get("client_lng"), data.get("client_lat")
    files = data.get("photos") or []
    return [services.Upload(f, kind=kind, client_lng=lng, client_lat=lat) for f in files]


def merge_target(user: Any, value: str) -> Problem:
    """The problem named by code or id among those ``user`` sees (InvalidInput otherwise)."""
    value = value.strip()
    visible = Problem.objects.visible_to(user)  # type: ignore[no-untyped-call]
    found = (
        visible.filter(pk=int(value)).first()
        if value.isdigit()
        else visible.filter(code=value.upper()).first()
    )
    if found is None:
        raise InvalidInput(
            _("No such problem."), code="bad_merge_target", fields={"into": [_("No such problem.")]}
        )
    return found


def _merge_arguments(data: dict[str, Any], user: Any) -> dict[str, Any]:
    return {**data, "into": merge_target(user, data["into"])}


@dataclass(frozen=True)
class ActionSpec:
    """One workflow action as the page and the API offer it."""

    action: str
    service: Callable[..., Any]
    form: type[NoteForm]
    input: type[serializers.Serializer]  # type: ignore[type-arg]
    summary: Any
    style: str
    photo_kind: str | None = None
    # Turns validated API input into service arguments when they are not the same names.
    resolve: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None

    @property
    def api_method(self) -> str:
        return API_METHOD_NAMES.get(self.action, self.action)

    @property
    def api_path(self) -> str:
        return self.action.replace("_", "-")

    def bound_form(
        self, problem: Problem, user: Any, data: Any = None, files: Any = None
    ) -> NoteForm:
        """The action's form for the detail page (unbound) or a POST (bound)."""
        extra = {"photo_kind": self.photo_kind} if self.photo_kind else {}
        form = self.form(
            data, files, problem=problem, user=user, auto_id=f"{self.action}-%s", **extra
        )
        # What the workflow requires (a note, photos) is marked * like a required field; the
        # service checks it, so the form's own validation does not change.
        for name in workflow.STEPS[self.action].requires:
            if name in form.fields:
                form.fields[name].shown_required = True  # type: ignore[attr-defined]
        return form

    def api_arguments(self, data: dict[str, Any], user: Any) -> dict[str, Any]:
        """Service arguments from an API input: its fields by name, photos as uploads."""
        arguments = {k: v for k, v in data.items() if k not in PHOTO_FIELDS}
        if self.photo_kind is not None:
            arguments["uploads"] = uploads(data, self.photo_kind)
        return self.resolve(arguments, user) if self.resolve else arguments

    def perform(self, problem: Problem, *, by: Any, **arguments: Any) -> Any:
        return self.service(problem, by=by, **arguments)


ACTIONS: dict[str, ActionSpec] = {
    spec.action: spec
    for spec in (
        ActionSpec(A.CONFIRM_REPORT, services.confirm_report, NoteForm, s.ConfirmReportInput,
                   _("Confirm a citizen report on site."), "success"),
        ActionSpec(A.ACCEPT, services.accept_problem, NoteForm, s.AcceptInput,
                   _("Register the problem."), "primary"),
        ActionSpec(A.VOID, services.void_problem, NoteForm, s.VoidInput,
                   _("Void an invalid report, with the reason."), "danger"),
        ActionSpec(A.MERGE, services.merge_problem, MergeForm, s.MergeInput,
                   _("Close as a duplicate of another open problem."), "secondary",
                   resolve=_merge_arguments),
        ActionSpec(A.DISPATCH, services.dispatch_problem, DispatchForm, s.DispatchInput,
                   _("Send to the responsible unit with a deadline."), "primary"),
        ActionSpec(A.RETURN, services.return_problem, NoteForm, s.ReturnInput,
                   _("Return a mis-dispatched problem to the office."), "warning"),
        ActionSpec(A.REQUEST_EXTENSION, services.request_extension, ExtensionRequestForm,
                   s.RequestExtensionInput, _("Ask for a later deadline."), "warning"),
        ActionSpec(A.APPROVE_EXTENSION, services.approve_extension, ExtensionApprovalForm,
                   s.ApproveExtensionInput, _("Grant the pending extension."), "success"),
        ActionSpec(A.REJECT_EXTENSION, services.reject_extension, NoteForm, s.RejectExtensionInput,
                   _("Refuse the pending extension."), "danger"),
        ActionSpec(A.REQUEST_PAUSE, services.request_pause, NoteForm, s.RequestPauseInput,
                   _("Ask to park the problem."), "secondary"),
        ActionSpec(A.APPROVE_PAUSE, services.approve_pause, NoteForm, s.ApprovePauseInput,
                   _("Park the problem: its deadline clock stops."), "success"),
        ActionSpec(A.REJECT_PAUSE, services.reject_pause, NoteForm, s.RejectPauseInput,
                   _("Refuse the pending pause."), "danger"),
        ActionSpec(A.RESUME, services.resume_problem, NoteForm, s.ResumeInput,
                   _("End the pause; the remaining time counts again."), "primary"),
        ActionSpec(A.SUBMIT, services.submit_rectification, PhotoActionForm, s.SubmitInput,
                   _("Report the fix with after-photos."), "primary", photo_kind=PhotoKind.AFTER),
        ActionSpec(A.SELF_FIX, services.self_fix_problem, PhotoActionForm, s.SelfFixInput,
                   _("Fixed on the spot by the reporter."), "success", photo_kind=PhotoKind.AFTER),
        ActionSpec(A.VERIFY_PASS, services.verify_pass, PhotoActionForm, s.VerifyPassInput,
                   _("The fix holds: close."), "success", photo_kind=PhotoKind.VERIFICATION),
        ActionSpec(A.VERIFY_FAIL, services.verify_fail, PhotoActionForm, s.VerifyFailInput,
                   _("The fix does not hold: rework."), "danger", photo_kind=PhotoKind.VERIFICATION),
        ActionSpec(A.REOPEN, services.reopen_problem, NoteForm, s.ReopenInput,
                   _("Reopen a closed problem; a new clock starts."), "warning"),
        ActionSpec(A.COMMENT, services.comment_problem, NoteForm, s.CommentInput,
                   _("Add a note to the timeline."), "secondary"),
        ActionSpec(A.REMIND, services.remind_problem, NoteForm, s.RemindInput,
                   _("Urge the unit."), "warning"),
    )
}  # fmt: skip
