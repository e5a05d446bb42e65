"""Daily patrol coverage of grid workers. Pure: no database.

A check-in counts for the local (Asia/Shanghai) calendar day of its time, so 23:50 and
00:10 fall on two days, and for every assigned grid whose path contains the grid the point
fell in (a check-in in a small grid covers the medium grid above it). A check-in in a grid
the worker is not assigned to covers nothing of theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Checkin:
    worker_id: int
    grid_path: str | None  # materialised path of the grid the point fell in, None outside
    at: datetime


@dataclass
class WorkerCoverage:
    worker_id: int
    grids: int
    # day → number of assigned grids with at least one check-in that day
    covered: dict[date, int] = field(default_factory=dict)
    checkins: dict[date, int] = field(default_factory=dict)
    reports: dict[date, int] = field(default_factory=dict)

    def share(self, day: date) -> float:
        return self.covered.get(day, 0) / self.grids if self.grids else 0.0

    def mean_share(self, days: Sequence[date]) -> float:
        return sum(self.share(d) for d in days) / len(days) if days else 0.0


def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL).date()


def daily_coverage(
    assigned: Mapping[int, Sequence[str]],
    checkins: Sequence[Checkin],
    days: Sequence[date],
    reports: Sequence[tuple[int, datetime]] = (),
) -> dict[int, WorkerCoverage]:
    """Per worker (``assigned``: worker id → paths of their grids) and local day: assigned
    grids covered, check-ins made and problems reported during patrols."""
    wanted = set(days)
    out = {w: WorkerCoverage(w, len(paths)) for w, paths in assigned.items()}
    seen: dict[tuple[int, date], set[str]] = {}
    for c in checkins:
        day = local_day(c.at)
        if c.worker_id not in out or day not in wanted:
            continue
        row = out[c.worker_id]
        row.checkins[day] = row.checkins.get(day, 0) + 1
        if c.grid_path is None:
            continue
        hit = {p for p in assigned[c.worker_id] if c.grid_path.startswith(p)}
        seen.setdefault((c.worker_id, day), set()).update(hit)
    for (worker, day), grids in seen.items():
        out[worker].covered[day] = len(grids)
    for worker, moment in reports:
        day = local_day(moment)
        if worker in out and day in wanted:
            out[worker].reports[day] = out[worker].reports.get(day, 0) + 1
    return out
