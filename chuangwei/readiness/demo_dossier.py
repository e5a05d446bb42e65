"""The demo's evidence dossier: requirements for a realistic subset of check items and a
dossier about 60 % complete, with some records awaiting review and some returned.

Deterministic (a seeded generator) and fast: the files are a handful of small generated PDFs
and PNG pictures, stored once and shared by the records that cite them, and the rows are
written in bulk. The requirements follow the evidence the standard's articles name
(``evidence_required``, reference/sanitary-city-standard.md §2.2) where it names any.
"""

from __future__ import annotations

import hashlib
import random
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from chuangwei.accounts.models import User
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.standards.models import StandardClause, StandardVersion

from .choices import EvidenceAction, EvidenceStatus, Frequency
from .dossier import period_start, periods_for
from .models import Evidence, EvidenceEvent, EvidenceFile, EvidenceRequirement

# (article number, item number, material, frequency, kinds of unit)
PLAN: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("（一）", "1", "党委政府研究爱国卫生工作会议纪要", Frequency.YEARLY, (OrgUnitKind.DISTRICT,)),
    ("（二）", "1", "爱卫会成员单位及职责分工文件", Frequency.ONCE, (OrgUnitKind.DISTRICT,)),
    ("（二）", "3", "街道专兼职爱卫人员名单", Frequency.YEARLY, (OrgUnitKind.STREET,)),
    ("（三）", "1", "年度爱国卫生工作计划和总结", Frequency.YEARLY, (OrgUnitKind.STREET,)),
    ("（三）", "3", "爱国卫生月活动记录", Frequency.QUARTERLY, (OrgUnitKind.STREET,)),
    ("（五）", "2", "群众投诉办理台账", Frequency.QUARTERLY, (OrgUnitKind.DISTRICT,)),
    ("（六）", "3", "健康教育宣传活动图片资料", Frequency.QUARTERLY, (OrgUnitKind.STREET,)),
    ("（十）", "9", "背街小巷卫生死角整治台账", Frequency.QUARTERLY, (OrgUnitKind.STREET,)),
    ("（十）", "13", "建筑工地围挡检查记录", Frequency.YEARLY, (OrgUnitKind.DISTRICT,)),
    ("（十三）", "3", "垃圾清运作业记录", Frequency.QUARTERLY, (OrgUnitKind.STREET,)),
    ("（十五）", "2", "公厕保洁检查记录", Frequency.QUARTERLY, (OrgUnitKind.STREET,)),
)
RETURN_REMARKS = (
    "缺少会议签到表，请补充后重新上报。",
    "图片不清晰，无法辨认现场情况。",
    "材料未加盖单位公章。",
    "台账时间与报送期次不符。",
)


@dataclass
class DemoDossier:
    requirements: int = 0
    records: int = 0
    approved: int = 0
    pending: int = 0
    returned: int = 0
    files: int = 0


def demo_pdf(title: str) -> bytes:
    """A one-page PDF naming the material (ASCII text: the demo needs no CJK font)."""
    text = f"Chuangwei demo evidence {hashlib.sha1(title.encode()).hexdigest()[:8]}"
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_png(seed: int, size: int = 48) -> bytes:
    """A small striped picture (a deterministic PNG, no image library needed)."""
    rng = random.Random(seed)
    colour = bytes(rng.randrange(60, 220) for _ in range(3))
    rows = b"".join(
        b"\x00" + (colour if (y // 6) % 2 else b"\xf0\xf0\xf0") * size for y in range(size)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _stored(name: str, body: bytes) -> tuple[str, int, str]:
    stored = default_storage.save(f"evidence/demo/{name}", ContentFile(body))
    return stored, len(body), hashlib.sha256(body).hexdigest()


def build_demo_dossier(
    *, seed: int = 2026, now: datetime | None = None, version: StandardVersion | None = None
) -> DemoDossier:
    """Requirements of ``PLAN`` on the items of ``version`` (default: the current cycle's,
    else the newest published) and this year's records: ~60 % approved, some awaiting
    review, some returned with a remark, the rest missing. Makes nothing without a version
    or the demo login ``office``."""
    from .selectors import current_version

    version = version or current_version()
    office = User.objects.filter(username="office").first()
    summary = DemoDossier()
    if version is None or office is None:
        return summary
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = random.Random(seed)
    items = {
        (c.parent.number if c.parent else "", c.number): c
        for c in StandardClause.objects.filter(version=version, level="item").select_related(
            "parent"
        )
    }
    units: dict[str, list[OrgUnit]] = {}
    for unit in OrgUnit.objects.filter(is_active=True).order_by("path"):
        units.setdefault(unit.kind, []).append(unit)
    requirements = []
    for n, (article, item, title, frequency, kinds) in enumerate(PLAN):
        clause = items.get((article, item))
        if clause is None:
            continue
        requirements.append(
            EvidenceRequirement(
                clause=clause,
                title=title,
                description=f"依据：{clause.parent.number if clause.parent else ''}{clause.title}",
                frequency=frequency,
                unit_kinds=list(kinds),
                sort_order=n,
                created_at=now,
            )
        )
    EvidenceRequirement.objects.bulk_create(requirements)
    summary.requirements = len(requirements)
    picture = _stored("现场照片.png", demo_png(seed))
    records: list[Evidence] = []
    files: list[tuple[Evidence, tuple[str, int, str], str, str]] = []
    for requirement in requirements:
        document = _stored(f"{requirement.title}.pdf", demo_pdf(requirement.title))
        periods = [
            p
            for p in periods_for(requirement.frequency, today.year)
            if (period_start(p) or today) <= today
        ]
        for kind in requirement.unit_kinds:
            for unit in units.get(kind, []):
                for period in periods:
                    roll = rng.random()
                    if roll >= 0.78:
                        continue  # missing
                    status = (
                        EvidenceStatus.APPROVED
                        if roll < 0.6
                        else EvidenceStatus.PENDING
                        if roll < 0.7
                        else EvidenceStatus.RETURNED
                    )
                    submitted = now - timedelta(days=rng.randint(3, 40), hours=rng.randint(0, 8))
                    reviewed = status != EvidenceStatus.PENDING
                    record = Evidence(
                        requirement=requirement,
                        unit=unit,
                        period=period,
                        year=None if period == "once" else today.year,
                        status=status,
                        round=1,
                        submitted_by=office,
                        submitted_at=submitted,
                        reviewed_by=office if reviewed else None,
                        reviewed_at=submitted + timedelta(days=2) if reviewed else None,
                        remark=rng.choice(RETURN_REMARKS)
                        if status == EvidenceStatus.RETURNED
                        else "",
                        created_at=submitted,
                    )
                    records.append(record)
                    files.append((record, document, f"{requirement.title}.pdf", "application/pdf"))
                    if rng.random() < 0.4:
                        files.append((record, picture, "现场照片.png", "image/png"))
    Evidence.objects.bulk_create(records, batch_size=500)
    EvidenceFile.objects.bulk_create(
        (
            EvidenceFile(
                evidence=record,
                file=stored,
                name=name,
                size=size,
                content_type=content_type,
                sha256=digest,
                round=1,
                uploaded_by=office,
                uploaded_at=record.submitted_at,
            )
            for record, (stored, size, digest), name, content_type in files
        ),
        batch_size=500,
    )
    events = []
    for record in records:
        events.append(
            EvidenceEvent(
                evidence=record,
                action=EvidenceAction.SUBMIT,
                to_status=EvidenceStatus.PENDING,
                round=1,
                actor=office,
                created_at=record.submitted_at,
            )
        )
        if record.status != EvidenceStatus.PENDING:
            events.append(
                EvidenceEvent(
                    evidence=record,
                    action=EvidenceAction.APPROVE
                    if record.status == EvidenceStatus.APPROVED
                    else EvidenceAction.RETURN,
                    from_status=EvidenceStatus.PENDING,
                    to_status=record.status,
                    round=1,
                    remark=record.remark,
                    actor=office,
                    created_at=record.reviewed_at or record.submitted_at,
                )
            )
    EvidenceEvent.objects.bulk_create(events, batch_size=500)
    summary.records = len(records)
    summary.files = len(files)
    for record in records:
        setattr(summary, record.status, getattr(summary, record.status) + 1)
    return summary
