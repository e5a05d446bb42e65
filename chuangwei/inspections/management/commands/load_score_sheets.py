"""Load the shipped score sheets (data/score_sheets.json). Safe to run again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from chuangwei.inspections.services import load_sheet_data

DATA = Path(__file__).resolve().parents[2] / "data" / "score_sheets.json"


def load_score_sheets() -> tuple[int, int]:
    """Create every shipped sheet version that is missing; return (created, already there)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    created = existing = 0
    for sheet in data["sheets"]:
        _row, made = load_sheet_data(sheet)
        created += made
        existing += not made
    return created, existing


class Command(BaseCommand):
    help = "Load the shipped score sheets (national 1,000-point sheet, market, toilet, …)."

    def handle(self, *args: Any, **options: Any) -> None:
        created, existing = load_score_sheets()
        self.stdout.write(f"score sheets: {created} created, {existing} already there")
