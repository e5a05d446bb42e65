from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city generator (DESIGN.md §5). No models; only a command and a generator."""

    name = "chuangwei.demo"
    label = "demo"
    verbose_name = _("Demo city")
