from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnitKind(models.TextChoices):
    """Levels of the block (块) hierarchy plus departments of the line (条) side."""

    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    ZONE = "zone", _("Development zone")
    STREET = "street", _("Street")
    TOWN = "town", _("Town")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    DEPARTMENT = "department", _("Department")
    OTHER = "other", _("Other unit")


ORG_UNIT_KIND_COLORS = {
    OrgUnitKind.CITY: "danger",
    OrgUnitKind.DISTRICT: "primary",
    OrgUnitKind.ZONE: "primary",
    OrgUnitKind.STREET: "info",
    OrgUnitKind.TOWN: "info",
    OrgUnitKind.COMMUNITY: "success",
    OrgUnitKind.VILLAGE: "success",
    OrgUnitKind.DEPARTMENT: "warning",
    OrgUnitKind.OTHER: "secondary",
}

# Kinds that form the territorial (块) hierarchy.
TERRITORIAL_KINDS = frozenset(
    {
        OrgUnitKind.CITY,
        OrgUnitKind.DISTRICT,
        OrgUnitKind.ZONE,
        OrgUnitKind.STREET,
        OrgUnitKind.TOWN,
        OrgUnitKind.COMMUNITY,
        OrgUnitKind.VILLAGE,
    }
)
STREET_LEVEL_KINDS = frozenset({OrgUnitKind.STREET, OrgUnitKind.TOWN})
COMMUNITY_LEVEL_KINDS = frozenset({OrgUnitKind.COMMUNITY, OrgUnitKind.VILLAGE})
