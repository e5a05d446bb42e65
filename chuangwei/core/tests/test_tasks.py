"""Background tasks: inline after commit by default, through Redis and an RQ worker when asked."""

import json
import logging
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from chuangwei.core import tasks

CALLS: list[tuple] = []


def record(*args, **kwargs):
    CALLS.append((args, kwargs))


@pytest.fixture(autouse=True)
def _clear():
    CALLS.clear()
    yield
    CALLS.clear()


@pytest.mark.django_db
def test_inline_task_runs_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(record, 7, note="x")
        assert CALLS == []
    assert CALLS == [((7,), {"note": "x"})]


@pytest.mark.django_db(transaction=True)
def test_inline_task_is_dropped_on_rollback():
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue(record, 1)
        raise RuntimeError("rolled back")
    assert CALLS == []


@pytest.mark.django_db
def test_inline_task_failure_is_logged_not_raised(django_capture_on_commit_callbacks, caplog):
    def boom():
        raise ValueError("no")

    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(boom)
    assert "background task" in caplog.text


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    try:
        Redis.from_url(settings.REDIS_URL).ping()
    except RedisDown:
        pytest.skip("Redis is not running")


@pytest.mark.django_db
def test_rq_backend_queues_by_path_and_the_worker_runs_it(
    settings, django_capture_on_commit_callbacks
):
    _redis_or_skip()
    settings.CHUANGWEI_TASKS = "rq"
    name = f"test-{uuid.uuid4().hex[:8]}"
    with django_capture_on_commit_callbacks(execute=True):
        tasks.enqueue(record, 42, queue_name=name)
    queue = tasks.queue(name)
    assert [job.func_name for job in queue.jobs] == ["chuangwei.core.tests.test_tasks.record"]
    assert CALLS == []
    call_command("rqworker", name, "--burst", "--simple")
    assert CALLS == [((42,), {})]
    queue.delete(delete_jobs=True)


def test_json_log_format_writes_one_object_per_line():
    from pythonjsonlogger.json import JsonFormatter

    config = dict(settings.LOGGING["formatters"]["json"])
    config.pop("()")
    formatter = JsonFormatter(**config)
    record_ = logging.LogRecord(
        "chuangwei.x", logging.WARNING, __file__, 1, "问题 %s", ("WT-1",), None
    )
    line = json.loads(formatter.format(record_))
    assert (line["level"], line["logger"], line["message"]) == (
        "WARNING",
        "chuangwei.x",
        "问题 WT-1",
    )
    assert "time" in line


def test_replica_router_reads_from_replica_only_inside_the_context(settings, monkeypatch):
    from chuangwei.core.db_router import ReplicaRouter, reading_from_replica

    monkeypatch.setitem(settings.DATABASES, "replica", {"ENGINE": "django.db.backends.sqlite3"})
    router = ReplicaRouter()
    assert router.db_for_read(None) is None
    with reading_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate("replica", "problems") is False


def test_replica_context_is_harmless_without_a_replica():
    from chuangwei.core.db_router import ReplicaRouter, reading_from_replica

    with reading_from_replica():
        assert ReplicaRouter().db_for_read(None) is None
