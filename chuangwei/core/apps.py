from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chuangwei.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Technical chore: the embedded SQLite database and uploads live in DATA_DIR,
        # which a fresh clone does not have yet.
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        from . import lookups

        lookups.register()
