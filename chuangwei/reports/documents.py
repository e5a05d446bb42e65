"""A briefing as a .docx in the usual government layout (UX.md §4 "Official layout").

A4 with margins top 37 mm / bottom 35 mm / left 28 mm / right 26 mm; the masthead centred in
red 小标宋, the issue line, office and date, a red rule; the headline in 2号小标宋; body in
3号仿宋 with headings 一、黑体; the distribution (报/送/发) between rules at the end; page
numbers "— 1 —". Generated sections read the figures frozen in ``briefing.data``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from chuangwei.problems.models import ProblemPhoto

from . import charts, richtext
from .choices import SectionKind
from .models import Briefing, BriefingSection

RED = RGBColor(0xE0, 0x00, 0x00)
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
NUMERALS = "一二三四五六七八九十"
NO_DATA = "暂无数据"


def _font(
    run: Any, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None
) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _rule(paragraph: Any, *, color: str = "E00000", size: int = 12, where: str = "bottom") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{where}")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size)),
        ("w:space", "1"),
        ("w:color", color),
    ):
        edge.set(qn(key), value)
    borders.append(edge)
    ppr.append(borders)


def _para(doc: Any, text: str = "", *, size: float = 16, font: str = BODY_FONT,
          align: Any = None, bold: bool = False, indent: bool = False, color: RGBColor | None = None) -> Any:  # fmt: skip
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if text:
        _font(paragraph.add_run(text), font, size, bold=bold, color=color)
    return paragraph


def _page_number_footer(section: Any) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    _font(run, BODY_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def _table(
    doc: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    widths_mm: Sequence[float] | None = None,
) -> Any:
    """A centred grid table; ``widths_mm`` sets the column widths (the text block is 156 mm),
    else Word shares the width equally."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(header)), HEADING_FONT, 12)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = ""
            text = (
                "--" if value is None else (f"{value}%" if isinstance(value, float) else str(value))
            )
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 12)
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if widths_mm is not None:
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=True):
            column.width = Mm(width)  # the grid, which LibreOffice reads
            for cell in column.cells:
                cell.width = Mm(width)  # each cell, which Word reads
    return table


def _title_block(doc: Any, briefing: Briefing) -> None:
    _para(
        doc, briefing.masthead, size=40, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED
    )
    _para(doc)
    issue = briefing.issue_label if briefing.year_number else _("(draft)")
    _para(doc, issue, align=WD_ALIGN_PARAGRAPH.CENTER)
    line = _para(doc)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    when = briefing.issue_date
    date_text = f"{when.year}年{when.month}月{when.day}日" if when else ""
    _font(line.add_run(f"{briefing.office}\t{date_text}"), BODY_FONT, 16)
    _rule(line, size=18)
    _para(doc)
    _para(doc, briefing.headline, size=22, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc)


def _text_section(doc: Any, section: BriefingSection) -> None:
    paras = richtext.paragraphs(section.body)
    if not paras:
        _para(doc, NO_DATA, indent=True)
    for para in paras:
        paragraph = _para(doc, indent=not para.bullet)
        if para.bullet:
            _font(paragraph.add_run(para.bullet + " "), BODY_FONT, 16)
        for run in para.runs:
            r = paragraph.add_run(run.text)
            _font(r, BODY_FONT, 16, bold=run.bold)
            r.font.italic = run.italic
            r.font.underline = run.underline


def _statistics(doc: Any, data: dict[str, Any]) -> None:
    totals = data.get("totals") or {}
    if totals:
        _para(doc, _("In the period %(period)s the ledger received %(reported)s problems and closed %(closed)s; on-time closure rate %(on_time)s, rework rate %(rework)s, recurrence rate %(recur)s.") % {  # noqa: E501
            "period": data.get("period", ""),
            "reported": totals.get("reported", 0),
            "closed": totals.get("closed", 0),
            "on_time": _pct(totals.get("on_time_rate")),
            "rework": _pct(totals.get("rework_rate")),
            "recur": _pct(totals.get("recurrence_rate")),
        }, indent=True)  # fmt: skip
    units = data.get("units") or []
    if not units:
        _para(doc, NO_DATA, indent=True)
        return
    headers = [
        _("Unit"),
        pgettext("count", "Reported"),
        pgettext("count", "Closed"),
        _("On-time rate"),
        pgettext("count", "Reworked"),
        pgettext("count", "Open"),
        pgettext("count", "Overdue"),
    ]
    rows = [[u["name"], u["reported"], u["closed"], u["on_time_rate"], u["reworked"], u["open"], u["overdue"]] for u in units]  # fmt: skip
    _table(doc, headers, rows)
    png = charts.bar_chart(
        _("Reported and closed by unit"),
        [u["name"] for u in units[:12]],
        [
            (pgettext("count", "Reported"), [u["reported"] for u in units[:12]]),
            (pgettext("count", "Closed"), [u["closed"] for u in units[:12]]),
        ],
    )
    picture = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    picture.add_run().add_picture(io.BytesIO(png), width=Mm(150))


def _pct(value: float | None) -> str:
    return "--" if value is None else f"{value}%"


def _rankings(doc: Any, data: dict[str, Any]) -> None:
    units = [u for u in data.get("units") or [] if u.get("on_time_rate") is not None]
    if units:
        ranked = sorted(units, key=lambda u: (-u["on_time_rate"], u["overdue"], u["name"]))
        _para(doc, _("Units by on-time closure rate:"), indent=True)
        _table(doc, [_("Rank"), _("Unit"), _("On-time rate"), _("Overdue")],
               [[i, u["name"], u["on_time_rate"], u["overdue"]] for i, u in enumerate(ranked, 1)])  # fmt: skip
    red_black = data.get("red_black") or {}
    for key, label in (("red", _("Red list")), ("black", _("Black list"))):
        entries = red_black.get(key) or []
        text = "、".join(e.get("name", "") for e in entries) if entries else NO_DATA
        _para(doc, f"{label}：{text}", indent=True)


def _photo_bytes(pk: int | None, photos: dict[int, ProblemPhoto]) -> bytes | None:
    photo = photos.get(pk or 0)
    if photo is None:
        return None
    for field in (photo.public_copy, photo.original):
        if field:
            try:
                with field.open("rb") as handle:
                    return handle.read()
            except OSError:
                continue
    return None


def _typical(doc: Any, data: dict[str, Any]) -> None:
    items = data.get("typical") or []
    if not items:
        _para(doc, NO_DATA, indent=True)
        return
    ids = [i for item in items for i in (item.get("before"), item.get("after")) if i]
    photos = {p.pk: p for p in ProblemPhoto.objects.filter(pk__in=ids)}
    for number, item in enumerate(items, 1):
        text = f"{number}. {item['code']} {item['category']}，{item['unit']}，{item['address']}。{item['description']}"
        _para(doc, text, indent=True)
        table = doc.add_table(rows=2, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for col, (key, label) in enumerate((("before", _("Before")), ("after", _("After")))):
            cell = table.rows[0].cells[col]
            cell.text = ""
            content = _photo_bytes(item.get(key), photos)
            if content:
                cell.paragraphs[0].add_run().add_picture(io.BytesIO(content), width=Mm(70))
            else:
                _font(cell.paragraphs[0].add_run(_("(photo missing)")), BODY_FONT, 12)
            caption = table.rows[1].cells[col]
            caption.text = ""
            _font(caption.paragraphs[0].add_run(label), BODY_FONT, 12)
            for p in (cell.paragraphs[0], caption.paragraphs[0]):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _overdue(doc: Any, data: dict[str, Any]) -> None:
    overdue = data.get("overdue") or {}
    by_unit = overdue.get("by_unit") or []
    if not by_unit:
        _para(doc, NO_DATA, indent=True)
        return
    _table(doc, [_("Unit"), _("Overdue")], [[u["name"], u["count"]] for u in by_unit])
    items = overdue.get("items") or []
    if items:
        _para(doc)
        _table(doc, [_("Problem code"), _("Category"), _("Unit"), _("Deadline"), _("Days overdue")],
               [[i["code"], i["category"], i["unit"], i["due_at"], i["days"]] for i in items])  # fmt: skip


GENERATED = {
    SectionKind.STATISTICS: _statistics,
    SectionKind.RANKINGS: _rankings,
    SectionKind.TYPICAL: _typical,
    SectionKind.OVERDUE: _overdue,
}


def _distribution(doc: Any, briefing: Briefing) -> None:
    _para(doc)
    rows = briefing.distribution_lines()
    for index, (key, names) in enumerate(rows):
        paragraph = _para(doc, f"{key}：{names}", size=14)
        if index == 0:
            _rule(paragraph, color="000000", size=8, where="top")
        if index == len(rows) - 1:
            _rule(paragraph, color="000000", size=8, where="bottom")


def render_briefing(briefing: Briefing) -> bytes:
    """The briefing as .docx bytes (drafts carry "（草稿）" instead of the issue numbers)."""
    with translation.override("zh-hans"):
        doc = Document()
        section = doc.sections[0]
        section.start_type = WD_SECTION.NEW_PAGE
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        _page_number_footer(section)
        _title_block(doc, briefing)
        data = briefing.data or {}
        for number, part in enumerate(briefing.sections.all()):
            prefix = NUMERALS[number] if number < len(NUMERALS) else str(number + 1)
            _para(doc, f"{prefix}、{part.heading}", font=HEADING_FONT, indent=True)
            renderer = GENERATED.get(part.kind)  # type: ignore[call-overload]
            if renderer is None:
                _text_section(doc, part)
            else:
                renderer(doc, data)
        _distribution(doc, briefing)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


# Readiness report ---------------------------------------------------------------------------


def _heading(doc: Any, number: int, text: str) -> None:
    prefix = NUMERALS[number] if number < len(NUMERALS) else str(number + 1)
    _para(doc, f"{prefix}、{text}", font=HEADING_FONT, indent=True)


def _num(value: Any, places: str = "-2") -> str:
    from django.template.defaultfilters import floatformat

    return "--" if value is None else str(floatformat(value, places))


def render_readiness_report(board: Any, *, office: str, issued: Any) -> bytes:
    """The readiness board of a unit as a .docx in the official layout: headline, the
    office and date, then 一、indicators 二、dossier 三、conditions 四、the stage's list
    五、projected score; the date right at the end."""
    with translation.override("zh-hans"):
        doc = Document()
        section = doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        _page_number_footer(section)
        headline = _("%(unit)s readiness for the National Sanitary City evaluation, %(year)s") % {
            "unit": board.unit.name,
            "year": board.year,
        }
        _para(doc, headline, size=22, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
        _para(doc)
        version = str(board.version) if board.version else _("no published standard version")
        _para(
            doc,
            _(
                "Judged by %(version)s. Indicators: %(met)s of %(total)s met, %(missed)s missed;"
                " dossier %(percent)s complete; %(red)s conditions failed."
            )
            % {
                "version": version,
                "met": board.indicator_counts["met"],
                "total": len(board.indicators),
                "missed": board.indicator_counts["missed"],
                "percent": "--"
                if board.dossier.percent is None
                else f"{_num(board.dossier.percent, '-1')}%",
                "red": board.condition_counts.get("red", 0),
            },
            indent=True,
        )
        _heading(doc, 0, _("Indicators against thresholds"))
        if board.indicators:
            _table(
                doc,
                [_("Code"), _("Indicator"), _("Value"), _("Threshold"), _("State")],
                [
                    (
                        line.code,
                        line.name,
                        "--" if line.value is None else f"{_num(line.value)}{line.unit_of_measure}",
                        f"{line.comparator}{_num(line.threshold)}{line.unit_of_measure}",
                        _("No value")
                        if line.met is None
                        else _("Met")
                        if line.met
                        else _("Missed"),
                    )
                    for line in board.indicators
                ],
                widths_mm=(18, 62, 28, 26, 22),
            )
        else:
            _para(doc, NO_DATA, indent=True)
        _heading(doc, 1, _("Evidence dossier"))
        _para(
            doc,
            _("%(approved)s of %(expected)s expected records approved (%(percent)s).")
            % {
                "approved": board.dossier.approved,
                "expected": board.dossier.expected,
                "percent": "--"
                if board.dossier.percent is None
                else f"{_num(board.dossier.percent, '-1')}%",
            },
            indent=True,
        )
        _heading(doc, 2, _("Prerequisites and vetoes"))
        red = board.red_conditions
        if red:
            for row in red:
                events = "；".join(
                    f"{e.occurred_on:%Y-%m-%d} {e.unit.name} {e.title}" for e in row.events
                )
                if not events and row.kind == "indicator" and row.value is not None:
                    events = _("%(value)s, required %(comparator)s%(threshold)s") % {
                        "value": f"{_num(row.value)}{row.unit_of_measure}",
                        "comparator": row.comparator,
                        "threshold": f"{_num(row.threshold)}{row.unit_of_measure}",
                    }
                what = events or _("Condition failed")
                _para(doc, f"{row.number} {row.title}：{what}", indent=True)
        else:
            _para(doc, _("No condition failed."), indent=True)
        _heading(doc, 3, _("Open problems of the stage's list"))
        stage = board.stage
        if stage is None:
            _para(doc, _("The current cycle has no stage with a problem list yet."), indent=True)
        else:
            _para(
                doc,
                _(
                    "%(stage)s (%(day)s): %(total)s items in this unit, %(open)s still open,"
                    " %(overdue)s overdue."
                )
                % {
                    "stage": stage.name,
                    "day": f"{stage.due_on.year}年{stage.due_on.month}月{stage.due_on.day}日",
                    "total": stage.total,
                    "open": stage.open,
                    "overdue": stage.overdue,
                },
                indent=True,
            )
            if stage.items:
                _table(
                    doc,
                    [_("No."), _("Problem"), _("Unit"), _("Deadline")],
                    [
                        (
                            item.item_no or "--",
                            f"{item.code} {item.title}",
                            item.unit,
                            f"{item.due_at:%Y-%m-%d}" if item.due_at else "--",
                        )
                        for item in stage.items
                    ],
                    widths_mm=(14, 80, 32, 30),
                )
        _heading(doc, 4, _("Projected covert-inspection score"))
        projection = board.projection
        if projection is None:
            _para(doc, _("No site of this unit was scored in the last 90 days."), indent=True)
        else:
            _para(
                doc,
                _(
                    "Expected %(expected)s of 1,000 points (90%% band %(low)s–%(high)s), from"
                    " the latest results of %(sites)s sites."
                )
                % {
                    "expected": _num(projection.expected, "1"),
                    "low": _num(projection.low, "1"),
                    "high": _num(projection.high, "1"),
                    "sites": projection.sites,
                },
                indent=True,
            )
            lost = sorted(projection.parts, key=lambda p: p.lost, reverse=True)[:5]
            _table(
                doc,
                [_("Part"), _("Points"), _("Expected"), _("Lost")],
                [
                    (p.title, _num(p.points, "1"), _num(p.expected, "1"), _num(p.lost, "1"))
                    for p in lost
                ],
                widths_mm=(66, 30, 30, 30),
            )
        _para(doc)
        for text in (office, f"{issued.year}年{issued.month}月{issued.day}日"):
            line = _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
            line.paragraph_format.right_indent = Pt(32)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()
