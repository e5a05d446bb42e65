"""The whole dossier as one zip, streamed (zipstream-ng; docs/decisions.md).

Folders follow the standard: ``<aspect>/<article>/<item>/``, named by number and title;
each approved record's files of its latest filing go in its item's folder as
``<unit>_<period>_<file name>``. ``目录.xlsx`` at the top lists every file with its path,
item, material, unit and period. Nothing is read into memory: the list of files is a few
columns per row, the index is written by XlsxWriter's constant-memory mode to a temporary
file, and each file is read from storage in 64 KiB chunks while the zip is sent. Files are
stored (not deflated): they are PDFs, pictures and videos already compressed, and the size
of the zip is known up front (Content-Length).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils.translation import gettext as _
from zipstream import ZIP_STORED, ZipStream

from chuangwei.lib.excel import iter_file, write_xlsx
from chuangwei.standards.models import StandardClause, StandardVersion

from .choices import EvidenceStatus
from .dossier import ONCE, _version
from .models import EvidenceFile

INDEX_NAME = "目录.xlsx"
CHUNK = 64 * 1024
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_part(text: str, limit: int = 60) -> str:
    """A folder or file name part: no separators or characters Windows refuses."""
    return _UNSAFE.sub("_", text).strip(" .")[:limit] or "_"


@dataclass(frozen=True)
class ExportEntry:
    """One file of the zip: where it goes, where it is stored, and its index row."""

    path: str
    storage_name: str
    size: int
    item: str
    material: str
    unit: str
    period: str
    name: str


def _folders(version: StandardVersion) -> dict[int, str]:
    """Each clause's folder path: its ancestors' and its own ``number title``."""
    clauses = {
        pk: (path, safe_part(f"{number} {title}".strip()))
        for pk, path, number, title in StandardClause.objects.filter(version=version).values_list(
            "pk", "path", "number", "title"
        )
    }
    folders: dict[int, str] = {}
    for pk, (path, _name) in clauses.items():
        ids = [int(p) for p in path.strip("/").split("/") if p]
        folders[pk] = "/".join(clauses[i][1] for i in ids if i in clauses)
    return folders


def dossier_entries(
    *, year: int | None = None, version: StandardVersion | None = None
) -> Iterator[ExportEntry]:
    """The files of the approved records (latest filing only) of ``version`` (default: the
    current one) for ``year`` (and the ``once`` records; every year when None), in the order
    of the standard."""
    version = _version(version)
    if version is None:
        return
    folders = _folders(version)
    files = EvidenceFile.objects.filter(
        evidence__status=EvidenceStatus.APPROVED,
        evidence__requirement__clause__version=version,
        round=F("evidence__round"),
    )
    if year is not None:
        files = files.filter(Q(evidence__year=year) | Q(evidence__period=ONCE))
    rows = files.order_by(
        "evidence__requirement__clause__path",
        "evidence__requirement__sort_order",
        "evidence__requirement_id",
        "evidence__unit__path",
        "evidence__period",
        "pk",
    ).values_list(
        "file",
        "size",
        "name",
        "evidence__requirement__clause_id",
        "evidence__requirement__clause__number",
        "evidence__requirement__clause__title",
        "evidence__requirement__title",
        "evidence__unit__name",
        "evidence__period",
    )
    used: set[str] = set()
    for stored, size, name, clause_id, number, title, material, unit, period in rows.iterator(
        chunk_size=2000
    ):
        folder = folders.get(clause_id, "_")
        base = safe_part(f"{unit}_{period}_{name}", 120)
        path = f"{folder}/{base}"
        stem, dot, ext = base.rpartition(".") if "." in base else (base, "", "")
        n = 2
        while path in used:
            path = f"{folder}/{stem}({n}){dot}{ext}"
            n += 1
        used.add(path)
        yield ExportEntry(
            path=path,
            storage_name=stored,
            size=size,
            item=f"{number} {title}".strip(),
            material=material,
            unit=unit,
            period=period,
            name=name,
        )


def _read(storage_name: str) -> Iterator[bytes]:
    with default_storage.open(storage_name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def dossier_zip(*, year: int | None = None, version: StandardVersion | None = None) -> ZipStream:
    """The zip of the dossier (see the module docstring), ready to stream: iterate it, or
    hand it to a StreamingHttpResponse; ``len()`` is its size in bytes."""
    entries = list(dossier_entries(year=year, version=version))
    headers = [
        _("No."),
        _("Path"),
        _("Check item"),
        _("Material"),
        _("Unit"),
        _("Period"),
        _("File name"),
        _("Size (bytes)"),
    ]
    index = write_xlsx(
        headers,
        (
            (n, e.path, e.item, e.material, e.unit, e.period, e.name, e.size)
            for n, e in enumerate(entries, start=1)
        ),
        sheet_title=_("Index"),
        widths=[6, 60, 30, 30, 16, 10, 30, 12],
    )
    index.seek(0, 2)
    index_size = index.tell()
    index.seek(0)
    stream = ZipStream(compress_type=ZIP_STORED, sized=True)
    stream.add(iter_file(index), INDEX_NAME, size=index_size)
    for entry in entries:
        stream.add(_read(entry.storage_name), entry.path, size=entry.size)
    return stream
