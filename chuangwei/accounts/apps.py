from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _count_failed_sign_in(
    sender: Any, credentials: Any = None, request: Any = None, **kw: Any
) -> None:
    from .throttle import count_failure

    count_failure(request)


class AccountsConfig(AppConfig):
    """Technical receivers (no business signals):

    - ``user_login_failed`` → ``throttle.count_failure``: every failed sign-in, whatever path
      called ``authenticate``, counts against its address (the per-address lock beside
      django-axes' per-account lock; see ``throttle``).
    """

    name = "chuangwei.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        user_login_failed.connect(
            _count_failed_sign_in, dispatch_uid="accounts.count_failed_sign_in"
        )
