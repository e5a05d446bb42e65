"""Serve the app the way production would (gunicorn, N workers) and load it from threads.

Only 127.0.0.1. Bounded: each client thread makes a fixed number of requests.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def gunicorn(database_url: str, *, port: int = 8765, workers: int = 4) -> Iterator[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "bench-only",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "AXES_ENABLED": "0",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.ceiling:application",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def login_headers(
    host: str, username: str = "office", password: str = "Demo@2026"
) -> dict[str, dict[str, str]]:
    """Session cookie headers (for pages) and a token header (for the API)."""
    conn = http.client.HTTPConnection(host)
    conn.request("GET", "/accounts/login/")
    resp = conn.getresponse()
    page = resp.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    cookie = resp.getheader("Set-Cookie", "").split(";")[0]
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Referer": f"http://{host}/accounts/login/",
        },
    )
    resp = conn.getresponse()
    resp.read()
    cookies = [c.split(";")[0] for c in resp.headers.get_all("Set-Cookie") or []]
    session = "; ".join([cookie, *cookies])
    conn.request(
        "POST",
        "/api/v1/auth/token/",
        urllib.parse.urlencode({"username": username, "password": password}),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    token = json.loads(conn.getresponse().read())["token"]
    return {"page": {"Cookie": session}, "api": {"Authorization": f"Token {token}"}}


@dataclass(frozen=True)
class Call:
    """One request a client makes: a GET of ``path`` unless a method and body are given."""

    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()
    ok: tuple[int, ...] = (200,)


def load(
    host: str,
    paths: list[str] | list[Call] | list[str | Call],
    headers: dict[str, str],
    *,
    clients: int = 8,
    requests_per_client: int = 40,
) -> dict[str, Any]:
    """Each client thread keeps one connection and cycles through ``paths``."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection(host, timeout=60)
        mine: list[float] = []
        barrier.wait()
        for i in range(requests_per_client):
            item = paths[(index + i) % len(paths)]
            call = item if isinstance(item, Call) else Call(item)
            started = time.perf_counter()
            try:
                conn.request(
                    call.method,
                    call.path,
                    body=call.body,
                    headers={**headers, **dict(call.headers)},
                )
                resp = conn.getresponse()
                resp.read()
                if resp.status not in call.ok:
                    with lock:
                        errors.append(f"{resp.status} {call.method} {call.path}")
            except OSError as exc:
                with lock:
                    errors.append(str(exc))
                conn = http.client.HTTPConnection(host, timeout=60)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, 1)

    return {
        "requests": len(ordered),
        "rps": round(len(ordered) / wall, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.mean(ordered) * 1000, 1),
        "errors": errors[:5],
        "error_count": len(errors),
    }
