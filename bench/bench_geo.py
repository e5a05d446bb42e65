"""Benchmark point-to-grid assignment (``chuangwei.lib.geo.GridIndex``) without Django.

Builds a synthetic three-level grid hierarchy shaped like a real district: 5 large, 21 medium
and 184 small grids tiling a ~20 km x 15 km area around Zaozhuang (lng 117.55, lat 34.85).
Small grids are irregular (jittered corners, bulging edges) and share their edges exactly;
medium and large grids are the rectangles they tile, carrying the same border vertices, so
every small grid nests in a medium one and every medium grid in a large one.
Then it times ``GridIndex.__init__`` and ``GridIndex.locate_many`` over N uniform random points
(seed 42) drawn from a box 10 % larger than the grids, so some points fall outside.

Usage: python bench/bench_geo.py [--points N] [--json PATH] [--repeat R]

Prints one JSON line; ``seconds`` is the best of R timed runs of ``locate_many``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chuangwei.lib.geo import EARTH_RADIUS_M, GridIndex, parse_geometry  # noqa: E402

CENTER_LNG = 117.55
CENTER_LAT = 34.85
WIDTH_M = 20_000.0
HEIGHT_M = 15_000.0
TARGET_POINTS_PER_S = 100_000
# Medium grids per large grid (sums to 21) and, per medium grid, (columns, rows) of small grids:
# 16 medium grids of 3x3 and 5 of 4x2 give 184 small grids.
MEDIUM_PER_LARGE = (4, 4, 4, 4, 5)
SMALL_LAYOUTS = [(3, 3)] * 16 + [(4, 2)] * 5
VERTEX_JITTER = 0.12  # share of a cell's size an inner corner may move; small, so cells stay simple
EDGE_JITTER = 0.03  # share of a cell's size an edge may bulge between corners
EDGE_POINTS = 3  # extra vertices per cell edge, so small grids have ~16 vertices like drawn ones

Ring = list[tuple[float, float]]


def _cells(
    rng: np.random.Generator, bounds: tuple[float, float, float, float], cols: int, rows: int
) -> tuple[list[Ring], Ring]:
    """Tile a rectangle with ``cols`` x ``rows`` irregular cells sharing their edges exactly.

    Inner corners are jittered, points along inner edges bulge sideways; corners and points on
    the rectangle's border only slide along it, so the cells fill the rectangle with no gaps
    or overlaps. Returns the cells and the rectangle's own ring, which reuses the border
    points so that the parent's edges carry the same vertices as its children's.
    """
    x0, y0, x1, y1 = bounds
    dx, dy = (x1 - x0) / cols, (y1 - y0) / rows
    vx = np.repeat(np.linspace(x0, x1, cols + 1)[:, None], rows + 1, axis=1)
    vy = np.repeat(np.linspace(y0, y1, rows + 1)[None, :], cols + 1, axis=0)
    vx[1:-1, :] += rng.uniform(-VERTEX_JITTER, VERTEX_JITTER, (cols - 1, rows + 1)) * dx
    vy[:, 1:-1] += rng.uniform(-VERTEX_JITTER, VERTEX_JITTER, (cols + 1, rows - 1)) * dy
    steps = np.arange(1, EDGE_POINTS + 1) / (EDGE_POINTS + 1)

    # Inner points of the edge from corner (i, j) along x (horizontal) or y (vertical).
    edges: dict[tuple[int, int, bool], Ring] = {}
    for i in range(cols + 1):
        for j in range(rows + 1):
            for horizontal in (True, False):
                i2, j2 = (i + 1, j) if horizontal else (i, j + 1)
                if i2 > cols or j2 > rows:
                    continue
                xs = vx[i, j] + (vx[i2, j2] - vx[i, j]) * steps
                ys = vy[i, j] + (vy[i2, j2] - vy[i, j]) * steps
                inner = 0 < (j if horizontal else i) < (rows if horizontal else cols)
                if inner and horizontal:
                    ys = ys + rng.uniform(-EDGE_JITTER, EDGE_JITTER, EDGE_POINTS) * dy
                elif inner:
                    xs = xs + rng.uniform(-EDGE_JITTER, EDGE_JITTER, EDGE_POINTS) * dx
                edges[i, j, horizontal] = list(zip(xs.tolist(), ys.tolist(), strict=True))

    def corner(i: int, j: int) -> tuple[float, float]:
        return float(vx[i, j]), float(vy[i, j])

    def path(i0: int, j0: int, i1: int, j1: int) -> Ring:
        """Corners and edge points from (i0, j0) to (i1, j1) along one lattice line."""
        out: Ring = []
        horizontal = j0 == j1
        step = 1 if (i1 - i0 if horizontal else j1 - j0) > 0 else -1
        i, j = i0, j0
        while (i, j) != (i1, j1):
            ni, nj = (i + step, j) if horizontal else (i, j + step)
            out.append(corner(i, j))
            if step > 0:
                out.extend(edges[i, j, horizontal])
            else:
                out.extend(reversed(edges[ni, nj, horizontal]))
            i, j = ni, nj
        return out

    def block(i0: int, j0: int, i1: int, j1: int) -> Ring:
        ring = path(i0, j0, i1, j0) + path(i1, j0, i1, j1) + path(i1, j1, i0, j1)
        ring += path(i0, j1, i0, j0)
        return [*ring, ring[0]]

    cells = [block(i, j, i + 1, j + 1) for i in range(cols) for j in range(rows)]
    return cells, block(0, 0, cols, rows)


def _polygon(ring: Ring) -> dict[str, Any]:
    # Stored grids have been through parse_geometry, so the benchmark uses the same form.
    return parse_geometry({"type": "Polygon", "coordinates": [ring]})


def build_grids(seed: int = 42) -> tuple[list[tuple[int, int, dict[str, Any]]], tuple[float, ...]]:
    """Return ``(grid_id, level, geometry)`` triples and the covered extent."""
    rng = np.random.default_rng(seed)
    m_per_deg = EARTH_RADIUS_M * math.pi / 180.0
    half_w = WIDTH_M / 2.0 / (m_per_deg * math.cos(math.radians(CENTER_LAT)))
    half_h = HEIGHT_M / 2.0 / m_per_deg
    extent = (CENTER_LNG - half_w, CENTER_LAT - half_h, CENTER_LNG + half_w, CENTER_LAT + half_h)

    large: list[tuple[int, int, dict[str, Any]]] = []
    medium: list[tuple[int, int, dict[str, Any]]] = []
    small: list[tuple[int, int, dict[str, Any]]] = []
    layouts = iter(SMALL_LAYOUTS)
    strip_w = (extent[2] - extent[0]) / len(MEDIUM_PER_LARGE)
    for strip, medium_count in enumerate(MEDIUM_PER_LARGE):
        sx0 = extent[0] + strip * strip_w
        sx1 = sx0 + strip_w
        row_h = (extent[3] - extent[1]) / medium_count
        large_ring: Ring = []
        left_side: list[Ring] = []
        for row in range(medium_count):
            bounds = (sx0, extent[1] + row * row_h, sx1, extent[1] + (row + 1) * row_h)
            cols, rows = next(layouts)
            cells, medium_ring = _cells(rng, bounds, cols, rows)
            small.extend((0, 3, _polygon(cell)) for cell in cells)
            medium.append((0, 2, _polygon(medium_ring)))
            # Border vertices of the medium grids, reused for the large strip around them.
            n_bottom = cols * (EDGE_POINTS + 1)
            n_side = rows * (EDGE_POINTS + 1)
            bottom = medium_ring[:n_bottom]
            right = medium_ring[n_bottom : n_bottom + n_side]
            top = medium_ring[n_bottom + n_side : 2 * n_bottom + n_side]
            left = medium_ring[2 * n_bottom + n_side : -1]
            if row == 0:
                large_ring.extend(bottom)
            large_ring.extend(right)
            if row == medium_count - 1:
                large_ring.extend(top)
            left_side.append(left)
        for left in reversed(left_side):
            large_ring.extend(left)
        large_ring.append(large_ring[0])
        large.append((0, 1, _polygon(large_ring)))

    grids = [
        (grid_id, level, geometry)
        for grid_id, (_, level, geometry) in enumerate(large + medium + small, start=1)
    ]
    return grids, extent


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    grids, (min_x, min_y, max_x, max_y) = build_grids()
    levels = [sum(1 for _, level, _ in grids if level == lv) for lv in (1, 2, 3)]
    assert levels == [5, 21, 184], levels

    started = time.perf_counter()
    index = GridIndex(grids)
    build_seconds = time.perf_counter() - started

    rng = np.random.default_rng(42)
    pad_x = (max_x - min_x) * 0.05
    pad_y = (max_y - min_y) * 0.05
    lngs = rng.uniform(min_x - pad_x, max_x + pad_x, args.points)
    lats = rng.uniform(min_y - pad_y, max_y + pad_y, args.points)

    index.locate_many(lngs[:1000], lats[:1000])  # warm-up
    seconds = math.inf
    result: list[int | None] = []
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        result = index.locate_many(lngs, lats)
        seconds = min(seconds, time.perf_counter() - started)

    report = {
        "name": "grid_assignment",
        "points": args.points,
        "seconds": round(seconds, 4),
        "points_per_s": round(args.points / seconds) if seconds > 0 else None,
        "target_points_per_s": TARGET_POINTS_PER_S,
        "outside": sum(1 for grid_id in result if grid_id is None),
        "grids": len(index),
        "index_build_seconds": round(build_seconds, 4),
    }
    line = json.dumps(report)
    print(line)
    if args.json is not None:
        args.json.write_text(line + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
