from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "chuangwei.public"
    label = "public"
    verbose_name = _("Public participation")

    def ready(self) -> None:
        from .sources import register_sources

        register_sources()
        # Opted-in citizens hear when their problem moves to the next public stage; the
        # ledger knows nothing of this app, so we listen to its event rows.
        from django.db.models.signals import post_save

        from chuangwei.problems.models import ProblemEvent

        from .signals import on_problem_event

        post_save.connect(
            on_problem_event, sender=ProblemEvent, weak=False, dispatch_uid="cw-public-updates"
        )
