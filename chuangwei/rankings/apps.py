from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RankingsConfig(AppConfig):
    name = "chuangwei.rankings"
    label = "rankings"
    verbose_name = _("Metrics and rankings")
