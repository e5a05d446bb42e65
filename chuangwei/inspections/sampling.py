"""Drawing sites for a (mock) covert inspection: quotas per site type and district, a
stored seed, reproducible. Pure: no database."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    site_id: int
    site_type: str
    district_id: int


@dataclass
class Draw:
    site_ids: list[int] = field(default_factory=list)
    # (site type, district, wanted, found) for every quota the candidates could not fill.
    shortfalls: list[tuple[str, int, int, int]] = field(default_factory=list)


def draw_sites(
    candidates: Sequence[Candidate],
    quotas: Mapping[tuple[str, int], int],
    *,
    seed: int,
    exclude: Collection[int] = (),
) -> Draw:
    """Draw ``quotas[(site type, district)]`` sites at random from each pool.

    The result depends only on the seed, the quotas and the candidate set (candidates and
    quotas are sorted first, so their order does not matter): the same seed draws the same
    sites. Sites in ``exclude`` (inspected recently) are left out; a pool smaller than its
    quota gives all it has and a shortfall row.
    """
    rng = random.Random(seed)
    excluded = set(exclude)
    pools: dict[tuple[str, int], list[int]] = {}
    for c in sorted(candidates, key=lambda c: c.site_id):
        if c.site_id not in excluded:
            pools.setdefault((c.site_type, c.district_id), []).append(c.site_id)
    draw = Draw()
    for key in sorted(quotas):
        wanted = quotas[key]
        if wanted <= 0:
            continue
        pool = pools.get(key, [])
        take = min(wanted, len(pool))
        draw.site_ids.extend(sorted(rng.sample(pool, take)))
        if take < wanted:
            draw.shortfalls.append((key[0], key[1], wanted, take))
    return draw


def spread_quota(total: int, districts: Sequence[int]) -> dict[int, int]:
    """Split a city-wide quota over districts as evenly as possible (earlier ids get the
    remainder), e.g. 8 over 3 districts → 3, 3, 2."""
    if not districts:
        return {}
    base, extra = divmod(total, len(districts))
    ordered = sorted(districts)
    return {d: base + (1 if i < extra else 0) for i, d in enumerate(ordered)}
