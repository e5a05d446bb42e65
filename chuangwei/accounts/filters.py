import django_filters
from django.utils.translation import gettext_lazy as _

from chuangwei.core.filters import BaseFilterSet
from chuangwei.org.filters import UnitFilter

from .choices import Role
from .models import User


class UserFilter(BaseFilterSet):
    search_fields = ("username", "display_name", "phone")
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, field_name="memberships__role", distinct=True
    )
    unit = UnitFilter(_("Unit"), field_name="memberships__unit")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "unit", "is_active"]
