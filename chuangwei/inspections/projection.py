"""Projected score on the national 1,000-point covert-inspection sheet. Pure: no database.

Method (shown on the projection page):
1. Each site's latest finished result gives a score rate (obtained / possible) for the part
   of the national sheet its score sheet informs (农贸市场 → 四 农贸市场卫生, …).
2. A part's expected rate is the mean rate of its sites; its expected points are its
   points × that rate. Parts with no results take the mean rate of the parts that have
   results and are flagged as assumed.
3. The expected city score is the sum over parts.
4. Uncertainty: bootstrap over sites. Each round redraws, with replacement, as many sites
   per part as it has, recomputes the sum; the band is the central ``level`` share of the
   rounds (5th–95th percentile for 90 %). Assumed parts stay fixed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class PartSpec:
    code: str
    title: str
    points: Decimal


@dataclass(frozen=True)
class Observation:
    part: str
    site_id: int
    obtained: Decimal
    possible: Decimal


@dataclass(frozen=True)
class PartProjection:
    code: str
    title: str
    points: Decimal
    sites: int
    rate: Decimal
    expected: Decimal
    assumed: bool

    @property
    def lost(self) -> Decimal:
        return self.points - self.expected


@dataclass
class Projection:
    expected: Decimal
    low: Decimal
    high: Decimal
    parts: list[PartProjection] = field(default_factory=list)
    sites: int = 0


def _q(value: float | Decimal, places: str = "0.1") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def project_score(
    parts: Sequence[PartSpec],
    observations: Sequence[Observation],
    *,
    rounds: int = 1000,
    seed: int = 0,
    level: float = 0.9,
) -> Projection:
    """Expected total and its bootstrap band; see the module docstring for the method."""
    rates: dict[str, list[float]] = {p.code: [] for p in parts}
    for obs in sorted(observations, key=lambda o: (o.part, o.site_id)):
        if obs.part in rates and obs.possible > 0:
            rates[obs.part].append(float(obs.obtained / obs.possible))
    observed = [_mean(r) for r in rates.values() if r]
    fallback = _mean(observed) if observed else 1.0
    out: list[PartProjection] = []
    fixed = 0.0
    for part in parts:
        sample = rates[part.code]
        rate = _mean(sample) if sample else fallback
        if not sample:
            fixed += float(part.points) * rate
        out.append(
            PartProjection(
                code=part.code,
                title=part.title,
                points=part.points,
                sites=len(sample),
                rate=_q(rate, "0.0001"),
                expected=_q(float(part.points) * rate),
                assumed=not sample,
            )
        )
    expected = sum(
        float(p.points) * (_mean(rates[p.code]) if rates[p.code] else fallback) for p in parts
    )
    rng = random.Random(seed)
    totals: list[float] = []
    for _round in range(rounds):
        total = fixed
        for part in parts:
            sample = rates[part.code]
            if sample:
                redraw = [sample[rng.randrange(len(sample))] for _ in sample]
                total += float(part.points) * _mean(redraw)
        totals.append(total)
    totals.sort()
    if totals:
        tail = (1 - level) / 2
        low = totals[max(0, math.floor(tail * rounds))]
        high = totals[min(rounds - 1, math.ceil((1 - tail) * rounds) - 1)]
    else:
        low = high = expected
    return Projection(
        expected=_q(expected),
        low=_q(min(low, expected)),
        high=_q(max(high, expected)),
        parts=out,
        sites=len({o.site_id for o in observations}),
    )
