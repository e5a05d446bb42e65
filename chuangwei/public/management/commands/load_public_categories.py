"""Create the citizen categories (随手拍 grid) from problem categories with a public name."""

from typing import Any

from django.core.management.base import BaseCommand

from chuangwei.public.services import sync_public_categories


class Command(BaseCommand):
    help = "Add a citizen category for every active problem category that has a public name."

    def handle(self, *args: Any, **options: Any) -> None:
        created = sync_public_categories()
        self.stdout.write(f"{created} citizen categories added")
