"""The 扣分 cell shared by the problem import and a stage's list import."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chuangwei.core.importing import RowInvalid
from chuangwei.problems.importers import cell_points_lost


@pytest.mark.parametrize("text", ["", None])
def test_a_blank_cell_is_zero(text: str | None) -> None:
    assert cell_points_lost(text) == Decimal("0")


def test_a_number_is_read_exactly() -> None:
    assert cell_points_lost("2.5") == Decimal("2.5")


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-1", "100000", "两分"])
def test_anything_else_is_refused_on_the_cell(text: str) -> None:
    with pytest.raises(RowInvalid) as exc:
        cell_points_lost(text)
    assert [column for column, _message in exc.value.faults] == ["points_lost"]
