from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadinessConfig(AppConfig):
    """Readiness for the evaluation: the evaluation cycle and its stages, the evidence dossier
    (台账资料), prerequisite and veto conditions, and the readiness board (DESIGN.md §3.11)."""

    name = "chuangwei.readiness"
    label = "readiness"
    verbose_name = _("Evaluation readiness")
