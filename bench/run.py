#!/usr/bin/env python
"""Benchmark runner: `make bench` (BENCH_N, BENCH_DATABASES and BENCH_ONLY select what runs).

Each benchmark returns a dict with its figures; the runner adds machine and commit, writes
bench/out/results.json and regenerates the results table in docs/performance.md between
the markers ``<!-- bench:start -->`` and ``<!-- bench:end -->``. Speed is measured here, never
in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "performance.md"
sys.path.insert(0, str(ROOT))

Bench = Callable[[dict[str, Any]], dict[str, Any]]


def bench_grid_assignment(opts: dict[str, Any]) -> dict[str, Any]:
    """Point-in-polygon assignment over a 5/21/184 grid hierarchy (pure, no database)."""
    out = (
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "bench_geo.py"), "--points", str(opts["points"])],
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    data = json.loads(out)
    return {
        "figure": data["points_per_s"],
        "unit": "points/s",
        "target": f"≥ {data['target_points_per_s']:,} points/s",
        "met": data["points_per_s"] >= data["target_points_per_s"],
        "detail": f"{data['points']:,} points, {data['grids']} grids, {data['seconds']} s",
    }


def bench_site_import(opts: dict[str, Any]) -> dict[str, Any]:
    """Excel import of N sites through the real importer (rolled back afterwards)."""
    from chuangwei.places.benchmarks import bench_site_import as run

    n = opts["site_rows"]
    data = run(n, filename="sites.xlsx")
    seconds = data["seconds_import"]
    return {
        "figure": seconds,
        "unit": "s",
        "target": "< 60 s for 100,000 rows",
        "met": seconds < 60 * n / 100_000,
        "detail": f"{n:,} rows, {data.get('rows_per_s', round(n / seconds))} rows/s",
    }


def bench_ledger_data(opts: dict[str, Any]) -> dict[str, Any]:
    """Bulk-generate N problems with their events (the data the next benchmarks use)."""
    from bench.ledger import generate

    data = generate(opts["n"])
    return {
        "figure": data["seconds"],
        "unit": "s",
        "target": "minutes for 1M (issue 8)",
        "met": data["seconds"] < 30 * 60,
        "detail": f"{data['problems']:,} problems, {data['events']:,} events",
    }


def _http_bench(opts: dict[str, Any], kind: str, paths: list[str]) -> dict[str, Any]:
    from bench.http_load import gunicorn, load, login_headers

    with gunicorn(opts["database_url"], workers=opts["workers"]) as host:
        headers = login_headers(host)[kind]
        load(host, paths, headers, clients=2, requests_per_client=5)  # warm up
        r = load(host, paths, headers, clients=8, requests_per_client=opts["requests"])
    return {
        "figure": r["p95_ms"],
        "unit": "ms p95",
        "target": "p95 < 100 ms at 1M",
        "met": r["p95_ms"] < 100 and r["error_count"] == 0,
        "detail": f"p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, {r['rps']} req/s, 8 clients, "
        f"{opts['workers']} workers, {r['requests']} requests, errors {r['error_count']}",
    }


def _some_category() -> int:
    from chuangwei.problems.models import Problem

    return Problem.objects.values_list("category_id", flat=True).first() or 0


def _some_code() -> str:
    from chuangwei.problems.models import Problem

    return Problem.objects.order_by("pk").values_list("code", flat=True)[1000:1001].first() or ""


def bench_ledger_list_page(opts: dict[str, Any]) -> dict[str, Any]:
    cat = _some_category()
    paths = [
        "/problems/",
        "/problems/?status=dispatched",
        f"/problems/?category={cat}",
        "/problems/?page=5",
        "/problems/?q=WT-2026",
    ]
    return _http_bench(opts, "page", paths)


def bench_ledger_api_list(opts: dict[str, Any]) -> dict[str, Any]:
    cat = _some_category()
    paths = [
        "/api/v1/problems/",
        "/api/v1/problems/?status=dispatched",
        f"/api/v1/problems/?category={cat}",
        "/api/v1/problems/?page=5&page_size=50",
    ]
    return _http_bench(opts, "api", paths)


def bench_deadline_sweep(opts: dict[str, Any]) -> dict[str, Any]:
    """One sweep over all open problems (warn, overdue, escalate passes)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from chuangwei.problems.models import Problem
    from chuangwei.problems.sweeper import sweep

    open_rows = Problem.objects.filter(status="dispatched").count()
    started = time.perf_counter()
    result = sweep(datetime(2026, 11, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    seconds = round(time.perf_counter() - started, 2)
    return {
        "figure": seconds,
        "unit": "s",
        "target": "< 5 s over all open problems",
        "met": seconds < 5,
        "detail": f"{open_rows:,} dispatched rows; {result}",
    }


def bench_ledger_export(opts: dict[str, Any]) -> dict[str, Any]:
    """Streaming Excel export of every problem in a separate process; peak memory."""
    code = (
        "import os, resource, time, django, sys; sys.path.insert(0, os.getcwd());"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chuangwei.settings'); django.setup();"
        "from chuangwei.problems.exports import export_ledger; from chuangwei.problems.models import Problem;"
        "t = time.perf_counter(); f = export_ledger(Problem.objects.all());"
        "size = f.seek(0, 2); f.close();"
        "print(round(time.perf_counter() - t, 1), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, size)"
    )
    env = {**os.environ, "DATABASE_URL": opts["database_url"]}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True
    ).stdout.split()
    seconds, peak_mb, size = float(out[0]), int(out[1]), int(out[2])
    return {
        "figure": peak_mb,
        "unit": "MB peak",
        "target": "< 300 MB while exporting 1M rows",
        "met": peak_mb < 300,
        "detail": f"{seconds} s, file {size / 1e6:.0f} MB",
    }


def bench_ranking_month(opts: dict[str, Any]) -> dict[str, Any]:
    """Ranking of all units (streets, communities, departments, grids) for one month, in
    process: the metrics queries, scoring and storing the draft snapshots."""
    from datetime import date

    from chuangwei.rankings import services
    from chuangwei.rankings.periods import period_containing

    period = period_containing("month", date(2026, 10, 1))
    schemes = [services.default_scheme(k) for k in ("street", "community", "department", "grid")]
    services.compute_snapshot(schemes[0], period)  # warm the connection and caches
    timings = []
    entries = 0
    for _round in range(3):
        started = time.perf_counter()
        snapshots = services.compute_snapshots(schemes, period)
        timings.append(time.perf_counter() - started)
        entries += sum(s.entries.count() for s in snapshots)
    seconds = round(sorted(timings)[1], 2)
    return {
        "figure": seconds,
        "unit": "s",
        "target": "< 2 s at 1M",
        "met": seconds < 2,
        "detail": f"{period.label}, 4 kinds, {entries // 3:,} entries, median of 3 "
        f"(min {min(timings):.2f} s, max {max(timings):.2f} s)",
    }


BENCHES: dict[str, tuple[str, Bench, bool]] = {
    # name: (title, function, needs a database)
    "grid_assignment": ("Grid assignment (STRtree)", bench_grid_assignment, False),
    "site_import": ("Site import from Excel", bench_site_import, True),
    "ledger_data": ("Ledger data generation", bench_ledger_data, True),
    "ledger_list_page": ("Problem list page", bench_ledger_list_page, True),
    "ledger_api_list": ("/api/v1/problems/ list", bench_ledger_api_list, True),
    "deadline_sweep": ("Deadline sweep", bench_deadline_sweep, True),
    "ledger_export": ("Ledger Excel export (streaming)", bench_ledger_export, True),
    "ranking_month": ("Ranking: all units, one month", bench_ranking_month, True),
}


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangwei.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def prepare_database(kind: str) -> str:
    """A fresh benchmark database, or with BENCH_REUSE=1 the one the last run left."""
    reuse = os.environ.get("BENCH_REUSE") == "1"
    if kind == "sqlite":
        path = OUT / "bench.sqlite3"
        if reuse and path.exists():
            return f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/chuangwei_bench")
    if reuse:
        return url
    base, name = url.rsplit("/", 1)
    subprocess.run(
        ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True
    )
    subprocess.run(["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    return url


def run_database_benches(kind: str, names: list[str], opts: dict[str, Any]) -> dict[str, Any]:
    """Run the database benchmarks for one backend in a child process (clean Django state)."""
    cmd = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--only",
        ",".join(names),
        "--points",
        str(opts["points"]),
        "--site-rows",
        str(opts["site_rows"]),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {n: {"error": proc.stderr.strip().splitlines()[-1:]} for n in names}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def child(kind: str, names: list[str], opts: dict[str, Any]) -> None:
    opts["database_url"] = prepare_database(kind)
    setup_django(opts["database_url"])
    results = {}
    for name in names:
        started = time.perf_counter()
        try:
            results[name] = BENCHES[name][1](opts)
        except Exception as exc:  # noqa: BLE001 - one failing benchmark must not hide the others
            results[name] = {"error": [f"{type(exc).__name__}: {exc}"[:300]]}
        results[name]["wall_s"] = round(time.perf_counter() - started, 2)
        print(name, results[name], file=sys.stderr, flush=True)
    print(json.dumps(results, ensure_ascii=False))


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def render(results: dict[str, Any]) -> str:
    lines = [
        f"Run {results['when']} on {results['machine']} (commit `{results['commit']}`), "
        f"BENCH_N={results['n']:,}.",
        "",
        "| benchmark | database | figure | target | met | detail |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, per_db in results["benches"].items():
        title = BENCHES[name][0]
        for db, r in per_db.items():
            if "error" in r:
                lines.append(f"| {title} | {db} | error | | | {' '.join(r['error'])} |")
                continue
            figure = f"{r['figure']:,} {r['unit']}"
            lines.append(
                f"| {title} | {db} | {figure} | {r['target']} | {'yes' if r['met'] else 'NO'} "
                f"| {r['detail']} |"
            )
    return "\n".join(lines)


def write_doc(table: str) -> None:
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else "# Performance\n\n<!-- bench:start -->\n<!-- bench:end -->\n"
    )
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    DOC.write_text(f"{head}{start}\n{table}\n{end}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child")
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""))
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument(
        "--site-rows", type=int, default=int(os.environ.get("BENCH_SITE_ROWS", 100_000))
    )
    parser.add_argument("--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgres"))
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", 1_000_000)))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 50)))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 4)))
    args = parser.parse_args()
    names = [n for n in (args.only.split(",") if args.only else BENCHES) if n]
    opts = {
        "points": args.points,
        "site_rows": args.site_rows,
        "n": args.n,
        "requests": args.requests,
        "workers": args.workers,
    }
    if args.child:
        child(args.child, names, opts)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "commit": commit(),
        "n": args.n,
        "benches": {},
    }
    db_names = [n for n in names if BENCHES[n][2]]
    for name in names:
        if not BENCHES[name][2]:
            results["benches"][name] = {"-": BENCHES[name][1](opts)}
            print(name, results["benches"][name])
    for kind in [d for d in args.databases.split(",") if d]:
        for name, r in run_database_benches(kind, db_names, opts).items():
            results["benches"].setdefault(name, {})[kind] = r
            print(name, kind, r)
    previous = OUT / "results.json"
    if os.environ.get("BENCH_MERGE") == "1" and previous.exists():
        # Re-running some benchmarks keeps the other figures of the last full run.
        old = json.loads(previous.read_text())
        for name, per_db in results["benches"].items():
            old.setdefault("benches", {}).setdefault(name, {}).update(per_db)
        old.update({k: results[k] for k in ("when", "machine", "commit")})
        results = old
    previous.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    write_doc(render(results))
    print(f"wrote {OUT / 'results.json'} and {DOC}")


if __name__ == "__main__":
    main()
