"""Send opted-in reads to the replica database (DATABASE_REPLICA_URL); see docs/deploy.md.

Only code wrapped in ``reading_from_replica()`` reads from the replica, so a page that
writes and then reads never sees replication lag; reports, rankings and dashboard data
opt in. Without a replica configured the context does nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("cw_use_replica", default=False)
REPLICA = "replica"


@contextmanager
def reading_from_replica() -> Iterator[None]:
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _use_replica.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"
