from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "chuangwei.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from .sources import register_sources

        register_sources()
