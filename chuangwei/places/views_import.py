from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangwei.core.views_import import ImportView

from .geojson import export_grids_geojson
from .importers import GridImporter, SiteImporter
from .models import Grid


class SiteImportView(ImportView):
    importer_class = SiteImporter
    title = _("Import sites")
    list_url_name = "places:site_list"


class GridImportView(ImportView):
    importer_class = GridImporter
    title = _("Import grids")
    list_url_name = "places:grid_list"


@login_required
def grids_export(request: HttpRequest) -> HttpResponse:
    """Download the visible grids as a GeoJSON file (re-importable)."""
    data = export_grids_geojson(Grid.objects.visible_to(request.user).order_by("path"))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/geo+json; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
    response["Content-Disposition"] = f'attachment; filename="grids_{stamp}.geojson"'
    return response
