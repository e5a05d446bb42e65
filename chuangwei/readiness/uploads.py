"""Which files a unit may file as evidence: an allow-list by extension AND by sniffed content.

The extension says what the uploader claims; the first bytes say what the file is. Both must
name the same family (a renamed .exe with a .pdf name is refused, and so is a PDF named
.jpg). No library: the signatures of the few formats we accept are short and stable.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO, Any

# extension → (family, MIME type stored with the file)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "doc": ("ole", "application/msword"),
    "xls": ("ole", "application/vnd.ms-excel"),
    "docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "png": ("png", "image/png"),
    "gif": ("gif", "image/gif"),
    "webp": ("webp", "image/webp"),
    "mp4": ("mp4", "video/mp4"),
    "mov": ("mp4", "video/quicktime"),
    "avi": ("avi", "video/x-msvideo"),
}
EXTENSIONS = tuple(sorted(ALLOWED))
ACCEPT = ",".join(f".{ext}" for ext in EXTENSIONS)


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(head: bytes, fileobj: IO[bytes] | None = None) -> str:
    """The family of a file from its first bytes ('' when none we accept).

    ZIP files are looked into (when ``fileobj`` is given) to tell a Word document from a
    workbook; a ZIP of anything else is ''."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"PK\x03\x04") and fileobj is not None:
        return _office_zip(fileobj)
    return ""


def _office_zip(fileobj: IO[bytes]) -> str:
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return ""
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names:
        return ""
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return ""


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed: its name, size, MIME type and the open file."""

    name: str
    size: int
    content_type: str
    file: Any


def check_upload(upload: Any, *, max_bytes: int) -> tuple[CheckedFile | None, str]:
    """(the checked file, '') or (None, the fault's code): ``bad_type`` (extension not
    allowed), ``type_mismatch`` (content is not what the extension says), ``too_large``,
    ``empty``."""
    name = str(getattr(upload, "name", "") or "")
    ext = extension(name)
    if ext not in ALLOWED:
        return None, "bad_type"
    size = int(getattr(upload, "size", 0) or 0)
    if size > max_bytes:
        return None, "too_large"
    if size == 0:
        return None, "empty"
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    family, content_type = ALLOWED[ext]
    if sniff(head, upload) != family:
        return None, "type_mismatch"
    return CheckedFile(name=name, size=size, content_type=content_type, file=upload), ""
