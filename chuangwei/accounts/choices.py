from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a membership lets a person do (DESIGN.md §2)."""

    ADMIN = "admin", _("System administrator")
    OFFICE = "office", _("Campaign office staff")
    INSPECTOR = "inspector", _("Inspector")
    HANDLER = "handler", _("Unit handler")
    GRID_WORKER = "grid_worker", _("Grid worker")
    LEADER = "leader", _("Leader")
    SUPERVISOR = "supervisor", _("Volunteer supervisor")


ROLE_COLORS = {
    Role.ADMIN: "danger",
    Role.OFFICE: "primary",
    Role.INSPECTOR: "info",
    Role.HANDLER: "success",
    Role.GRID_WORKER: "warning",
    Role.LEADER: "dark",
    Role.SUPERVISOR: "secondary",
}

# Roles whose holders see and manage the whole city whatever unit the membership names.
CITY_WIDE_ROLES = frozenset({Role.ADMIN, Role.OFFICE})
# Roles that maintain configuration (org tree, grids, sites, standards).
CONFIG_ROLES = frozenset({Role.ADMIN, Role.OFFICE})
