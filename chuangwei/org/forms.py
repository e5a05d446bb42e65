from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chuangwei.core.forms import ScopedModelForm, TreeChoiceField

from .models import LeaderAssignment, OrgUnit, Person, ResponsibilityAgreement, WorkLine


def _units(user):  # type: ignore[no-untyped-def]
    return OrgUnit.objects.visible_to(user)


def _departments(user):  # type: ignore[no-untyped-def]
    return OrgUnit.objects.departments()


def _people(user):  # type: ignore[no-untyped-def]
    return Person.objects.visible_to(user).select_related("unit")


class OrgUnitForm(ScopedModelForm):
    scoped_fields = {"parent": _units, "head": _people, "liaison": _people}
    parent = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("parent"), required=False)

    class Meta:
        model = OrgUnit
        fields = [
            "parent",
            "code",
            "name",
            "short_name",
            "kind",
            "sort_order",
            "head",
            "liaison",
            "address",
            "is_active",
        ]


class WorkLineForm(ScopedModelForm):
    scoped_fields = {"lead_department": _departments, "member_departments": _departments}

    class Meta:
        model = WorkLine
        fields = [
            "code",
            "name",
            "lead_department",
            "member_departments",
            "responsibilities",
            "sort_order",
        ]


class PersonForm(ScopedModelForm):
    scoped_fields = {"unit": _units}
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("unit"))

    class Meta:
        model = Person
        fields = ["name", "unit", "position", "phone", "is_active"]


class LeaderAssignmentForm(ScopedModelForm):
    scoped_fields = {"leader": _people, "unit": _units}
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("assigned unit"))

    class Meta:
        model = LeaderAssignment
        fields = ["leader", "unit", "start_date", "end_date", "note"]


class AgreementForm(ScopedModelForm):
    scoped_fields = {"unit": _units}
    unit = TreeChoiceField(queryset=OrgUnit.objects.none(), label=_("unit"))

    class Meta:
        model = ResponsibilityAgreement
        fields = [
            "unit",
            "year",
            "title",
            "targets",
            "closure_rate_target",
            "signed_on",
            "document",
        ]
