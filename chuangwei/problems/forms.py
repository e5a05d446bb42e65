"""Forms of the ledger pages: the workflow actions' forms, the phone report and configuration.

Which action uses which form is ``actions.ACTIONS``. Action forms only parse input; the
services decide what is required and allowed, and their DomainError fields are put back on
the form (``add_domain_error``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import DomainError
from chuangwei.core.forms import Form, ScopedModelForm, TreeChoiceField
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import ProblemCategory

from . import limits
from .choices import PhotoKind
from .models import CalendarDay, DeadlineRule, Problem
from .services import Upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input; each is checked by the photo service, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/*", "capture": "environment", "multiple": True}
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def add_domain_error(form: forms.Form, exc: DomainError, *, summary: bool = True) -> None:
    """Show a service's refusal on the form: field messages under their fields, the
    message itself on top (unless ``summary`` is off because a toast already says it)."""
    for field, messages in exc.fields.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, str(message))
    if summary:
        form.add_error(None, str(exc.message))


def end_of_day(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


class NoteForm(Form):
    """Actions that take a note (required or not is the workflow's decision)."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, problem: Problem | None = None, user: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.problem = problem
        self.user = user

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"].strip()}


class DispatchForm(NoteForm):
    unit = TreeChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=OrgUnit.objects.none(), required=False
    )
    due_at = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        help_text=_("Empty: from the category's handling time on the working calendar."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        problem = self.problem
        self.fields["unit"].queryset = OrgUnit.objects.filter(is_active=True).order_by("path")
        self.fields["department"].queryset = OrgUnit.objects.filter(
            kind=OrgUnitKind.DEPARTMENT, is_active=True
        ).order_by("path")
        if problem is not None and not self.is_bound:
            self.initial.update(unit=problem.unit_id, department=problem.department_id)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().service_kwargs(),
            "unit": data["unit"],
            "department": data["department"],
            "due_at": data["due_at"],
        }


class MergeForm(NoteForm):
    merged_into = forms.CharField(
        label=_("Duplicate of (problem code)"),
        max_length=32,
        widget=forms.TextInput(attrs={"placeholder": "WT-2026-000123"}),
    )

    def clean_merged_into(self) -> Problem:
        code = self.cleaned_data["merged_into"].strip().upper()
        target = Problem.objects.visible_to(self.user).filter(code=code).first()
        if target is None:
            raise forms.ValidationError(_("No problem with this code."))
        return target

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "into": self.cleaned_data["merged_into"]}


class ExtensionRequestForm(NoteForm):
    requested_due_at = forms.DateField(
        label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def service_kwargs(self) -> dict[str, Any]:
        return {
            **super().service_kwargs(),
            "requested_due_at": end_of_day(self.cleaned_data["requested_due_at"]),
        }


class ExtensionApprovalForm(NoteForm):
    due_at = forms.DateField(
        label=_("New deadline"),
        required=False,
        help_text=_("Empty: the date that was requested."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def service_kwargs(self) -> dict[str, Any]:
        day = self.cleaned_data["due_at"]
        return {**super().service_kwargs(), "due_at": end_of_day(day) if day else None}


class PhotoActionForm(NoteForm):
    """Submit, self-fix and verification: photos (of the action's ``photo_kind``) plus the
    phone's position when taken."""

    photos = MultipleImageField(label=_("Photos"))
    client_lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    client_lat = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, photo_kind: str = PhotoKind.AFTER, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.photo_kind = photo_kind

    def uploads(self) -> list[Upload]:
        data = self.cleaned_data
        return [
            Upload(f, self.photo_kind, data.get("client_lng"), data.get("client_lat"))
            for f in data.get("photos") or []
        ]

    def service_kwargs(self) -> dict[str, Any]:
        return {**super().service_kwargs(), "uploads": self.uploads()}


class ReportForm(Form):
    """The phone report: category, location (device GPS or map pin), photos, description."""

    category = forms.ModelChoiceField(
        label=_("Problem category"),
        queryset=ProblemCategory.objects.none(),
        required=False,
        empty_label=_("Please choose"),
    )
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    accuracy = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address"),
        max_length=limits.ADDRESS,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Street, building, landmark")}),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=limits.DESCRIPTION,
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("What is wrong, and where exactly")}
        ),
    )
    photos = MultipleImageField(label=_("Photos"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProblemCategory.objects.filter(is_active=True).order_by(
            "sort_order", "code"
        )

    def full_clean(self) -> None:
        # An unknown category is the service's ``unknown_category``; the form never rejects it.
        super().full_clean()
        if "category" in self._errors:
            del self._errors["category"]
            self.cleaned_data["category"] = None

    def uploads(self) -> Sequence[Upload]:
        data = self.cleaned_data
        lng, lat = data.get("lng") or None, data.get("lat") or None
        return [Upload(f, PhotoKind.BEFORE, _float(lng), _float(lat)) for f in data["photos"]]


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class BulkForm(Form):
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any integer is accepted here; scope is applied by the view.
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw if str(v).isdigit()]


class CalendarDayForm(ScopedModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class DeadlineRuleForm(ScopedModelForm):
    scoped_fields = {
        "category": lambda user: ProblemCategory.objects.filter(is_active=True).order_by("path")
    }

    class Meta:
        model = DeadlineRule
        fields = ["category", "severity", "amount", "unit"]
