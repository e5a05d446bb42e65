"""Recompute the ledger's daily counts (``ProblemDayCount``, ``ProblemDayScopeCount``,
``ProblemDayCategoryCount``) from the problems."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chuangwei.problems import stats


class Command(BaseCommand):
    help = (
        "Recompute the daily problem counts the dashboard reads (after a bulk load or to repair)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = stats.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows} daily counting rows rebuilt."))
