"""Forms of the public pages, with the friction that keeps robots out (a honeypot field
and a minimum fill time) while people never notice it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput
from chuangwei.core.forms import Form
from chuangwei.lib import geo
from chuangwei.problems import limits
from chuangwei.problems.choices import PhotoKind
from chuangwei.problems.forms import MultipleImageField
from chuangwei.problems.services import Upload

from .choices import Satisfaction
from .models import PublicCategory

STAMP_SALT = "chuangwei.public.form-started"
DEFAULT_MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 3600


def min_fill_seconds() -> float:
    return float(getattr(settings, "CHUANGWEI_PUBLIC_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS))


def new_stamp() -> str:
    return signing.dumps(time.time(), salt=STAMP_SALT)


class FrictionForm(Form):
    """A hidden field people never fill (``website``) and a signed start time: a post
    that fills the trap, has no valid stamp or comes back faster than a person could type
    is refused with a plain message, and nothing is stored."""

    website = forms.CharField(required=False)
    started = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = new_stamp()

    @property
    def stamp(self) -> str:
        """The start stamp to render: the posted one (kept after an error) or a new one."""
        return str(self.data.get("started", "")) if self.is_bound else self.initial["started"]

    def keep_stamp(self) -> str:
        """The stamp to render again after an error: the posted one while it is valid, so
        the minimum fill time still counts from when the person first opened the form
        (correcting a refused form is not too quick); a new one otherwise."""
        try:
            signing.loads(
                str(self.data.get("started", "")), salt=STAMP_SALT, max_age=MAX_FORM_AGE_SECONDS
            )
        except (signing.BadSignature, TypeError, ValueError):
            return new_stamp()
        return str(self.data["started"])

    def check_friction(self) -> None:
        """Raise InvalidInput (``honeypot`` / ``too_fast``) for a robot-like post."""
        data = self.data
        if data.get("website"):
            raise InvalidInput(
                _("The form could not be accepted. Reload the page and try again."),
                code="honeypot",
            )
        try:
            started = float(
                signing.loads(
                    data.get("started", ""), salt=STAMP_SALT, max_age=MAX_FORM_AGE_SECONDS
                )
            )
        except (signing.BadSignature, TypeError, ValueError) as exc:
            raise InvalidInput(
                _("The form has expired. Reload the page and fill it again."), code="form_expired"
            ) from exc
        if time.time() - started < min_fill_seconds():
            raise InvalidInput(
                _("That was too quick. Check the form and send it again."), code="too_fast"
            )


class CitizenReportForm(FrictionForm):
    category = forms.ModelChoiceField(
        queryset=PublicCategory.objects.none(), required=False, empty_label=None
    )
    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    crs = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(max_length=limits.ADDRESS, required=False)
    description = forms.CharField(
        max_length=limits.DESCRIPTION, required=False, widget=forms.Textarea
    )
    phone = forms.CharField(max_length=limits.PHONE, required=False)
    email = forms.EmailField(required=False)
    notify = forms.BooleanField(required=False)
    photos = MultipleImageField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = PublicCategory.objects.filter(
            is_active=True, category__is_active=True
        ).select_related("category")

    def full_clean(self) -> None:
        # An unknown category is the service's ``unknown_category``.
        super().full_clean()
        if "category" in self._errors:
            del self._errors["category"]
            self.cleaned_data["category"] = None

    def uploads(self) -> Sequence[Upload]:
        data = self.cleaned_data
        lng, lat = _float(data.get("lng")), _float(data.get("lat"))
        if (data.get("crs") or geo.CRS_WGS84) != geo.CRS_WGS84:
            lng = lat = None  # device positions are stored in WGS-84 only
        return [Upload(f, PhotoKind.BEFORE, lng, lat) for f in data.get("photos") or []]


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class RatingForm(FrictionForm):
    level = forms.ChoiceField(choices=Satisfaction.choices, required=False)
    comment = forms.CharField(max_length=500, required=False, widget=forms.Textarea)


def form_errors(form: forms.Form) -> InvalidInput:
    return InvalidInput(fields={k: list(v) for k, v in form.errors.items()}, code="invalid")
