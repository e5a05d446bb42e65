from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from chuangwei.core.importing import ImportFailed
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.importers import OrgUnitImporter, resolve_kind
from chuangwei.org.models import OrgUnit

HEADERS = ["code", "name", "parent", "kind", "short_name", "sort_order"]


def write_xlsx(tmp_path: Path, rows: list[list[Any]], headers: list[str] = HEADERS) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / "units.xlsx"
    wb.save(path)
    return path


def run(path: Path, *, update: bool = False) -> Any:
    with path.open("rb") as fh:
        return OrgUnitImporter(update_existing=update).run(fh, path.name, by=None)


def row_errors(path: Path, **kwargs: Any) -> list[tuple[int, str]]:
    with pytest.raises(ImportFailed) as info:
        run(path, **kwargs)
    return [(e.row, e.message) for e in info.value.errors]


@pytest.mark.django_db
def test_good_file_creates_tree_with_paths(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["3704", "枣庄市", None, "市", None, None],
            [370402, "市中区", 3704, "区", "市中", 1],
            ["370402001", "中心街街道", "370402", "街道", None, None],
        ],
    )
    result = run(path)
    street = OrgUnit.objects.get(code="370402001")
    assert (result.created, result.updated) == (3, 0)
    assert street.kind == OrgUnitKind.STREET
    assert street.parent.code == "370402"
    assert street.display_path == "枣庄市 › 市中区 › 中心街街道"
    assert OrgUnit.objects.get(code="370402").short_name == "市中"


@pytest.mark.django_db
def test_parent_later_in_file_is_saved_first(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["370402001001", "铁西社区", "370402001", "社区"],
            ["370402001", "中心街街道", "370402", "street"],
            ["370402", "市中区", "3704", "district"],
            ["3704", "枣庄市", "", "city"],
        ],
    )
    run(path)
    community = OrgUnit.objects.get(code="370402001001")
    assert community.depth == 3
    assert community.parent.parent.code == "370402"


@pytest.mark.django_db
def test_unknown_parent_is_reported_on_its_row_and_nothing_is_saved(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["3704", "枣庄市", None, "市"],
            ["370402", "市中区", "9999", "区"],
        ],
    )
    errors = row_errors(path)
    assert [row for row, _message in errors] == [3]
    assert "9999" in errors[0][1]
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_code_is_reported_on_the_second_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["3704", "枣庄市", None, "市"],
            ["370402", "市中区", "3704", "区"],
            ["370402", "薛城区", "3704", "区"],
        ],
    )
    with translation.override("en"):
        errors = row_errors(path)
    assert [row for row, _message in errors] == [4]
    assert "row 3" in errors[0][1]
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_cycle_is_reported_on_every_row_in_it(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["A", "甲", "B", "部门"],
            ["B", "乙", "A", "部门"],
            ["C", "丙", None, "市"],
        ],
    )
    assert [row for row, _message in row_errors(path)] == [2, 3]


@pytest.mark.django_db
def test_unknown_kind_is_a_row_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, [["3704", "枣庄市", None, "省"]])
    errors = row_errors(path)
    assert errors[0][0] == 2
    assert "省" in errors[0][1]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("市", "city"),
        ("县", "district"),
        ("开发区", "zone"),
        ("镇", "town"),
        ("村", "village"),
        ("部门", "department"),
        ("Community", "community"),
        ("street", "street"),
        ("乡镇府", None),
    ],
)
def test_resolve_kind_accepts_chinese_words_and_english_values(value: str, kind: str) -> None:
    assert resolve_kind(value) == kind


@pytest.mark.django_db
def test_parent_may_be_a_unit_in_the_database(tmp_path: Path, org_tree: dict[str, Any]) -> None:
    path = write_xlsx(tmp_path, [["370402003", "丙街道", "370402", "街道"]])
    run(path)
    unit = OrgUnit.objects.get(code="370402003")
    assert unit.path.startswith(org_tree["district"].path)


@pytest.mark.django_db
def test_existing_code_without_update_is_an_error(tmp_path: Path, org_tree: dict[str, Any]) -> None:
    path = write_xlsx(tmp_path, [["370402001", "新名字", "370402", "街道"]])
    assert [row for row, _message in row_errors(path)] == [2]
    assert OrgUnit.objects.get(code="370402001").name == "甲街道"


@pytest.mark.django_db
def test_update_existing_renames_and_moves_a_subtree(
    tmp_path: Path, org_tree: dict[str, Any]
) -> None:
    path = write_xlsx(
        tmp_path,
        [
            ["370402001", "甲街道（新）", "370471", "街道"],
            ["370471", "高新区", "370400", "开发区"],
        ],
    )
    result = run(path, update=True)
    community = OrgUnit.objects.get(code="370402001001")
    assert (result.created, result.updated) == (1, 1)
    assert community.display_path == "测试市 › 高新区 › 甲街道（新） › 甲一社区"


@pytest.mark.django_db
def test_update_that_would_make_a_cycle_with_the_database_is_refused(
    tmp_path: Path, org_tree: dict[str, Any]
) -> None:
    path = write_xlsx(tmp_path, [["370402", "甲区", "370402001001", "区"]])
    assert [row for row, _message in row_errors(path, update=True)] == [2]


@pytest.mark.django_db
def test_csv_with_chinese_headers_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("编码,名称,上级编码,类型\n3704,枣庄市,,市\nD-CG,市城管局,3704,部门\n", "utf-8")
    run(path)
    assert OrgUnit.objects.get(code="D-CG").kind == OrgUnitKind.DEPARTMENT


@pytest.mark.django_db
def test_command_prints_row_errors_and_fails(tmp_path: Path, capsys: Any) -> None:
    path = write_xlsx(tmp_path, [["3704", "枣庄市", "X", "市"]])
    with pytest.raises(CommandError):
        call_command("import_org_units", str(path))
    assert "X" in capsys.readouterr().err
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_the_file(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, [["3704", "枣庄市", None, "市"]])
    call_command("import_org_units", str(path))
    assert OrgUnit.objects.get(code="3704").depth == 0


# A whole tree: city › district › street › community, and a department under the city.
TREE = [
    ["3704", "枣庄市", None, "市"],
    ["370402", "市中区", "3704", "区"],
    ["370402001", "中心街街道", "370402", "街道"],
    ["370402001001", "铁西社区", "370402001", "社区"],
    ["D-CG", "市城管局", "3704", "部门"],
]


def tree_file(tmp_path: Path, parent_header: str) -> Path:
    return write_xlsx(tmp_path, TREE, headers=["编码", "名称", parent_header, "类型"])


def tree_shape() -> list[tuple[str, str | None, int]]:
    return sorted(OrgUnit.objects.values_list("code", "parent__code", "depth"))


FULL_TREE = [
    ("3704", None, 0),
    ("370402", "3704", 1),
    ("370402001", "370402", 2),
    ("370402001001", "370402001", 3),
    ("D-CG", "3704", 1),
]


@pytest.mark.django_db
def test_an_unrecognised_parent_column_is_refused_and_named(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as caught:
        run(tree_file(tmp_path, "父节点X"))

    assert caught.value.unknown_columns == ["父节点X"]
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_an_unrecognised_parent_column_fails_as_a_flat_tree_even_if_ignored(
    tmp_path: Path,
) -> None:
    path = tree_file(tmp_path, "父节点X")
    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        with path.open("rb") as fh:
            OrgUnitImporter().run(fh, path.name, by=None, ignore_unknown=True)

    errors = [(e.row, e.message) for e in caught.value.errors]
    assert errors[0][0] is None
    assert errors[0][1].startswith("no row has a parent code")
    assert [row for row, _message in errors[1:]] == [3, 4, 5, 6]
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    [
        "parent_code",
        "parent",
        "Parent Code",
        "PARENT-CODE",
        "上级编码",
        "上级编码*",
        "上级单位编码",
        "上级单位代码",
        "上级代码",
    ],
)
def test_a_usual_parent_header_builds_the_full_tree(tmp_path: Path, header: str) -> None:
    run(tree_file(tmp_path, header))

    assert tree_shape() == FULL_TREE


@pytest.mark.django_db
def test_command_refuses_an_unrecognised_parent_column_naming_it(
    tmp_path: Path, capsys: Any
) -> None:
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("import_org_units", str(tree_file(tmp_path, "父节点X")))

    assert capsys.readouterr().err.splitlines()[0] == "Columns not recognised: “父节点X”"
    assert "faults; nothing was imported" in str(caught.value)
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_command_builds_the_full_tree_from_parent_code(tmp_path: Path) -> None:
    call_command("import_org_units", str(tree_file(tmp_path, "parent_code")))

    assert tree_shape() == FULL_TREE


@pytest.mark.django_db
def test_command_refuses_an_unknown_column_unless_told_to_ignore_it(
    tmp_path: Path, capsys: Any
) -> None:
    path = write_xlsx(
        tmp_path, [["3704", "枣庄市", None, "市", "要保留"]], headers=[*HEADERS[:4], "备注"]
    )
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("import_org_units", str(path))
    assert "--ignore-unknown" in str(caught.value)
    assert OrgUnit.objects.count() == 0

    with translation.override("en"):
        call_command("import_org_units", str(path), "--ignore-unknown")

    assert "These columns were left out as you chose: “备注”." in capsys.readouterr().out
    assert OrgUnit.objects.count() == 1


@pytest.mark.django_db
def test_command_says_in_one_line_that_a_renamed_file_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))

    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command("import_org_units", str(path))

    assert str(caught.value).startswith("The file is not an Excel workbook (.xlsx)")


@pytest.mark.django_db
def test_a_loop_names_its_codes_on_each_of_its_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path, [["3704", "市", None, "市"], ["A", "甲", "B", "部门"], ["B", "乙", "A", "部门"]]
    )

    with translation.override("en"):
        errors = row_errors(path)

    assert errors == [
        (3, "The parent chain loops back to this unit: A → B → A."),
        (4, "The parent chain loops back to this unit: B → A → B."),
    ]


@pytest.mark.django_db
def test_a_unit_other_than_a_city_without_parent_is_refused(tmp_path: Path) -> None:
    rows = [
        ["3704", "枣庄市", None, "市"],
        ["370402", "市中区", "3704", "区"],
        ["D-CG", "市城管局", None, "部门"],
    ]
    path = write_xlsx(tmp_path, rows)

    with translation.override("en"):
        errors = row_errors(path)

    assert errors == [
        (
            4,
            "Only a city can be at the top of the tree; a unit of kind Department needs a parent code.",
        )
    ]
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_update_cannot_lift_a_street_to_the_top(tmp_path: Path, org_tree: dict[str, Any]) -> None:
    path = write_xlsx(tmp_path, [["370402001", "甲街道", None, "街道"]])

    assert [row for row, _message in row_errors(path, update=True)] == [2]
    assert OrgUnit.objects.get(code="370402001").parent == org_tree["district"]


@pytest.mark.django_db
def test_a_row_reports_all_its_faults(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path, [["3704", "枣庄市", None, "市"], ["X1", "甲" * 101, "NOPE", "省", None, "1.5"]]
    )

    with translation.override("en"), pytest.raises(ImportFailed) as caught:
        run(path)

    assert [(e.row, e.column) for e in caught.value.errors] == [
        (3, "Name"),
        (3, "Parent code"),
        (3, "Kind"),
        (3, "Sort order"),
    ]


@pytest.mark.django_db
def test_a_sort_order_too_large_to_store_is_a_row_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, [["3704", "枣庄市", None, "市", None, 1e12]])

    with translation.override("en"):
        errors = row_errors(path)

    assert errors == [(2, "The sort order must be between -999999 and 999999.")]
