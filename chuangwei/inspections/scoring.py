"""Score arithmetic, pure and typed: deduction caps, bands and sheet totals.

No database here; the services feed plain values in and store what comes out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from chuangwei.core.errors import InvalidInput

ZERO = Decimal("0")


@dataclass(frozen=True)
class Band:
    """A judgement band of a banded item: 好 17.5–20, 中 9.5–17, 差 0–9."""

    label: str
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class ItemSpec:
    """What the arithmetic needs to know of a sheet line."""

    id: int
    part_id: int
    points: Decimal
    mode: str  # "deduction", "band" or "group"


@dataclass
class Totals:
    obtained: Decimal = ZERO
    possible: Decimal = ZERO
    lost: Decimal = ZERO
    unscored_bands: list[int] = field(default_factory=list)
    by_part: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)


def format_points(value: Any) -> str:
    """Points as people write them: no trailing zeros (30, 25, 9.5, 0.25); "--" when unknown."""
    if value is None or value == "":
        return "--"
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number.quantize(Decimal('0.01')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


MAX_POINTS = Decimal("100000")


def to_points(value: Any, *, field_name: str = "points") -> Decimal:
    """A points value as Decimal with two places; refuses text, NaN, negatives and values of
    ``MAX_POINTS`` or more."""
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(
            _("Points must be a number."),
            code="bad_points",
            fields={field_name: [_("Enter a number.")]},
        ) from exc
    if not points.is_finite():
        raise InvalidInput(
            _("Points must be a number."),
            code="bad_points",
            fields={field_name: [_("Enter a number.")]},
        )
    if points < 0:
        raise InvalidInput(
            _("Points cannot be negative."),
            code="negative_points",
            fields={field_name: [_("Points cannot be negative.")]},
        )
    if points >= MAX_POINTS:
        # Every points column holds 7 digits with 2 decimals; more would fail in the database.
        raise InvalidInput(
            _("Points must be less than %(max)s.") % {"max": MAX_POINTS},
            code="points_too_large",
            fields={field_name: [_("Points must be less than %(max)s.") % {"max": MAX_POINTS}]},
        )
    return points.quantize(Decimal("0.01"))


# Scores are entered in half points: bands are contiguous when the next band starts at most
# one step above the previous one's top (差 0–4, 中 4.5–8, 好 8.5–10).
SCORE_STEP = Decimal("0.5")


def parse_bands(
    raw: Sequence[Mapping[str, Any]], points: Decimal, *, allow_gaps: bool = False
) -> list[Band]:
    """Bands from their JSON form, checked: labelled, low ≤ high, inside 0…points, no overlap,
    and no gap (a score in half points between two bands); ``allow_gaps`` only for reading
    bands already stored (so older sheets can still be scored and copied)."""
    if not raw:
        raise InvalidInput(
            _("A banded item needs at least one band."),
            code="no_bands",
            fields={"bands": [_("Add bands.")]},
        )
    bands: list[Band] = []
    for entry in raw:
        label = str(entry.get("label", "")).strip()
        low = to_points(entry.get("low"), field_name="bands")
        high = to_points(entry.get("high"), field_name="bands")
        if not label or low > high or high > points:
            raise InvalidInput(
                _("Each band needs a label and a range inside the item's points."),
                code="bad_band",
                fields={"bands": [_("Check the band %(label)s.") % {"label": label or "?"}]},
            )
        bands.append(Band(label, low, high))
    ordered = sorted(bands, key=lambda b: b.low)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.low <= before.high:
            raise InvalidInput(
                _("Bands must not overlap."),
                code="bands_overlap",
                fields={"bands": [_("Bands must not overlap.")]},
            )
        if not allow_gaps and after.low - before.high > SCORE_STEP:
            raise InvalidInput(
                _("Bands must leave no gap: scores between %(high)s and %(low)s belong to no band.")
                % {"high": format_points(before.high), "low": format_points(after.low)},
                code="bands_gap",
                fields={"bands": [_("Bands must leave no gap.")]},
            )
    return bands


def check_deduction(points: Decimal, already: Sequence[Decimal], new: Decimal) -> Decimal:
    """The item score after one more deduction of ``new`` points.

    Raises InvalidInput when ``new`` is not positive or the deductions would exceed the
    item's points (the cap: an item never loses more than it is worth).
    """
    # One message per fault: the field carries the same text, so a page that shows the
    # message and its field messages together shows it once.
    if new <= 0:
        not_positive = _("A deduction must be more than zero points.")
        raise InvalidInput(
            not_positive, code="deduction_not_positive", fields={"points": [not_positive]}
        )
    total = sum(already, ZERO) + new
    if total > points:
        remaining = points - sum(already, ZERO)
        over_cap = _(
            "This item is worth %(points)s points; at most %(remaining)s more can be deducted."
        ) % {"points": format_points(points), "remaining": format_points(remaining)}
        raise InvalidInput(over_cap, code="deduction_over_cap", fields={"points": [over_cap]})
    return points - total


def deduction_score(points: Decimal, deductions: Sequence[Decimal]) -> Decimal:
    """Score of a deduction item: its points minus its findings, never below zero."""
    return max(ZERO, points - sum(deductions, ZERO))


def band_score(bands: Sequence[Band], label: str, score: Decimal | None = None) -> Decimal:
    """Score of a banded item for the chosen band; ``score`` (optional) must lie in the band.

    Without ``score`` the band's top counts (好 → 20).
    """
    for band in bands:
        if band.label == label:
            if score is None:
                return band.high
            if not band.low <= score <= band.high:
                raise InvalidInput(
                    _("The score %(score)s is outside the band %(label)s (%(low)s–%(high)s).")
                    % {
                        "score": format_points(score),
                        "label": label,
                        "low": format_points(band.low),
                        "high": format_points(band.high),
                    },
                    code="score_outside_band",
                    fields={"score": [_("Score outside the band.")]},
                )
            return score
    raise InvalidInput(
        _("Unknown band %(label)s.") % {"label": label},
        code="unknown_band",
        fields={"band": [_("Choose one of the bands.")]},
    )


def sheet_totals(
    items: Sequence[ItemSpec],
    deductions: Mapping[int, Sequence[Decimal]],
    band_scores: Mapping[int, Decimal],
) -> Totals:
    """Totals of one result: sum over scored lines (leaves), and per part of the sheet.

    A deduction item without findings keeps all its points; a banded item not yet judged
    scores nothing and is listed in ``unscored_bands``.
    """
    totals = Totals()
    parts: dict[int, list[Decimal]] = {}
    for item in items:
        if item.mode == "group":
            continue
        if item.mode == "band":
            if item.id in band_scores:
                score = band_scores[item.id]
            else:
                score = ZERO
                totals.unscored_bands.append(item.id)
        else:
            score = deduction_score(item.points, deductions.get(item.id, ()))
        got = parts.setdefault(item.part_id, [ZERO, ZERO])
        got[0] += score
        got[1] += item.points
        totals.obtained += score
        totals.possible += item.points
    totals.lost = (
        totals.possible
        - totals.obtained
        - sum((i.points for i in items if i.id in totals.unscored_bands), ZERO)
    )
    totals.by_part = {k: (v[0], v[1]) for k, v in parts.items()}
    return totals
