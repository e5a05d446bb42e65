"""Backup and restore round trip on the database in use (SQLite or PostgreSQL)."""

import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from chuangwei.core.backup import backup, read_manifest, restore
from chuangwei.core.errors import InvalidInput
from chuangwei.org.choices import OrgUnitKind
from chuangwei.org.models import OrgUnit
from chuangwei.org.services import create_org_unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "problems" / "1").mkdir(parents=True)
    (settings.MEDIA_ROOT / "problems" / "1" / "before.jpg").write_bytes(b"jpeg-bytes")
    return settings.MEDIA_ROOT


def test_backup_holds_manifest_database_and_files(media, tmp_path):
    create_org_unit(code="370400", name="测试市", kind=OrgUnitKind.CITY)
    result = backup(tmp_path / "b.tar.gz")
    with tarfile.open(result.path) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    dump = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    assert names == {"manifest.json", dump, "media/problems/1/before.jpg"}
    assert manifest["vendor"] == connection.vendor
    assert manifest["counts"]["org_orgunit"] == 1
    assert "problems.0001_initial" in manifest["migrations"]
    assert result.files == 1


def test_restore_brings_back_rows_and_files(media, tmp_path):
    create_org_unit(code="370400", name="测试市", kind=OrgUnitKind.CITY)
    archive = backup(tmp_path / "b.tar.gz").path
    create_org_unit(code="370500", name="后加市", kind=OrgUnitKind.CITY)
    (media / "problems" / "1" / "before.jpg").unlink()

    restore(archive)

    assert list(OrgUnit.objects.values_list("name", flat=True)) == ["测试市"]
    assert (media / "problems" / "1" / "before.jpg").read_bytes() == b"jpeg-bytes"


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball")
    with pytest.raises(InvalidInput) as err:
        read_manifest(junk)
    assert err.value.code == "not_a_backup"


def test_an_archive_of_the_other_vendor_is_refused_and_nothing_changes(media, tmp_path):
    create_org_unit(code="370400", name="测试市", kind=OrgUnitKind.CITY)
    archive = backup(tmp_path / "b.tar.gz").path
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(forged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["vendor"] = other
                data = json.dumps(manifest).encode()
                member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    create_org_unit(code="370500", name="后加市", kind=OrgUnitKind.CITY)
    with pytest.raises(InvalidInput) as err:
        restore(forged)
    assert err.value.code == "wrong_vendor"
    assert OrgUnit.objects.count() == 2


def test_restore_command_needs_yes(media, tmp_path):
    archive = backup(tmp_path / "b.tar.gz").path
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))


def test_backup_command_names_a_dated_file_in_a_folder(media, tmp_path, capsys):
    folder = tmp_path / "backups"
    folder.mkdir()
    call_command("backup", str(folder))
    made = list(folder.glob("chuangwei-*.tar.gz"))
    assert len(made) == 1
    assert str(made[0]) in capsys.readouterr().out


def truncated_copy(archive, tmp_path, fraction: float):
    data = archive.read_bytes()
    cut = tmp_path / f"cut-{fraction}.tar.gz"
    cut.write_bytes(data[: int(len(data) * fraction)])
    return cut


@pytest.mark.parametrize("fraction", [0.5, 0.9, 0.99])
def test_a_truncated_backup_is_refused_and_nothing_changes(media, tmp_path, fraction):
    create_org_unit(code="370400", name="测试市", kind=OrgUnitKind.CITY)
    archive = backup(tmp_path / "b.tar.gz").path
    create_org_unit(code="370500", name="后加市", kind=OrgUnitKind.CITY)
    (media / "problems" / "1" / "before.jpg").write_bytes(b"changed")

    with pytest.raises(InvalidInput) as err:
        restore(truncated_copy(archive, tmp_path, fraction))

    assert err.value.code == "damaged_backup"
    assert OrgUnit.objects.count() == 2
    assert (media / "problems" / "1" / "before.jpg").read_bytes() == b"changed"


def test_a_backup_with_a_corrupt_byte_is_refused_and_nothing_changes(media, tmp_path):
    create_org_unit(code="370400", name="测试市", kind=OrgUnitKind.CITY)
    archive = backup(tmp_path / "b.tar.gz").path
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    corrupt = tmp_path / "corrupt.tar.gz"
    corrupt.write_bytes(bytes(data))
    create_org_unit(code="370500", name="后加市", kind=OrgUnitKind.CITY)

    with pytest.raises(InvalidInput) as err:
        restore(corrupt)

    assert err.value.code == "damaged_backup"
    assert OrgUnit.objects.count() == 2


def test_a_backup_without_its_database_is_refused_and_nothing_changes(media, tmp_path):
    import io

    create_org_unit(code="370400", name="测试市", kind=OrgUnitKind.CITY)
    archive = backup(tmp_path / "b.tar.gz").path
    gutted = tmp_path / "gutted.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(gutted, "w:gz") as dst:
        for member in src.getmembers():
            if not member.name.startswith("database."):
                dst.addfile(member, io.BytesIO(src.extractfile(member).read()))

    with pytest.raises(InvalidInput) as err:
        restore(gutted)

    assert err.value.code == "damaged_backup"
    assert OrgUnit.objects.count() == 1


def test_restore_command_reports_a_truncated_archive_in_one_line(media, tmp_path):
    archive = backup(tmp_path / "b.tar.gz").path
    cut = truncated_copy(archive, tmp_path, 0.9)

    with translation.override("en"), pytest.raises(CommandError) as err:
        call_command("restore", str(cut), "--yes")

    assert str(err.value).endswith(
        "is damaged or incomplete (Compressed file ended before the end-of-stream marker was "
        "reached); nothing was restored."
    )
    assert "\n" not in str(err.value)
