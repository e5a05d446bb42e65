"""The import base: header spellings, unknown columns, every fault of every row."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils.translation import override

from chuangwei.core.errors import InvalidInput
from chuangwei.core.importing import (
    ImportColumn,
    ImportFailed,
    ImportResult,
    RowFaults,
    RowInvalid,
    TableImporter,
    normalise_header,
)
from chuangwei.org.importers import OrgUnitImporter
from chuangwei.places.importers import GridImporter, SiteImporter
from chuangwei.problems.importers import InspectionProblemImporter


def number(column: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RowInvalid(column, "must be a whole number") from None


class PairImporter(TableImporter[tuple[str, int, int]]):
    """Two numbers and a name; each bad number is its own fault."""

    columns = (
        ImportColumn("name", "Name", required=True, aliases=("名称",)),
        ImportColumn("low", "Low", required=True, aliases=("下限",)),
        ImportColumn("high", "High", aliases=("上限", "upper_bound")),
    )

    def validate_row(
        self, number_: int, values: dict[str, Any], seen: dict[str, Any]
    ) -> tuple[str, int, int]:
        faults = RowFaults()
        low = faults.check(number, "low", values.get("low"), fallback=0)
        high = faults.check(number, "high", values.get("high") or low, fallback=0)
        if not faults.has("low", "high") and low > high:
            faults.add("high", "must not be below low")
        faults.raise_any()
        return (str(values.get("name")), low, high)

    def apply(self, items: list[tuple[str, int, int]], *, by: Any) -> ImportResult:
        return ImportResult(created=len(items))


def check(text: str, **kwargs: Any) -> ImportResult:
    with override("en"):
        return PairImporter().run(
            io.BytesIO(text.encode()), "pairs.csv", by=None, commit=False, **kwargs
        )


def faults(text: str, **kwargs: Any) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        check(text, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    "header",
    [
        "upper_bound",
        "Upper Bound",
        "UPPER-BOUND",
        "upperbound",
        "ｕｐｐｅｒ＿ｂｏｕｎｄ",
        "upper bound*",
        "*Upper_Bound ",
        "上限",
        "上 限＊",
        "High",
        "high",
    ],
)
def test_every_usual_spelling_of_a_header_finds_its_column(header: str) -> None:
    assert check(f"名称,下限,{header}\n甲,1,5\n").total == 1


def test_normalise_header_folds_width_case_separators_and_required_mark() -> None:
    assert (
        normalise_header("Ｐａｒｅｎｔ　Ｃｏｄｅ＊")
        == normalise_header("parent_code")
        == "parentcode"
    )


def test_a_row_reports_every_fault_not_only_the_first() -> None:
    error = faults("name,low,high\n甲,x,y\n乙,,z\n")

    assert [(e.row, e.column, e.message) for e in error.errors] == [
        (2, "Low", "must be a whole number"),
        (2, "High", "must be a whole number"),
        (3, "Low", "is required"),
        (3, "High", "must be a whole number"),
    ]


def test_every_missing_required_cell_of_a_row_is_reported() -> None:
    error = faults("name,low,high\n,,3\n")

    assert [(e.row, e.column, e.message) for e in error.errors] == [
        (2, "Name", "is required"),
        (2, "Low", "is required"),
    ]


def test_an_unknown_column_refuses_the_file_and_names_it() -> None:
    error = faults("name,low,备注\n甲,1,很重要\n")

    assert (error.code, error.unknown_columns, error.errors) == ("unknown_columns", ["备注"], [])
    assert "“备注”" in str(error.message)


def test_an_unknown_column_is_left_out_when_the_caller_says_so() -> None:
    result = check("name,low,备注\n甲,1,很重要\n", ignore_unknown=True)

    assert (result.total, result.unknown_columns) == (1, ["备注"])


def test_data_under_a_blank_header_is_an_unknown_column() -> None:
    error = faults("name,low,\n甲,1,\n乙,2,多出\n")

    assert error.unknown_columns == ["column C (no header)"]


def test_an_empty_column_without_header_is_not_reported() -> None:
    assert check("name,low,,\n甲,1,,\n").unknown_columns == []


def test_row_faults_come_with_the_unknown_columns() -> None:
    error = faults("name,low,备注\n甲,x,很重要\n", ignore_unknown=True)

    assert (error.code, error.unknown_columns) == ("import_failed", ["备注"])
    assert [e.message for e in error.errors] == ["must be a whole number"]


def test_two_headers_meaning_one_column_are_an_error_naming_both() -> None:
    error = faults("name,high,下限,upper_bound\n甲,1,1,2\n")

    assert [(e.row, e.column, e.message) for e in error.errors] == [
        (
            1,
            "High",
            "the columns “high” (column B) and “upper_bound” (column D) both mean this column; "
            "keep one",
        )
    ]


def test_a_file_that_is_not_a_spreadsheet_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        PairImporter().run(io.BytesIO(b"\x89PNG\r\n\x1a\n\x00"), "pairs.xlsx", by=None)

    assert caught.value.code == "not_xlsx"


@pytest.mark.parametrize(
    "importer", [OrgUnitImporter, SiteImporter, GridImporter, InspectionProblemImporter]
)
def test_no_spelling_is_shared_by_two_columns_of_an_importer(importer: type[Any]) -> None:
    owners: dict[str, str] = {}
    for column in importer.columns:
        for spelling in column.headers():
            assert owners.setdefault(spelling, column.key) == column.key, spelling
