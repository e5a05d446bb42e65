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


BENCHES: dict[str, tuple[str, Bench, bool]] = {
    # name: (title, function, needs a database)
    "grid_assignment": ("Grid assignment (STRtree)", bench_grid_assignment, False),
    "site_import": ("Site import from Excel", bench_site_import, True),
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
    if kind == "sqlite":
        path = OUT / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/chuangwei_bench")
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
    setup_django(prepare_database(kind))
    results = {}
    for name in names:
        started = time.perf_counter()
        results[name] = BENCHES[name][1](opts)
        results[name]["wall_s"] = round(time.perf_counter() - started, 2)
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
    args = parser.parse_args()
    names = [n for n in (args.only.split(",") if args.only else BENCHES) if n]
    opts = {"points": args.points, "site_rows": args.site_rows}
    if args.child:
        child(args.child, names, opts)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "commit": commit(),
        "n": int(os.environ.get("BENCH_N", 1_000_000)),
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
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    write_doc(render(results))
    print(f"wrote {OUT / 'results.json'} and {DOC}")


if __name__ == "__main__":
    main()
