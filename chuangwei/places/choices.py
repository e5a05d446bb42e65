from django.db import models
from django.utils.translation import gettext_lazy as _


class GridLevel(models.IntegerChoices):
    """Three levels of responsibility grids; a point belongs to its smallest grid."""

    LARGE = 1, _("Large grid")
    MEDIUM = 2, _("Medium grid")
    SMALL = 3, _("Small grid")


GRID_LEVEL_COLORS = {
    GridLevel.LARGE: "primary",
    GridLevel.MEDIUM: "info",
    GridLevel.SMALL: "success",
}


class SiteStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


SITE_STATUS_COLORS = {
    SiteStatus.OPERATING: "success",
    SiteStatus.SUSPENDED: "warning",
    SiteStatus.CLOSED: "secondary",
}


class InputCRS(models.TextChoices):
    """Coordinate systems accepted on input; storage is always WGS-84."""

    WGS84 = "wgs84", _("WGS-84 (GPS, Tianditu)")
    GCJ02 = "gcj02", _("GCJ-02 (AMap, Tencent)")
    BD09 = "bd09", _("BD-09 (Baidu)")
