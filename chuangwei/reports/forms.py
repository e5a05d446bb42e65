"""Forms of the briefing pages; writes go through ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import ModelForm

from .models import Briefing, BriefingSection, Milestone


class DateInput(forms.DateInput):
    input_type = "date"


class BriefingCreateForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Briefing
        fields = ["kind", "period_start", "period_end", "headline"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["headline"].required = False
        self.fields["headline"].help_text = _("Empty: a title from the kind and period.")


class BriefingEditForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Briefing
        fields = [
            "masthead",
            "office",
            "headline",
            "period_start",
            "period_end",
            "issue_date",
            "distribution_bao",
            "distribution_song",
            "distribution_fa",
        ]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "issue_date": DateInput(),
            "distribution_bao": forms.Textarea(attrs={"rows": 2}),
            "distribution_song": forms.Textarea(attrs={"rows": 2}),
            "distribution_fa": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("distribution_bao", "distribution_song", "distribution_fa"):
            self.fields[name].help_text = _("One recipient per line.")


class SectionForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = BriefingSection
        fields = ["heading", "body"]
        widgets = {"body": forms.HiddenInput()}


class MilestoneForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Milestone
        fields = ["name", "date", "kind", "note"]
        widgets = {"date": DateInput()}
