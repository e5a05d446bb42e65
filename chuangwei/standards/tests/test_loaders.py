"""The shipped standards data and its loader."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import override

from chuangwei.org.models import WorkLine
from chuangwei.standards.choices import CategoryKind, ClauseLevel, DeadlineUnit, VersionStatus
from chuangwei.standards.loaders import (
    DATA_DIR,
    DataFileInvalid,
    clause_paths,
    load_all,
    load_categories_file,
    load_standard_file,
)
from chuangwei.standards.models import (
    Indicator,
    ProblemCategory,
    StandardClause,
    StandardVersion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    # Messages are asserted in English (the msgids), whatever the catalogues say.
    with override("en"):
        yield


def row_counts() -> tuple[int, int, int, int]:
    return (
        StandardVersion.objects.count(),
        StandardClause.objects.count(),
        Indicator.objects.count(),
        ProblemCategory.objects.count(),
    )


def leaves() -> Any:
    return ProblemCategory.objects.filter(children__isnull=True)


def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def edit_json(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.fixture
def loaded() -> list[Any]:
    return load_all()


def test_load_all_creates_the_shipped_rows(loaded: list[Any]) -> None:
    assert row_counts() == (2, 90, 18, 83)
    assert [r.created["clause"] for r in loaded] == [19, 71, 0]


def test_loading_twice_changes_nothing(loaded: list[Any]) -> None:
    before = row_counts()
    again = load_all()
    assert row_counts() == before
    assert sum(sum(r.created.values()) + sum(r.updated.values()) for r in again) == 0
    assert again[2].unchanged["category"] == 83


def test_2021_has_seven_aspects(loaded: list[Any]) -> None:
    aspects = StandardClause.objects.filter(version__code="GWS-2021", level=ClauseLevel.ASPECT)
    assert list(aspects.order_by("sort_order").values_list("number", flat=True)) == [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
    ]


def test_2021_articles_are_the_known_ones(loaded: list[Any]) -> None:
    articles = StandardClause.objects.filter(version__code="GWS-2021", level=ClauseLevel.ARTICLE)
    assert articles.exclude(title="（条款原文待补录）").count() == 12
    article_ten = articles.get(number="（十）")
    assert article_ten.parent.number == "三"
    assert article_ten.children.count() == 15


def test_2014_has_eight_aspects(loaded: list[Any]) -> None:
    aspects = StandardClause.objects.filter(version__code="GWS-2014", level=ClauseLevel.ASPECT)
    assert aspects.count() == 8


def test_2014_has_eleven_veto_prerequisites(loaded: list[Any]) -> None:
    prerequisites = StandardClause.objects.filter(version__code="GWS-2014", is_prerequisite=True)
    assert prerequisites.count() == 11
    assert prerequisites.filter(is_veto=True).count() == 11


def test_versions_get_the_status_from_the_file(loaded: list[Any]) -> None:
    statuses = dict(StandardVersion.objects.values_list("code", "status"))
    assert statuses == {"GWS-2021": VersionStatus.PUBLISHED, "GWS-2014": VersionStatus.RETIRED}


def test_indicator_keeps_threshold_unit_and_labels(loaded: list[Any]) -> None:
    green = Indicator.objects.get(version__code="GWS-2014", code="GWS14-P05B")
    assert (green.comparator, green.threshold, green.unit) == ("gte", Decimal("8.5"), "m²")
    assert green.denominator_label == "建成区人口(人)"
    assert green.clause.number == "必备条件5"


def test_categories_have_at_least_forty_leaves(loaded: list[Any]) -> None:
    assert leaves().count() == 72
    assert leaves().filter(kind=CategoryKind.SANITARY, is_local_extension=True).count() == 18


def test_every_leaf_category_has_deadline_and_valid_unit(loaded: list[Any]) -> None:
    units = set(DeadlineUnit.values)
    for category in leaves():
        assert category.deadline_amount and category.deadline_amount > 0, category.code
        assert category.deadline_unit in units, category.code


def test_exposed_garbage_category_comes_from_the_reference(loaded: list[Any]) -> None:
    garbage = ProblemCategory.objects.get(kind=CategoryKind.MATTER, code="06010")
    assert (garbage.deadline_amount, garbage.deadline_unit) == (4, DeadlineUnit.WORK_HOURS)
    assert garbage.legacy_code == "01-10"
    assert garbage.parent.code == "06"
    assert (garbage.is_public, garbage.public_name) == (True, "暴露垃圾")
    assert garbage.check_item.title == "无乱扔乱倒"


def test_component_and_matter_share_a_code(loaded: list[Any]) -> None:
    toilets = ProblemCategory.objects.filter(code="03001")
    assert sorted(toilets.values_list("kind", flat=True)) == ["component", "matter"]


def test_public_categories_are_between_eight_and_twelve(loaded: list[Any]) -> None:
    public = ProblemCategory.objects.filter(is_public=True)
    assert public.count() == 11
    assert not public.filter(public_name="").exists()


def test_work_line_codes_resolve_when_the_line_exists(org_tree: dict[str, Any]) -> None:
    city = WorkLine.objects.create(
        code="WL-CG", name="城管", lead_department=org_tree["department"]
    )
    load_all()
    garbage = ProblemCategory.objects.get(kind=CategoryKind.MATTER, code="06010")
    assert garbage.default_work_line == city
    assert StandardClause.objects.get(version__code="GWS-2021", number="三").lead_work_line == city


def test_unknown_work_line_codes_stay_empty_and_are_counted(loaded: list[Any]) -> None:
    assert not ProblemCategory.objects.filter(default_work_line__isnull=False).exists()
    assert loaded[2].unresolved_work_lines == 72
    assert loaded[1].unresolved_work_lines == 19


def test_reload_keeps_a_link_whose_work_line_is_missing(org_tree: dict[str, Any]) -> None:
    line = WorkLine.objects.create(
        code="WL-CG", name="城管", lead_department=org_tree["department"]
    )
    load_all()
    line.code = "WL-CG-OLD"
    line.save()
    load_all()
    garbage = ProblemCategory.objects.get(kind=CategoryKind.MATTER, code="06010")
    assert garbage.default_work_line == line


def test_reload_updates_an_edited_record(loaded: list[Any], tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit_json(data / "standard-2021.json", lambda d: d["clauses"][0].update(title="组织管理"))
    result = load_standard_file(data / "standard-2021.json")
    assert (result.updated["clause"], result.created["clause"]) == (1, 0)
    assert StandardClause.objects.get(version__code="GWS-2021", number="一").title == "组织管理"


def test_create_only_leaves_existing_rows_alone(loaded: list[Any], tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit_json(data / "standard-2021.json", lambda d: d["clauses"][0].update(title="组织管理"))
    result = load_standard_file(data / "standard-2021.json", update=False)
    assert result.updated["clause"] == 0
    assert (
        StandardClause.objects.get(version__code="GWS-2021", number="一").title
        == "爱国卫生组织管理"
    )


def test_clause_paths_map_number_paths_to_ids(loaded: list[Any]) -> None:
    paths = clause_paths("GWS-2021")
    item = StandardClause.objects.get(pk=paths[("三", "（十）", "13")])
    assert item.title == "工地围挡"
    assert item.depth == 2


def test_bad_enum_names_file_and_record_and_changes_nothing(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit_json(
        data / "standard-2021.json",
        lambda d: d["clauses"][2]["children"][0]["children"][3].update(level="articel"),
    )
    with pytest.raises(DataFileInvalid) as caught:
        load_all(data_dir=data)
    assert "standard-2021.json" in str(caught.value)
    assert caught.value.errors == [
        "clause 三 › （十） › 4: level articel is not one of: aspect, article, item, rule"
    ]
    assert row_counts() == (0, 0, 0, 0)


def test_bad_deadline_unit_names_the_category(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit_json(
        data / "categories.json",
        lambda d: d["categories"][0]["children"][1].update(deadline_unit="minutes"),
    )
    with pytest.raises(DataFileInvalid) as caught:
        load_categories_file(data / "categories.json")
    assert caught.value.errors[0].startswith("category matter 06010: deadline_unit minutes")
    assert ProblemCategory.objects.count() == 0


def test_leaf_category_without_deadline_is_refused(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit_json(
        data / "categories.json", lambda d: d["categories"][0]["children"][1].pop("deadline_amount")
    )
    with pytest.raises(DataFileInvalid) as caught:
        load_categories_file(data / "categories.json")
    assert caught.value.errors == ["category matter 06010: a leaf category needs a deadline_amount"]


def test_invalid_json_is_reported_with_the_file_name(tmp_path: Path) -> None:
    broken = tmp_path / "standard-x.json"
    broken.write_text('{"format": "chuangwei.standard/1",', encoding="utf-8")
    with pytest.raises(DataFileInvalid) as caught:
        load_standard_file(broken)
    assert str(caught.value).startswith("standard-x.json: 1 error(s): not valid UTF-8 JSON")
    assert caught.value.code == "data_file_invalid"


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    edit_json(data / "standard-2014.json", lambda d: d["indicators"][0].update(treshold="1"))
    with pytest.raises(DataFileInvalid) as caught:
        load_standard_file(data / "standard-2014.json")
    assert caught.value.errors == ["indicator GWS14-P03: unknown key treshold"]


def test_command_prints_counts() -> None:
    out = StringIO()
    call_command("load_standards", stdout=out)
    text = out.getvalue()
    assert "standard-2021.json" in text
    assert "clauses: 71 (71 created, 0 updated)" in text
    assert "categories: 83 (83 created, 0 updated)" in text


def test_command_fails_on_a_bad_file(tmp_path: Path) -> None:
    data = data_copy(tmp_path)
    (data / "categories.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="categories.json has errors"):
        call_command("load_standards", data_dir=data, stdout=StringIO(), stderr=StringIO())
    assert StandardVersion.objects.count() == 0


def test_2021_placeholder_articles_say_their_text_is_missing(loaded: list[Any]) -> None:
    placeholders = StandardClause.objects.filter(
        version__code="GWS-2021", title="（条款原文待补录）"
    ).order_by("path")
    assert [(c.parent.number, c.number) for c in placeholders] == [
        ("二", "（七）"),
        ("二", "（八）"),
        ("二", "（九）"),
    ]
    assert all("条款原文待本市据正式文本补录" in c.note for c in placeholders)


def test_2021_local_items_note_that_points_and_rules_are_missing(loaded: list[Any]) -> None:
    items = StandardClause.objects.filter(version__code="GWS-2021", level=ClauseLevel.ITEM)
    assert items.count() == 49
    assert (
        items.exclude(note__contains="分值、测评细则和应备材料待本市据省级测评细则补录").count()
        == 0
    )
