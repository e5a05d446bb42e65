"""Background work: run a task in this process after commit, or on an RQ queue in Redis.

``enqueue(func, *args)`` is the one way code hands work to the background. With
``CHUANGWEI_TASKS=inline`` (the default: development, tests, a single small server) the
function runs in this process once the current transaction commits. With
``CHUANGWEI_TASKS=rq`` it is queued in Redis (``REDIS_URL``) by its dotted path and an
``manage.py rqworker`` process runs it. Either way nothing is sent for a transaction
that rolls back. Arguments must be plain JSON-like values (ids, strings, lists).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

INLINE = "inline"
RQ = "rq"


def backend() -> str:
    return str(getattr(settings, "CHUANGWEI_TASKS", INLINE))


@lru_cache(maxsize=1)
def redis_connection() -> Any:
    from redis import Redis

    return Redis.from_url(settings.REDIS_URL)


def queue(name: str = "default") -> Any:
    from rq import Queue

    return Queue(name, connection=redis_connection())


def dotted_path(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def _run_inline(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    try:
        func(*args, **kwargs)
    except Exception:  # the caller's request already succeeded; the worker loops retry
        log.exception("background task %s failed", dotted_path(func))


def enqueue(
    func: Callable[..., Any], *args: Any, queue_name: str = "default", **kwargs: Any
) -> None:
    """Run ``func(*args, **kwargs)`` in the background once the current transaction commits."""
    if backend() == RQ:
        path = dotted_path(func)

        def send() -> None:
            queue(queue_name).enqueue(path, *args, **kwargs)

        transaction.on_commit(send, robust=True)
    else:
        transaction.on_commit(lambda: _run_inline(func, args, kwargs), robust=True)
