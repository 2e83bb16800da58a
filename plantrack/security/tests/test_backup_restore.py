"""Backup → wipe → restore gives back every row of every table and every uploaded file."""

import hashlib
import tarfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from plantrack.accounts.services import user_lockout_reset
from plantrack.security.models import SecurityAction, SecurityEvent
from plantrack.security.services import security_event_record

from .conftest import login_post

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot_tables() -> dict[str, list[tuple]]:
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            if table == "django_migrations":
                continue  # re-applied by migrate in the JSON format; compared through the manifest instead
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names come from introspection
            result[table] = sorted(tuple(repr(value) for value in row) for row in cursor.fetchall())
    return result


def snapshot_files(root) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def drop_everything() -> None:
    """An empty installation: no table at all."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
            cursor.execute("PRAGMA foreign_keys = ON")
    assert connection.introspection.table_names() == []


def flush_everything() -> None:
    """An installation where `migrate` ran but nothing was entered."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def world(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    media = settings.MEDIA_ROOT
    (media / "evidence" / "2025" / "so-a").mkdir(parents=True)
    (media / "evidence" / "2025" / "so-a" / "bao-cao ký số.pdf").write_bytes(
        b"%PDF-1.7\n" + bytes(range(256)) * 40
    )
    (media / "evidence" / "2025" / "so-a" / "bảng số liệu.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 1000)
    (media / "khac.txt").write_text("Tệp tải lên có dấu tiếng Việt", encoding="utf-8")
    call_command("load_default", "--no-demo", verbosity=0)
    client = Client()
    login_post(client, "reporter_a")  # a session, a tracked session, a login event
    login_post(Client(), "reporter_b", "sai")  # an axes attempt and a failure event
    user_lockout_reset(actor=people.admin, username="nobody")
    security_event_record(actor=people.admin, action=SecurityAction.EXPORT, detail={"rows": 12, "số": "một"})
    return media


@pytest.mark.parametrize("database_format, wipe", [("auto", drop_everything), ("json", flush_everything)])
def test_backup_wipe_restore_is_identical(world, tmp_path, database_format, wipe):
    before_tables = snapshot_tables()
    before_files = snapshot_files(world)
    assert len(before_files) == 3 and sum(len(rows) for rows in before_tables.values()) > 500
    archive = tmp_path / "sao-luu.tar.gz"

    call_command("backup", "--out", str(archive), "--format", database_format, verbosity=0)
    assert archive.exists()
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "media/evidence/2025/so-a/bảng số liệu.xlsx" in names

    wipe()
    for path in sorted(world.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert snapshot_files(world) == {}

    call_command("restore", str(archive), verbosity=0)

    after_tables = snapshot_tables()
    assert snapshot_files(world) == before_files
    # The backup and the restore are themselves recorded: the log has exactly those two rows more.
    log_table = SecurityEvent._meta.db_table
    added = SecurityEvent.objects.exclude(action__in=[SecurityAction.BACKUP, SecurityAction.RESTORE])
    assert added.count() == len(before_tables[log_table])
    assert SecurityEvent.objects.filter(action=SecurityAction.RESTORE).count() == 1
    for table in before_tables:
        if table in (log_table, "core_cacheversion"):
            # the cache versions must move on a restore: every cached page drawn before it is stale
            continue
        assert after_tables[table] == before_tables[table], table
    assert set(after_tables) == set(before_tables)


def test_restore_refuses_a_non_empty_installation(world, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "--out", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("restore", str(archive), verbosity=0)


def test_restore_refuses_a_damaged_archive(world, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "--out", str(archive), verbosity=0)
    damaged = tmp_path / "hong.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/khac.txt":
                data = b"changed"
                member.size = len(data)
            import io

            target.addfile(member, io.BytesIO(data))
    flush_everything()
    for path in sorted(world.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", str(damaged), verbosity=0)
