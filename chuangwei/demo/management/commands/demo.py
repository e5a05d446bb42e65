"""``manage.py demo [--seed N] [--sites N] [--reset]``: build the demo city."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chuangwei.demo.generator import (
    DEFAULT_SEED,
    DEFAULT_SITES,
    DEMO_PASSWORD,
    DemoDatabaseNotEmpty,
    DemoLogin,
    DemoSummary,
    build_demo_city,
    demo_logins,
)


class Command(BaseCommand):
    """Build the demo city 枣庄市 (docs/demo.md), deterministic for a seed.

    Safe to run every time (``make demo``): when the demo city is already loaded it
    says so and exits 0. It refuses to mix the demo with other org units unless
    ``--reset`` is given, and ``--reset`` EMPTIES THE WHOLE DATABASE (``flush``) first.
    """

    help = "Build the demo city (org tree, grids, sites, people, logins). See docs/demo.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--sites", type=int, default=DEFAULT_SITES, help="number of sites (default 3200)"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="empty the whole database (manage.py flush) and build the demo again",
        )
        parser.add_argument(
            "--logins", action="store_true", help="only print the demo logins and exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self._logins(demo_logins())
            return
        if options["sites"] < 1:
            raise CommandError(_("--sites must be at least 1."))
        if options["reset"]:
            self.stdout.write(_("Emptying the database (flush)…"))
            call_command("flush", interactive=False, verbosity=0)
        try:
            summary = build_demo_city(
                seed=options["seed"], sites=options["sites"], stdout=self.stdout
            )
        except DemoDatabaseNotEmpty as exc:
            raise CommandError(str(exc.message)) from exc
        if summary.already_loaded:
            self.stdout.write(_("The demo city is already loaded; nothing to do."))
            self._logins(demo_logins())
            return
        self._report(summary)

    def _report(self, summary: DemoSummary) -> None:
        grids = summary.grids
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo city built in %(seconds)ss (seed %(seed)s): %(units)s org units, "
                    "%(people)s people, %(lines)s work lines, grids %(large)s/%(medium)s/%(small)s, "
                    "%(sites)s sites (%(outside)s outside every grid), %(problems)s problems in the "
                    "ledger."
                )
                % {
                    "seconds": summary.seconds,
                    "seed": summary.seed,
                    "units": summary.org_units,
                    "people": summary.people,
                    "lines": summary.work_lines,
                    "large": grids.get(1, 0),
                    "medium": grids.get(2, 0),
                    "small": grids.get(3, 0),
                    "sites": summary.sites,
                    "outside": summary.sites_outside,
                    "problems": summary.problems,
                }
            )
        )
        self._logins(summary.logins)

    def _logins(self, logins: list[DemoLogin]) -> None:
        if not logins:
            self.stdout.write(_("No demo logins: run manage.py demo first."))
            return
        self.stdout.write(
            _("Demo logins (password %(password)s for all):") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(f"  {'username':<16}{'role':<13}unit · name")
        for login in logins:
            self.stdout.write(f"  {login.username:<16}{login.role:<13}{login.unit} · {login.name}")
