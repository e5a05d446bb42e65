"""The demo city's three-level grids: invented polygons over the real urban cores.

Each large grid (大网格) is a block placed over the urban core of one district or zone,
at roughly its real position. A block is a lattice of small cells; a rectangle of cells
makes a medium grid (中网格), one cell makes a small grid (小网格). Lattice corners and
edge midpoints are jittered once, and every polygon is traced through the same points,
so neighbours share their edges exactly: the grids partition each block with no gaps or
overlaps, yet do not look like graph paper.

Codes: ``3704-L1`` (large), ``3704-L1-M2`` (its second medium grid), ``3704-L1-M2-S07``
(the seventh small grid of that medium grid); numbering runs from the north-west.
Pure Python: no database, no shapely.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

CITY_CODE = "3704"
DIVISIONS_FILE = Path(__file__).resolve().parent.parent / "org" / "data" / "zaozhuang.json"
KM_PER_DEG_LAT = 110.574

Point = tuple[float, float]


@dataclass(frozen=True)
class Block:
    """One large grid: where it lies, how its lattice is cut and who owns the medium grids.

    ``col_breaks``/``row_breaks`` cut the lattice into medium grids (cell indices, west to
    east and south to north); ``medium_owners`` names the street of each medium grid,
    row by row from the north-west.
    """

    unit_code: str
    centre: Point
    size_km: tuple[float, float]
    col_breaks: tuple[int, ...]
    row_breaks: tuple[int, ...]
    medium_owners: tuple[str, ...]

    @property
    def cols(self) -> int:
        return self.col_breaks[-1]

    @property
    def rows(self) -> int:
        return self.row_breaks[-1]


# 5 large / 21 medium / 184 small grids (DESIGN.md §5).
BLOCKS: tuple[Block, ...] = (
    # 市中区: 6 streets, 3 × 2 medium grids of 3 × 3 cells = 54 small grids.
    Block(
        "370402",
        (117.556, 34.862),
        (8.1, 5.4),
        (0, 3, 6, 9),
        (0, 3, 6),
        ("370402001", "370402002", "370402003", "370402004", "370402005", "370402006"),
    ),
    # 薛城区: 4 streets, 2 × 2 medium grids of 3 × 3 = 36.
    Block(
        "370403",
        (117.262, 34.796),
        (5.4, 5.4),
        (0, 3, 6),
        (0, 3, 6),
        ("370403001", "370403002", "370403005", "370403006"),
    ),
    # 高新区 (兴城街道, 张范街道): 2 × 2 medium grids of 3 × 3 = 36.
    Block(
        "370471",
        (117.345, 34.815),
        (6.0, 6.0),
        (0, 3, 6),
        (0, 3, 6),
        ("370403003", "370403003", "370403004", "370403004"),
    ),
    # 峄城区: 2 × 2 medium grids of 3 × 3 = 36.
    Block(
        "370404",
        (117.590, 34.772),
        (4.8, 4.8),
        (0, 3, 6),
        (0, 3, 6),
        ("370404001", "370404001", "370404002", "370404103"),
    ),
    # 台儿庄区: 3 medium grids of 4, 4 and 3 columns by 2 rows = 22.
    Block(
        "370405",
        (117.734, 34.562),
        (5.5, 2.0),
        (0, 4, 8, 11),
        (0, 2),
        ("370405001", "370405001", "370405104"),
    ),
)


@dataclass(frozen=True)
class GridPlan:
    """A grid to create: code, name, level (1–3), parent code, owning unit code, polygon."""

    code: str
    name: str
    level: int
    parent_code: str | None
    unit_code: str
    geometry: dict[str, Any]
    # Small grids only: the four jittered corners (SW, SE, NE, NW) sites are placed between.
    corners: tuple[Point, ...] = ()


@dataclass
class Lattice:
    """Jittered corners and edge midpoints of one block, in WGS-84 degrees."""

    block: Block
    corners: dict[tuple[int, int], Point] = field(default_factory=dict)
    h_mid: dict[tuple[int, int], Point] = field(default_factory=dict)  # edge (i,j)-(i+1,j)
    v_mid: dict[tuple[int, int], Point] = field(default_factory=dict)  # edge (i,j)-(i,j+1)

    def outline(self, c0: int, c1: int, r0: int, r1: int) -> list[list[float]]:
        """The closed ring around cells [c0, c1) × [r0, r1), counter-clockwise."""
        ring: list[Point] = []
        for i in range(c0, c1):
            ring += [self.corners[i, r0], self.h_mid[i, r0]]
        for j in range(r0, r1):
            ring += [self.corners[c1, j], self.v_mid[c1, j]]
        for i in range(c1, c0, -1):
            ring += [self.corners[i, r1], self.h_mid[i - 1, r1]]
        for j in range(r1, r0, -1):
            ring += [self.corners[c0, j], self.v_mid[c0, j - 1]]
        ring.append(ring[0])
        return [[lng, lat] for lng, lat in ring]

    def north_edge_point(self, t: float) -> Point:
        """A point on the block's northern edge, ``t`` in [0, 1) from west to east."""
        i = min(int(t * self.block.cols), self.block.cols - 1)
        frac = t * self.block.cols - i
        (x0, y0), (x1, y1) = self.corners[i, self.block.rows], self.corners[i + 1, self.block.rows]
        return x0 + (x1 - x0) * frac, y0 + (y1 - y0) * frac


@dataclass
class GridLayout:
    """Every grid to create (parents first) and the lattices they were traced from."""

    grids: list[GridPlan]
    lattices: dict[str, Lattice]

    def by_level(self, level: int) -> list[GridPlan]:
        return [g for g in self.grids if g.level == level]


@cache
def load_divisions() -> dict[str, Any]:
    """The committed extract of 枣庄市's divisions (see org/data/extract_divisions.py)."""
    with DIVISIONS_FILE.open(encoding="utf-8") as fh:
        document: dict[str, Any] = json.load(fh)
    return document


def division_units() -> list[dict[str, Any]]:
    units: list[dict[str, Any]] = load_divisions()["units"]
    return units


def _degrees_per_km(lat: float) -> Point:
    km_per_deg_lng = KM_PER_DEG_LAT * math.cos(math.radians(lat)) * 1.0068
    return 1.0 / km_per_deg_lng, 1.0 / KM_PER_DEG_LAT


def build_lattice(block: Block, rng: random.Random) -> Lattice:
    """Jitter the block's lattice: interior corners more, boundary corners along the edge."""
    lattice = Lattice(block)
    width, height = block.size_km
    cw, ch = width / block.cols, height / block.rows
    dlng, dlat = _degrees_per_km(block.centre[1])
    lng0 = block.centre[0] - width / 2 * dlng
    lat0 = block.centre[1] - height / 2 * dlat

    def to_deg(x: float, y: float) -> Point:
        return round(lng0 + x * dlng, 7), round(lat0 + y * dlat, 7)

    km: dict[tuple[int, int], Point] = {}
    for i in range(block.cols + 1):
        for j in range(block.rows + 1):
            ax = 0.18 if 0 < i < block.cols else 0.05
            ay = 0.18 if 0 < j < block.rows else 0.05
            km[i, j] = (
                i * cw + rng.uniform(-ax, ax) * cw,
                j * ch + rng.uniform(-ay, ay) * ch,
            )
            lattice.corners[i, j] = to_deg(*km[i, j])
    for i in range(block.cols):
        for j in range(block.rows + 1):
            a = 0.09 if 0 < j < block.rows else 0.04
            (x0, y0), (x1, y1) = km[i, j], km[i + 1, j]
            lattice.h_mid[i, j] = to_deg((x0 + x1) / 2, (y0 + y1) / 2 + rng.uniform(-a, a) * ch)
    for i in range(block.cols + 1):
        for j in range(block.rows):
            a = 0.09 if 0 < i < block.cols else 0.04
            (x0, y0), (x1, y1) = km[i, j], km[i, j + 1]
            lattice.v_mid[i, j] = to_deg((x0 + x1) / 2 + rng.uniform(-a, a) * cw, (y0 + y1) / 2)
    return lattice


def _polygon(ring: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring]}


def _numbered(name: str, index: int, total: int, suffix: str) -> str:
    return f"{name}{suffix}" if total == 1 else f"{name}第{index}{suffix}"


def plan_grids(seed: int) -> GridLayout:
    """The 5 / 21 / 184 grids of the demo city, deterministic for a seed."""
    rng = random.Random(f"{seed}:grids")
    units = {u["code"]: u for u in division_units()}
    members: dict[str, list[str]] = {}
    for unit in division_units():
        if unit["kind"] in ("community", "village"):
            members.setdefault(unit["parent"], []).append(unit["code"])

    grids: list[GridPlan] = []
    lattices: dict[str, Lattice] = {}
    medium_totals = Counter(owner for block in BLOCKS for owner in block.medium_owners)
    medium_seen: Counter[str] = Counter()
    for large_index, block in enumerate(BLOCKS, start=1):
        lattice = build_lattice(block, rng)
        lattices[block.unit_code] = lattice
        large_code = f"{CITY_CODE}-L{large_index}"
        district = units[block.unit_code]
        grids.append(
            GridPlan(
                code=large_code,
                name=f"{district.get('short_name') or district['name']}大网格",
                level=1,
                parent_code=None,
                unit_code=block.unit_code,
                geometry=_polygon(lattice.outline(0, block.cols, 0, block.rows)),
            )
        )
        mediums = [
            (c0, c1, r0, r1)
            for r0, r1 in reversed(list(zip(block.row_breaks, block.row_breaks[1:], strict=False)))
            for c0, c1 in zip(block.col_breaks, block.col_breaks[1:], strict=False)
        ]
        small_plans: list[tuple[str, str, tuple[int, int]]] = []  # (medium code, street, cell)
        for medium_index, ((c0, c1, r0, r1), street) in enumerate(
            zip(mediums, block.medium_owners, strict=True), start=1
        ):
            medium_seen[street] += 1
            medium_code = f"{large_code}-M{medium_index}"
            grids.append(
                GridPlan(
                    code=medium_code,
                    name=_numbered(
                        units[street]["name"], medium_seen[street], medium_totals[street], "中网格"
                    ),
                    level=2,
                    parent_code=large_code,
                    unit_code=street,
                    geometry=_polygon(lattice.outline(c0, c1, r0, r1)),
                )
            )
            for j in range(r1 - 1, r0 - 1, -1):
                for i in range(c0, c1):
                    small_plans.append((medium_code, street, (i, j)))
        grids.extend(_small_grids(small_plans, lattice, units, members))
    return GridLayout(grids, lattices)


def _small_grids(
    plans: list[tuple[str, str, tuple[int, int]]],
    lattice: Lattice,
    units: dict[str, dict[str, Any]],
    members: dict[str, list[str]],
) -> list[GridPlan]:
    """Small grids of one block; each street's communities take its small grids in turn."""
    per_street: Counter[str] = Counter()
    owners: list[str] = []
    for _medium, street, _cell in plans:
        communities = members.get(street) or [street]
        owners.append(communities[per_street[street] % len(communities)])
        per_street[street] += 1
    totals = Counter(owners)
    seen: Counter[str] = Counter()
    per_medium: Counter[str] = Counter()
    result: list[GridPlan] = []
    for (medium_code, _street, (i, j)), owner in zip(plans, owners, strict=True):
        seen[owner] += 1
        per_medium[medium_code] += 1
        result.append(
            GridPlan(
                code=f"{medium_code}-S{per_medium[medium_code]:02d}",
                name=_numbered(units[owner]["name"], seen[owner], totals[owner], "网格"),
                level=3,
                parent_code=medium_code,
                unit_code=owner,
                geometry=_polygon(lattice.outline(i, i + 1, j, j + 1)),
                corners=(
                    lattice.corners[i, j],
                    lattice.corners[i + 1, j],
                    lattice.corners[i + 1, j + 1],
                    lattice.corners[i, j + 1],
                ),
            )
        )
    return result


def point_in_cell(corners: tuple[Point, ...], u: float, v: float) -> Point:
    """Bilinear interpolation between a cell's corners (SW, SE, NE, NW); u, v in [0, 1]."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = corners
    lng = (1 - u) * (1 - v) * x0 + u * (1 - v) * x1 + u * v * x2 + (1 - u) * v * x3
    lat = (1 - u) * (1 - v) * y0 + u * (1 - v) * y1 + u * v * y2 + (1 - u) * v * y3
    return round(lng, 7), round(lat, 7)
