from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "chuangwei.problems"
    label = "problems"
    verbose_name = _("Rectification ledger")

    def ready(self) -> None:
        from .sources import register_sources

        register_sources()
        # Technical chore: a saved or deleted calendar day drops this process's cached
        # working calendar at once (other processes refresh within CALENDAR_TTL_S).
        from django.db.models.signals import post_delete, post_save

        from .deadlines import forget_calendar
        from .models import CalendarDay

        def _forget(**kwargs: object) -> None:
            forget_calendar()

        post_save.connect(_forget, sender=CalendarDay, weak=False, dispatch_uid="cw-calendar-save")
        post_delete.connect(_forget, sender=CalendarDay, weak=False, dispatch_uid="cw-calendar-del")
