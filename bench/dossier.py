"""Benchmarks of the evidence dossier (bench/run.py: ``dossier_completeness``, ``dossier_export``).

Each builds its world inside a transaction that is rolled back, so the other benchmarks'
database is left as it was:

- completeness: 600 streets × 210 check items (one yearly requirement each, 7 aspects × 30
  items) with three years of records, ~60 % filed; ``dossier_completeness`` for one year,
  median of 5;
- export: 10,000 approved records with one 16 KB file each, stored in a temporary media
  folder; the zip is streamed to nowhere while tracemalloc records the peak.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


class Rollback(Exception):
    pass


def _world(
    units: int, items: int, years: tuple[int, ...], filled: float, seed: int
) -> dict[str, Any]:
    from chuangwei.org.models import OrgUnit
    from chuangwei.readiness.models import Evidence, EvidenceRequirement
    from chuangwei.standards.models import StandardClause, StandardVersion

    rng = random.Random(seed)
    version = StandardVersion.objects.create(
        code=f"BENCH-{seed}", name="bench", year=2026, status="published"
    )
    city = OrgUnit.objects.create(code=f"BENCH-CITY-{seed}", name="bench city", kind="city")
    OrgUnit.objects.filter(pk=city.pk).update(path=f"/{city.pk}/")
    made = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"B{seed}-{n}", name=f"街道{n}", kind="street", parent=city, depth=1)
        for n in range(units)
    )
    for unit in made:
        unit.path = f"/{city.pk}/{unit.pk}/"
    OrgUnit.objects.bulk_update(made, ["path"], batch_size=1000)
    aspects = []
    for a in range(7):
        aspect = StandardClause.objects.create(
            version=version, level="aspect", number=str(a + 1), title=f"方面{a + 1}"
        )
        StandardClause.objects.filter(pk=aspect.pk).update(path=f"/{aspect.pk}/")
        aspect.path = f"/{aspect.pk}/"
        aspects.append(aspect)
    clauses = StandardClause.objects.bulk_create(
        StandardClause(
            version=version, parent=aspects[i % 7], level="item", number=str(i + 1),
            title=f"小项{i + 1}", depth=1,
        )
        for i in range(items)
    )  # fmt: skip
    for c in clauses:
        c.path = f"{aspects[(int(c.number) - 1) % 7].path}{c.pk}/"
    StandardClause.objects.bulk_update(clauses, ["path"], batch_size=1000)
    requirements = EvidenceRequirement.objects.bulk_create(
        EvidenceRequirement(
            clause=c, title=f"材料{c.number}", frequency="yearly", unit_kinds=["street"]
        )
        for c in clauses
    )
    records = []
    for year in years:
        for requirement in requirements:
            for unit in made:
                roll = rng.random()
                if roll < filled:
                    records.append(
                        Evidence(
                            requirement=requirement, unit=unit, period=str(year), year=year,
                            status="approved" if roll < filled * 0.8 else "pending",
                            submitted_at=NOW, created_at=NOW,
                        )
                    )  # fmt: skip
    Evidence.objects.bulk_create(records, batch_size=5000)
    return {
        "version": version,
        "units": made,
        "requirements": requirements,
        "records": len(records),
    }


def bench_dossier_completeness(opts: dict[str, Any]) -> dict[str, Any]:
    """The completeness grid for 600 units × 210 items, three years of records."""
    from django.db import transaction

    from chuangwei.readiness.dossier import dossier_completeness

    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            world = _world(600, 210, (2024, 2025, 2026), 0.6, seed=1)
            figures["build_s"] = round(time.perf_counter() - started, 1)
            dossier_completeness(year=2026, version=world["version"])  # warm
            timings = []
            for _round in range(5):
                started = time.perf_counter()
                grid = dossier_completeness(year=2026, version=world["version"])
                timings.append(time.perf_counter() - started)
            figures.update(
                ms=round(statistics.median(timings) * 1000, 1),
                max_ms=round(max(timings) * 1000, 1),
                expected=grid.expected,
                approved=grid.approved,
                records=world["records"],
            )
            raise Rollback
    except Rollback:
        pass
    return {
        "figure": figures["ms"],
        "unit": "ms (median of 5)",
        "target": "< 500 ms for 600 units × 210 items × 3 years",
        "met": figures["ms"] < 500,
        "detail": f"{figures['expected']:,} expected cells, {figures['approved']:,} approved, "
        f"{figures['records']:,} records in 3 years; max {figures['max_ms']} ms; "
        f"world built in {figures['build_s']} s",
    }


def bench_dossier_export(opts: dict[str, Any]) -> dict[str, Any]:
    """The dossier zip of 10,000 approved files, streamed; peak Python memory."""
    from django.db import transaction
    from django.test import override_settings

    from chuangwei.readiness.export import dossier_zip
    from chuangwei.readiness.models import Evidence, EvidenceFile

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        try:
            with transaction.atomic():
                world = _world(50, 200, (2026,), 1.0, seed=2)
                Evidence.objects.filter(requirement__in=world["requirements"]).update(
                    status="approved"
                )
                folder = os.path.join(media, "evidence", "bench")
                os.makedirs(folder)
                body = b"%PDF-1.4\n" + os.urandom(16 * 1024 - 9)
                rows = []
                for pk in Evidence.objects.filter(
                    requirement__in=world["requirements"]
                ).values_list("pk", flat=True):
                    name = f"evidence/bench/{pk}.pdf"
                    with open(os.path.join(media, name), "wb") as out:
                        out.write(body)
                    rows.append(
                        EvidenceFile(
                            evidence_id=pk, file=name, name=f"材料{pk}.pdf", size=len(body),
                            content_type="application/pdf", sha256="0" * 64, uploaded_at=NOW,
                        )
                    )  # fmt: skip
                EvidenceFile.objects.bulk_create(rows, batch_size=2000)
                rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                tracemalloc.start()
                started = time.perf_counter()
                stream = dossier_zip(year=2026, version=world["version"])
                size = 0
                for chunk in stream:
                    size += len(chunk)
                seconds = time.perf_counter() - started
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                figures.update(
                    files=len(rows),
                    peak_mb=round(peak / 1e6, 1),
                    rss_mb=round(rss_after / 1024, 1),
                    rss_growth_mb=round((rss_after - rss_before) / 1024, 1),
                    size_mb=round(size / 1e6, 1),
                    seconds=round(seconds, 1),
                )
                raise Rollback
        except Rollback:
            pass
    return {
        "figure": figures["peak_mb"],
        "unit": "MB peak (tracemalloc)",
        "target": "< 300 MB while streaming 10,000 files",
        "met": figures["peak_mb"] < 300 and figures["rss_growth_mb"] < 300,
        "detail": f"{figures['files']:,} files, zip {figures['size_mb']} MB in "
        f"{figures['seconds']} s (under tracemalloc); process max RSS {figures['rss_mb']} MB, "
        f"grew {figures['rss_growth_mb']} MB while exporting",
    }
