"""Backup and restore of the whole installation: the database and the uploaded files.

One archive (``.tar.gz``) holds ``manifest.json`` (format, database vendor, applied
migrations, row counts of the main tables, time), the database (SQLite: a consistent copy
made with SQLite's online backup API; PostgreSQL: ``pg_dump --format=custom``) and every
file under MEDIA_ROOT. Backups run while the server is up. Restore refuses an archive of the
other database vendor or of a newer schema, writes into the database named by the settings
(SQLite: replaces the file; PostgreSQL: ``pg_restore --clean`` into ``DATABASE_URL``) and puts
the files back. Stop the server and the workers before restoring (docs/deploy.md).
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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

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


def read_manifest(archive: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            f"not a Chuangwei backup: {archive} ({exc})", code="not_a_backup"
        ) from exc
    if manifest.get("format") != FORMAT:
        raise InvalidInput(f"unknown backup format: {manifest.get('format')}", code="not_a_backup")
    return manifest


def restore(archive: Path) -> dict[str, Any]:
    """Replace the database and the media files with the archive's; returns its manifest."""
    manifest = read_manifest(archive)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise InvalidInput(
            f"the archive holds a {manifest['vendor']} database, this installation uses {vendor}",
            code="wrong_vendor",
        )
    known = {f"{app}.{name}" for app, name in _known_migrations()}
    unknown = [m for m in manifest["migrations"] if m not in known]
    if unknown:
        raise InvalidInput(
            f"the archive is from a newer version (unknown migrations: {', '.join(unknown[:3])})",
            code="newer_schema",
        )
    db = settings.DATABASES["default"]
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work, tarfile.open(archive, "r:gz") as tar:
        tar.extractall(work, filter="data")
        if vendor == "sqlite":
            source = sqlite3.connect(Path(work) / "database.sqlite3")
            connection.ensure_connection()
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        else:
            connection.close()
            subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *_pg_args(db),
                    str(Path(work) / "database.pgdump"),
                ],
                check=True,
                env=_pg_env(db),
                capture_output=True,
            )
        restored_media = Path(work) / "media"
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
