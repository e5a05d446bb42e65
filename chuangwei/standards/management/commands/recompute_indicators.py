"""``manage.py recompute_indicators [--standard CODE] [--year YYYY ...]``: store computed values."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangwei.core.errors import DomainError
from chuangwei.standards.choices import VersionStatus
from chuangwei.standards.models import StandardVersion
from chuangwei.standards.services import recompute_indicator_values


class Command(BaseCommand):
    """Recompute the computed indicators (closure rates, covert-inspection score rate,
    survey results …) for the city, its districts and streets, and store them per year.

    Without ``--standard`` every version that is not retired is recomputed; without
    ``--year`` the current year. Safe to run again: values are replaced, not added.
    """

    help = "Recompute and store the computed indicator values (per version and year)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--standard", dest="version_code", help="version code (default: all)")
        parser.add_argument(
            "--year", type=int, action="append", help="year (repeatable; default: this year)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = StandardVersion.objects.exclude(status=VersionStatus.RETIRED)
        if options["version_code"]:
            versions = StandardVersion.objects.filter(code=options["version_code"])
            if not versions.exists():
                raise CommandError(
                    _("No standard version has the code %(code)s.")
                    % {"code": options["version_code"]}
                )
        years = options["year"] or [timezone.localdate().year]
        for version in versions.order_by("code"):
            for year in years:
                try:
                    result = recompute_indicator_values(version, year)
                except DomainError as exc:
                    raise CommandError(str(exc.message)) from exc
                self.stdout.write(
                    _(
                        "%(version)s %(year)s: %(indicators)s indicators × %(units)s units, "
                        "%(written)s written, %(unchanged)s unchanged, %(removed)s removed"
                    )
                    % {
                        "version": version.code,
                        "year": year,
                        "indicators": result.indicators,
                        "units": result.units,
                        "written": result.written,
                        "unchanged": result.unchanged,
                        "removed": result.removed,
                    }
                )
