"""Ledger benchmarks: bulk data generator and measurements at up to 1,000,000 problems.

``generate(n)`` builds the demo city (org tree, grids, sites, categories, logins) and then
N problems spread over two years with their events, by bulk inserts: realistic mixes of
categories, sources and states (most closed, some overdue, reworked, paused, recurring).
Photos are references: every problem gets ``PHOTOS_PER_PROBLEM`` photo rows (before, and
after once fixed) pointing at a few small JPEG files written once under MEDIA_ROOT/bench/,
with distinct hashes; the photo pipeline itself is measured by the report POST benchmark.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
ESCALATION_HOURS = (24, 72, 168)
STATUS_MIX = [  # status, share
    ("closed", 0.80),
    ("dispatched", 0.07),
    ("submitted", 0.03),
    ("paused", 0.01),
    ("reported", 0.02),
    ("accepted", 0.01),
    ("verifying_report", 0.01),
    ("voided", 0.04),
    ("merged", 0.01),
]
SOURCE_MIX = [
    ("grid_patrol", 0.55),
    ("citizen", 0.15),
    ("city_supervision", 0.10),
    ("mock_covert", 0.06),
    ("department_check", 0.05),
    ("hotline", 0.05),
    ("supervisor", 0.02),
    ("provincial_covert", 0.015),
    ("national_covert", 0.005),
]


def _utc_text(value: datetime) -> str:
    """What Django stores for an aware datetime in SQLite: naive UTC text."""
    return str(value.astimezone(UTC).replace(tzinfo=None))


class Row(dict[str, Any]):
    """A row being built: attribute access reads and writes keys."""

    __getattr__ = dict.__getitem__  # type: ignore[assignment]
    __setattr__ = dict.__setitem__  # type: ignore[assignment]


class RawWriter:
    """Insert dict rows straight into a model's table: COPY on PostgreSQL, executemany on
    SQLite. The ORM's bulk_create spent ~80 % of generation time building model instances and
    preparing values (profiled); here only datetimes (SQLite) and JSON are adapted. Columns a
    row leaves out take the field's default."""

    def __init__(self, model: Any, *, with_pk: bool = False) -> None:
        import json

        from django.db import connection, models

        self.connection = connection
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.names = [f.attname for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sqlite = connection.vendor == "sqlite"
        self.adapters: dict[int, Any] = {}
        for i, f in enumerate(fields):
            if isinstance(f, models.JSONField):
                self.adapters[i] = json.dumps
            elif sqlite and isinstance(f, models.DateTimeField):
                self.adapters[i] = _utc_text
            elif sqlite and isinstance(f, models.DecimalField):
                self.adapters[i] = str

    def _tuples(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        names, defaults, adapters = self.names, self.defaults, self.adapters
        out = []
        for row in rows:
            values = [row.get(name, defaults[name]) for name in names]
            for i, adapt in adapters.items():
                if values[i] is not None:
                    values[i] = adapt(values[i])
            out.append(tuple(values))
        return out

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        tuples = self._tuples(rows)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for values in tuples:
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(self.names))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", tuples
                )


PHOTOS_PER_PROBLEM = 3
FIXED = ("submitted", "closed")


def _photo_files() -> dict[str, tuple[str, int]]:
    """Three small JPEGs (before, after, thumbnail) stored once; rows point at them."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    files = {}
    for name, color, size in (
        ("before", (150, 90, 60), 640),
        ("after", (80, 150, 90), 640),
        ("thumb", (120, 120, 120), 160),
    ):
        path = f"bench/{name}.jpg"
        if not default_storage.exists(path):
            out = io.BytesIO()
            Image.new("RGB", (size, size * 3 // 4), color).save(out, "JPEG", quality=70)
            default_storage.save(path, ContentFile(out.getvalue()))
        files[name] = (path, default_storage.size(path))
    return files


def add_photo_refs(first_pk: int, last_pk: int, *, seed: int = 7, batch: int = 20_000) -> int:
    """Photo rows for problems ``first_pk..last_pk`` (inclusive); returns how many."""
    from django.db import transaction

    from chuangwei.problems.models import Problem, ProblemPhoto

    if PHOTOS_PER_PROBLEM <= 0:
        return 0
    rng = random.Random(seed)
    files = _photo_files()
    writer = RawWriter(ProblemPhoto)
    made = 0
    low = first_pk
    while low <= last_pk:
        high = min(last_pk, low + batch - 1)
        rows = Problem.objects.filter(pk__range=(low, high)).values_list(
            "pk", "status", "reported_at", "reporter_id"
        )
        photos = []
        for pk, status, reported, reporter in rows:
            kinds = ["before"] * PHOTOS_PER_PROBLEM
            if status in FIXED:
                kinds[-1] = "after"
            for j, kind in enumerate(kinds):
                path, size = files[kind]
                photos.append(
                    {
                        "problem_id": pk,
                        "kind": kind,
                        "original": path,
                        "thumbnail": files["thumb"][0],
                        "public_copy": path,
                        "content_type": "image/jpeg",
                        "size": size,
                        "width": 640,
                        "height": 480,
                        "sha256": f"{pk:048x}{j:016x}",
                        "phash": f"{rng.getrandbits(64):016x}",
                        "created_at": reported,
                        "uploaded_by_id": reporter,
                    }
                )
        with transaction.atomic():
            writer.write(photos)
        made += len(photos)
        low = high + 1
    return made


def _pick(rng: random.Random, mix: list[tuple[str, float]]) -> str:
    x = rng.random()
    for value, share in mix:
        x -= share
        if x <= 0:
            return value
    return mix[-1][0]


def ensure_city(stdout: Any = None) -> None:
    from chuangwei.demo.generator import build_demo_city, demo_loaded

    if not demo_loaded():
        import inspect

        kwargs: dict[str, Any] = {"sites": 3200}
        if "problems" in inspect.signature(build_demo_city).parameters:
            kwargs["problems"] = False
        build_demo_city(**kwargs)


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every non-unique index of ``tables``."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname ="
                " i.indexname JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename ="
                " ANY(%s) AND NOT x.indisunique",
                [tables],
            )
        else:
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                f" AND sql NOT LIKE 'CREATE UNIQUE%%' AND tbl_name IN ({marks})",
                tables,
            )
        return list(cursor.fetchall())


class IndexesDeferred:
    """Drops the secondary indexes of the ledger tables for a bulk load and builds them
    again afterwards: one sorted build per index instead of an insert into every index
    for every row (SQLite spent most of the 1M load maintaining 20-odd indexes)."""

    def __init__(self, models: list[Any]) -> None:
        self.tables = [m._meta.db_table for m in models]
        self.indexes: list[tuple[str, str]] = []

    def __enter__(self) -> IndexesDeferred:
        from django.db import connection

        self.indexes = _secondary_indexes(self.tables)
        with connection.cursor() as cursor:
            for name, _sql in self.indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return self

    def __exit__(self, *exc: Any) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            for _name, sql in self.indexes:
                cursor.execute(sql)


# Who files a report of each source, as the services record it: the grid's own worker for
# patrol finds, the inspector for supervision and covert checks, the office for hotline
# calls; citizens report anonymously through the public pages and Open311.
REPORTER_OF_SOURCE = {
    "city_supervision": "inspector",
    "mock_covert": "inspector",
    "provincial_covert": "inspector",
    "national_covert": "inspector",
    "department_check": "handler_cg",
    "hotline": "office",
    "supervisor": "supervisor",
}


def _reporters(grid_pks: list[int]) -> dict[Any, int]:
    """Reporter user ids by grid pk (that grid's worker, given a login here if they lack
    one) and by source name. Without reporters every problem's reporter is NULL, and
    SQLite's planner, reading that from its statistics, scans the table for "my reports"."""
    from django.contrib.auth.hashers import make_password

    from chuangwei.accounts.models import User
    from chuangwei.places.models import Grid

    out: dict[Any, int] = {
        source: pk
        for source, username in REPORTER_OF_SOURCE.items()
        if (pk := User.objects.filter(username=username).values_list("pk", flat=True).first())
    }
    workers = {}
    for grid_pk, person_pk, user_pk in Grid.workers.through.objects.filter(
        grid_id__in=grid_pks
    ).values_list("grid_id", "person_id", "person__user_id"):
        workers.setdefault(grid_pk, (person_pk, user_pk))
    password = make_password(None)
    missing = {person for person, user in workers.values() if user is None}
    if missing:
        User.objects.bulk_create(
            [User(username=f"bench-gw-{person}", password=password) for person in sorted(missing)]
        )
        made = dict(
            User.objects.filter(username__startswith="bench-gw-").values_list("username", "pk")
        )
        from chuangwei.org.models import Person

        for person in missing:
            Person.objects.filter(pk=person).update(user_id=made[f"bench-gw-{person}"])
    users = dict(
        Grid.workers.through.objects.filter(grid_id__in=grid_pks).values_list(
            "person_id", "person__user_id"
        )
    )
    for grid_pk, (person_pk, _user) in workers.items():
        out[grid_pk] = users[person_pk]
    return out


def generate(
    n: int, *, seed: int = 7, now: datetime | None = None, batch: int = 10_000
) -> dict[str, Any]:
    """Insert ``n`` problems and their events in bulk; returns counts and seconds."""
    from django.db import connection, transaction

    from chuangwei.accounts.models import User
    from chuangwei.places.models import Grid
    from chuangwei.problems.models import Problem, ProblemEvent, ProblemPhoto
    from chuangwei.standards.models import ProblemCategory

    ensure_city()
    started = time.perf_counter()
    rng = random.Random(seed)
    now = now or datetime(2026, 11, 1, 12, 0, tzinfo=SH)
    span = timedelta(days=730)
    grids = list(
        Grid.objects.filter(level=3).values_list(
            "pk", "unit_id", "bbox_min_lng", "bbox_min_lat", "bbox_max_lng", "bbox_max_lat"
        )
    )
    categories = list(
        ProblemCategory.objects.filter(
            children__isnull=True, deadline_amount__isnull=False
        ).values_list(
            "pk",
            "default_department_id",
            "default_work_line_id",
            "default_work_line__lead_department_id",
        )
    )
    # A few categories dominate, as in real ledgers.
    weights = [8 if i < 6 else 1 for i in range(len(categories))]
    actor = User.objects.filter(username="office").values_list("pk", flat=True).first()
    reporters = _reporters([g[0] for g in grids])
    start_pk = (Problem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    problem_writer, event_writer = RawWriter(Problem, with_pk=True), RawWriter(ProblemEvent)
    # A running system appends problems as they are reported, so ids (and the table's heap)
    # follow the reporting time: draw the times first and write them in order. Random order
    # spread one month's rows over the whole table, which no real ledger does.
    offsets = sorted((rng.random() ** 1.3 for _ in range(n)), reverse=True)
    made = events = 0
    with IndexesDeferred([Problem, ProblemEvent, ProblemPhoto]):
        while made < n:
            size = min(batch, n - made)
            problems: list[Row] = []
            event_rows: list[tuple[int, str, str, str, datetime]] = []
            for i in range(size):
                pk = start_pk + made + i
                grid = rng.choice(grids)
                cat = rng.choices(categories, weights)[0]
                reported = now - span * offsets[made + i]
                status = _pick(rng, STATUS_MIX)
                lng = grid[2] + (grid[4] - grid[2]) * rng.random()
                lat = grid[3] + (grid[5] - grid[3]) * rng.random()
                dispatched = reported + timedelta(hours=rng.uniform(0.2, 6))
                due = dispatched + timedelta(hours=rng.choice([4, 8, 24, 48, 72]))
                late = rng.random() < 0.12
                submitted = (
                    due + timedelta(hours=rng.uniform(1, 48))
                    if late
                    else dispatched + (due - dispatched) * rng.uniform(0.2, 0.95)
                )
                closed = submitted + timedelta(hours=rng.uniform(1, 24))
                source = _pick(rng, SOURCE_MIX)
                p = Row(
                    id=pk,
                    code=f"WT-{reported.year}-{pk:07d}",
                    tracking_code=f"B{pk:09d}",
                    source=source,
                    reporter_id=reporters.get(grid[0])
                    if source == "grid_patrol"
                    else reporters.get(source),
                    category_id=cat[0],
                    lng=lng,
                    lat=lat,
                    address="",
                    grid_id=grid[0],
                    unit_id=grid[1],
                    department_id=cat[1] or cat[3],
                    work_line_id=cat[2],
                    severity="normal",
                    status=status,
                    reported_at=reported,
                    created_at=reported,
                    updated_at=reported,
                    description="批量生成的问题",
                    rework_count=1 if rng.random() < 0.06 else 0,
                )
                trail = [
                    (
                        "report",
                        "",
                        status if status in ("reported", "verifying_report") else "reported",
                        reported,
                    )
                ]
                if status not in ("reported", "verifying_report", "voided", "merged", "accepted"):
                    p.accepted_at, p.dispatched_at, p.due_at = reported, dispatched, due
                    p.warn_at = dispatched + (due - dispatched) * 0.8
                    p.deadline_amount, p.deadline_unit = 4, "work_hours"
                    trail.append(("dispatch", "reported", "dispatched", dispatched))
                    if status == "dispatched":
                        if due > now:
                            p.remind_at = p.warn_at if p.warn_at > now else None
                            p.overdue_at = due
                        else:
                            # Steady state of a running worker: levels already raised for every
                            # span passed; only the next one is pending.
                            passed = [
                                h for h in ESCALATION_HOURS if due + timedelta(hours=h) <= now
                            ]
                            p.escalation_level = len(passed)
                            later = [h for h in ESCALATION_HOURS if due + timedelta(hours=h) > now]
                            p.escalate_at = due + timedelta(hours=later[0]) if later else None
                    if status == "paused":
                        p.paused_at = dispatched + timedelta(hours=1)
                        trail.append(("approve_pause", "dispatched", "paused", p.paused_at))
                    if status in ("submitted", "closed"):
                        p.submitted_at, p.submitted_by_id = submitted, actor
                        trail.append(("submit", "dispatched", "submitted", submitted))
                    if status == "closed":
                        p.closed_at, p.closed_on_time = closed, submitted <= due
                        trail.append(("verify_pass", "submitted", "closed", closed))
                elif status == "accepted":
                    p.accepted_at = reported + timedelta(hours=1)
                    trail.append(("accept", "reported", "accepted", p.accepted_at))
                elif status in ("voided", "merged"):
                    trail.append(
                        (
                            "void" if status == "voided" else "merge",
                            "reported",
                            status,
                            reported + timedelta(hours=2),
                        )
                    )
                problems.append(p)
                event_rows.extend((pk, *t) for t in trail)
            with transaction.atomic():
                problem_writer.write(problems)
                event_writer.write(
                    [
                        {
                            "problem_id": pk,
                            "action": a,
                            "from_status": f,
                            "to_status": t,
                            "created_at": at,
                            "actor_id": actor,
                            "processed_at": at,
                        }
                        for pk, a, f, t, at in event_rows
                    ]
                )
            made += size
            events += len(event_rows)
        photos = add_photo_refs(start_pk, start_pk + made - 1, seed=seed) if made else 0
    from chuangwei.problems import stats

    stats.rebuild()  # the dashboard's daily counts, as the services would have kept them
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does to a settled table: statistics, and the visibility map
            # that lets counts and filters use index-only scans (a bounded COUNT on the
            # status index went from ~50 ms to ~10 ms at 1M problems).
            cursor.execute("VACUUM ANALYZE")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('problems_problem','id'), (SELECT max(id) FROM problems_problem))"
            )
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "problems": made,
        "events": events,
        "photos": photos,
        "seconds": round(time.perf_counter() - started, 1),
    }
