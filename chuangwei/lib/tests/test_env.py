"""Typed environment variables: the city bounds setting."""

from __future__ import annotations

import pytest

from chuangwei.lib.env import EnvError, bbox_setting


def test_bbox_setting_reads_four_numbers() -> None:
    values = ["116.9", "34.4", "118.0", "35.3"]
    assert bbox_setting("CHUANGWEI_CITY_BOUNDS", values) == (116.9, 34.4, 118.0, 35.3)


def test_empty_bbox_setting_is_none() -> None:
    assert bbox_setting("CHUANGWEI_CITY_BOUNDS", []) is None


@pytest.mark.parametrize(
    "values",
    [
        ["116.9", "34.4", "118.0"],
        ["116.9", "34.4", "118.0", "north"],
        ["118.0", "34.4", "116.9", "35.3"],  # min above max
        ["34.4", "116.9", "35.3", "118.0"],  # lat and lng swapped: latitude out of range
        ["nan", "34.4", "118.0", "35.3"],
    ],
)
def test_bad_bbox_setting_stops_the_start(values: list[str]) -> None:
    with pytest.raises(EnvError, match="CHUANGWEI_CITY_BOUNDS"):
        bbox_setting("CHUANGWEI_CITY_BOUNDS", values)
