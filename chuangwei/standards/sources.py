"""Sources that compute indicator values from what the platform already holds.

An indicator whose ``computed_by`` names a source is never typed in: its values are computed
for a unit and a year (``numerator``, ``denominator``) and stored as ``IndicatorValue`` rows
marked ``computed``. The apps that own the data register their sources when they start
(``AppConfig.ready``): the ledger its closure rates, inspections their score rates, the
public side its survey results — so this app knows none of them, and any source the platform
gains later is one ``register`` call away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# compute(unit, year) → (numerator, denominator) over the unit's subtree in that calendar
# year, or None when there is nothing to count (the value is unknown, not zero).
Compute = Callable[[Any, int], tuple[Decimal, Decimal] | None]


@dataclass(frozen=True)
class IndicatorSource:
    """A named computation: ``key`` is what ``Indicator.computed_by`` holds."""

    key: str
    label: Any
    numerator_label: Any
    denominator_label: Any
    compute: Compute
    # A rate shown as a percentage (numerator / denominator × 100), else the plain ratio.
    percent: bool = True


_SOURCES: dict[str, IndicatorSource] = {}


def register(source: IndicatorSource) -> None:
    """Make ``source`` available to indicators (idempotent for the same key)."""
    _SOURCES[source.key] = source


def get(key: str) -> IndicatorSource | None:
    return _SOURCES.get(key)


def all_sources() -> list[IndicatorSource]:
    """Every registered source, by key (for the indicator form's choices and the API)."""
    return [_SOURCES[k] for k in sorted(_SOURCES)]
