from django.utils.translation import gettext_lazy as _

from chuangwei.core.views_import import ImportView

from .importers import OrgUnitImporter


class OrgUnitImportView(ImportView):
    importer_class = OrgUnitImporter
    title = _("Import org units")
    list_url_name = "org:orgunit_list"
