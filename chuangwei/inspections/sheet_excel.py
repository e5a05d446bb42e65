"""Score sheets to and from Excel (one row per line; parents by number)."""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

from chuangwei.core.errors import DomainError, InvalidInput
from chuangwei.core.importing import file_error_message
from chuangwei.lib.excel import SpreadsheetError, read_rows, write_xlsx
from chuangwei.standards.models import ProblemCategory

from . import scoring
from .choices import ScoringMode
from .forms import format_bands, parse_band_text
from .models import ScoreSheet

COLUMNS = ("编号", "上级编号", "名称", "分值", "计分方式", "分档", "每处扣分", "问题类别", "备注")
MODE_LABELS = {ScoringMode.DEDUCTION: "扣分", ScoringMode.BAND: "分档", ScoringMode.GROUP: "分组"}
MODES = {v: k for k, v in MODE_LABELS.items()} | {m.value: m.value for m in ScoringMode}


def export_sheet(sheet: ScoreSheet) -> IO[bytes]:
    items = list(sheet.items.select_related("parent", "category"))
    rows = [
        [
            i.number,
            i.parent.number if i.parent else "",
            i.title,
            float(i.points),
            MODE_LABELS.get(i.mode, i.mode),  # type: ignore[call-overload]
            format_bands(i.bands) if i.bands else "",
            float(i.deduction_step) if i.deduction_step is not None else None,
            f"{i.category.kind}:{i.category.code}" if i.category else "",
            i.note,
        ]
        for i in items
    ]
    return write_xlsx(COLUMNS, rows, sheet_title=sheet.name)


def read_sheet_rows(fileobj: IO[bytes], filename: str) -> list[dict[str, Any]]:
    """Check every row; return item dicts for ``services.import_sheet_version`` or raise
    InvalidInput listing the bad rows (第N行: …). Nothing is written here."""
    try:
        headers, rows = read_rows(fileobj, filename)
    except SpreadsheetError as exc:
        raise InvalidInput(file_error_message(exc.code), code=exc.code) from exc
    missing = [c for c in ("编号", "名称", "分值") if c not in headers]
    if missing:
        raise InvalidInput(
            _("Missing columns: %(cols)s") % {"cols": "、".join(missing)}, code="bad_header"
        )
    categories = {f"{c.kind}:{c.code}": c for c in ProblemCategory.objects.all()}
    by_code = {c.code: c for c in categories.values()}
    index: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    errors: list[str] = []
    for row in rows:
        v = row.values
        try:
            number = str(v.get("编号") or "").strip()
            title = str(v.get("名称") or "").strip()
            if not number or not title:
                raise InvalidInput(_("number and title are required"))
            points = scoring.to_points(v.get("分值"))
            mode = MODES.get(str(v.get("计分方式") or "扣分").strip())
            if mode is None:
                raise InvalidInput(_("unknown scoring mode"))
            bands = parse_band_text(str(v.get("分档") or "")) if mode == ScoringMode.BAND else []
            if mode == ScoringMode.BAND:
                scoring.parse_bands(bands, points)
            parent_no = str(v.get("上级编号") or "").strip()
            if parent_no and parent_no not in index:
                raise InvalidInput(_("parent %(n)s must come on an earlier row") % {"n": parent_no})
            cat_key = str(v.get("问题类别") or "").strip()
            category = categories.get(cat_key) or by_code.get(cat_key) if cat_key else None
            if cat_key and category is None:
                raise InvalidInput(_("unknown problem category %(c)s") % {"c": cat_key})
            step = v.get("每处扣分")
            out.append(
                {
                    "number": number,
                    "title": title,
                    "points": points,
                    "mode": mode,
                    "bands": bands,
                    "deduction_step": scoring.to_points(step) if step not in (None, "") else None,
                    "category": category,
                    "note": str(v.get("备注") or ""),
                    "parent": index[parent_no] if parent_no else None,
                }
            )
            index[number] = len(out) - 1
        except DomainError as exc:
            errors.append(_("Row %(n)s: %(msg)s") % {"n": row.number, "msg": exc.message})
    if errors:
        raise InvalidInput(" ".join(errors), code="bad_rows")
    if not out:
        raise InvalidInput(_("The file holds no items."), code="sheet_empty")
    return out
