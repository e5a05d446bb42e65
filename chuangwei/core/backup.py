"""Backup and restore of the whole installation: the database and the uploaded files.

One archive (``.tar.gz``) holds ``manifest.json`` (format, database vendor, applied
migrations, row counts of the main tables, time), the database (SQLite: a consistent copy
made with SQLite's online backup API; PostgreSQL: ``pg_dump --format=custom``) and every
file under MEDIA_ROOT. Backups run while the server is up. Restore refuses an archive of the
other database vendor or of a newer schema, and a truncated or corrupt one (it is extracted
and checked in full first), then writes into the database named by the settings (SQLite:
replaces the file; PostgreSQL: ``pg_restore --clean`` into ``DATABASE_URL``) and puts the
files back. Stop the server and the workers before restoring (docs/deploy.md).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidInput

FORMAT = "chuangwei-backup/1"
COUNTED = ("problems_problem", "problems_problemevent", "problems_problemphoto", "org_orgunit")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    files: int
    counts: dict[str, int]


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in COUNTED:
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = int(cursor.fetchone()[0])
    return counts


def _migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(destination: Path, *, now: datetime | None = None) -> BackupResult:
    """Write the archive to ``destination`` (a file, or a folder to put a dated file in)."""
    now = now or timezone.now()
    if destination.is_dir():
        stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
        destination = destination / f"chuangwei-{stamp}.tar.gz"
    vendor = connection.vendor
    db = settings.DATABASES["default"]
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        elif vendor == "postgresql":
            subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), *_pg_args(db)],
                check=True,
                env=_pg_env(db),
                capture_output=True,
            )
        else:
            raise InvalidInput(f"unsupported database: {vendor}", code="unsupported_database")
        manifest = {
            "format": FORMAT,
            "vendor": vendor,
            "created_at": now.isoformat(),
            "migrations": _migrations(),
            "counts": _counts(),
        }
        files = 0
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            tar.add(dump, arcname=dump.name)
            if media.is_dir():
                for path in sorted(media.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=f"media/{path.relative_to(media)}")
                        files += 1
        partial.replace(destination)  # a crash mid-write never leaves a plausible archive
    return BackupResult(destination, vendor, files, manifest["counts"])


# What reading a damaged archive raises: tarfile's own errors, gzip's BadGzipFile (an
# OSError), zlib.error for corrupt deflate data and EOFError for a file cut short.
_DAMAGED = (tarfile.TarError, OSError, EOFError, zlib.error)


def read_manifest(archive: Path) -> dict[str, Any]:
    """The archive's manifest; InvalidInput (``not_a_backup``) when there is none to read."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The manifest is the first member: read it without scanning the whole archive,
            # so a truncated backup is told apart (as damaged) from a file that is none.
            first = tar.next()
            member = tar.extractfile(first) if first and first.name == "manifest.json" else None
            if member is None:
                raise KeyError("manifest.json")
            manifest = json.loads(member.read())
    except (*_DAMAGED, KeyError, ValueError) as exc:
        raise InvalidInput(
            _("%(archive)s is not a Chuangwei backup (%(error)s).")
            % {"archive": archive, "error": exc},
            code="not_a_backup",
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise InvalidInput(
            _("Unknown backup format: %(format)s.") % {"format": found}, code="not_a_backup"
        )
    if not (
        isinstance(manifest.get("vendor"), str)
        and isinstance(manifest.get("migrations"), list)
        and isinstance(manifest.get("counts"), dict)
    ):
        raise InvalidInput(
            _("%(archive)s has an incomplete manifest.") % {"archive": archive},
            code="not_a_backup",
        )
    return manifest


def _damaged(archive: Path, reason: Any) -> InvalidInput:
    return InvalidInput(
        _("%(archive)s is damaged or incomplete (%(reason)s); nothing was restored.")
        % {"archive": archive, "reason": reason},
        code="damaged_backup",
    )


def _unpack(archive: Path, work: Path, vendor: str, manifest: dict[str, Any]) -> Path:
    """Extract the whole archive into ``work`` and check it; return the database dump.

    Every check runs before anything is replaced, so a truncated or corrupt archive (cut
    short, a flipped byte, the database missing or unreadable, row counts that differ from
    the manifest) raises InvalidInput (``damaged_backup``) and changes nothing.
    """
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
    except _DAMAGED as exc:
        raise _damaged(archive, exc) from exc
    dump = work / ("database.sqlite3" if vendor == "sqlite" else "database.pgdump")
    if not dump.is_file():
        raise _damaged(archive, _("the database is missing"))
    if vendor == "sqlite":
        _check_sqlite(archive, dump, manifest)
    else:
        try:
            subprocess.run(["pg_restore", "--list", str(dump)], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise _damaged(archive, _pg_reason(exc)) from exc
    return dump


def _check_sqlite(archive: Path, dump: Path, manifest: dict[str, Any]) -> None:
    try:
        source = sqlite3.connect(dump)
        try:
            # quick_check reads every page (integrity_check also compares every index with
            # its table, minutes on a large ledger).
            (verdict,) = source.execute("PRAGMA quick_check").fetchone()
            counts = {
                table: source.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
                for table in manifest["counts"]
                if table in COUNTED
            }
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise _damaged(archive, exc) from exc
    if verdict != "ok":
        raise _damaged(archive, verdict)
    expected = {table: manifest["counts"][table] for table in counts}
    if counts != expected:
        raise _damaged(archive, _("row counts differ from the manifest"))


def _pg_reason(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return (exc.stderr or b"").decode(errors="replace").strip() or str(exc)
    return str(exc)


def restore(archive: Path) -> dict[str, Any]:
    """Replace the database and the media files with the archive's; returns its manifest.

    Raises InvalidInput, changing nothing, for a file that is not a backup
    (``not_a_backup``), an archive of the other database vendor (``wrong_vendor``) or of a
    newer schema (``newer_schema``), and a truncated or corrupt archive (``damaged_backup``):
    the whole archive is extracted and checked before the database is touched.
    """
    manifest = read_manifest(archive)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise InvalidInput(
            _("The archive holds a %(archive)s database; this installation uses %(vendor)s.")
            % {"archive": manifest["vendor"], "vendor": vendor},
            code="wrong_vendor",
        )
    known = {f"{app}.{name}" for app, name in _known_migrations()}
    unknown = [m for m in manifest["migrations"] if m not in known]
    if unknown:
        raise InvalidInput(
            _("The archive is from a newer version (unknown migrations: %(migrations)s).")
            % {"migrations": ", ".join(unknown[:3])},
            code="newer_schema",
        )
    db = settings.DATABASES["default"]
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        dump = _unpack(archive, work, vendor, manifest)
        if vendor == "sqlite":
            source = sqlite3.connect(dump)
            connection.ensure_connection()
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()
            try:
                subprocess.run(
                    [
                        "pg_restore",
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--single-transaction",
                        *_pg_args(db),
                        str(dump),
                    ],
                    check=True,
                    env=_pg_env(db),
                    capture_output=True,
                )
            except (OSError, subprocess.CalledProcessError) as exc:
                # --single-transaction: a failed restore rolled back and changed nothing.
                raise InvalidInput(
                    _("pg_restore failed; nothing was restored: %(reason)s")
                    % {"reason": _pg_reason(exc)},
                    code="restore_failed",
                ) from exc
        restored_media = work / "media"
        if restored_media.is_dir():
            media.mkdir(parents=True, exist_ok=True)
            for path in restored_media.rglob("*"):
                if path.is_file():
                    target = media / path.relative_to(restored_media)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
    return manifest


def _known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
