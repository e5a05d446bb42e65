"""Cell HTML of list tables: what each column kind shows."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chuangwei.core.tables import Column, cell_class, cell_html


@dataclass
class Row:
    code: str = "WT-1"
    status: str = "open"
    count: Any = 12345
    at: Any = None
    flag: bool = True
    name: str = ""


def html(column: Column, row: Row, url: str = "") -> str:
    return str(cell_html(column.cell(row), url))


def test_badge_has_its_colour_and_label():
    column = Column("status", "状态", kind="badge", colors={"open": "danger"})
    assert html(column, Row()) == '<span class="badge text-bg-danger">open</span>'


def test_number_is_grouped_and_right_aligned():
    column = Column("count", "数量", kind="number")
    assert html(column, Row()) == "12,345"
    assert cell_class(column) == "text-end font-monospace-num"


def test_datetime_shows_shanghai_time_and_empty_shows_dashes(settings):
    column = Column("at", "时间", kind="datetime")
    assert html(column, Row(at=datetime(2026, 11, 23, 1, 5, tzinfo=UTC))) == "2026-11-23 09:05"
    assert html(column, Row(at=None)) == "--"
    assert html(Column("name", "名称"), Row()) == "--"


def test_long_text_is_truncated_with_the_full_text_as_title_and_linked():
    column = Column("name", "名称", truncate=3, link=True)
    assert html(column, Row(name="<暴露垃圾>"), "/p/1/") == (
        '<a href="/p/1/" title="&lt;暴露垃圾&gt;">&lt;暴露…</a>'
    )


def test_bool_is_a_yes_or_no_badge():
    assert html(Column("flag", "是否", kind="bool"), Row()) == (
        '<span class="badge text-bg-success">是</span>'
    )
