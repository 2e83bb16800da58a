"""A backup taken while the application writes never fails and never leaves a partial file; files the snapshot
names but that vanish before the copy are reported, and a restore lists every named file that is absent."""

import tarfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from plantrack.reporting.services import evidence_add_file, evidence_delete
from plantrack.reporting.tests import samples
from plantrack.reporting.tests.conftest import cycle, world  # noqa: F401 - fixtures
from plantrack.security import backup
from plantrack.security.backup import backup_create, backup_restore, restore_missing_files

from .test_backup_restore import drop_everything

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def evidence(world, cycle, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    report = world.report(cycle, world.a)
    return [
        evidence_add_file(
            actor=world.reporter_a, report=report, upload=SimpleUploadedFile(f"{i}.pdf", samples.pdf())
        )
        for i in range(3)
    ]


def test_file_deleted_after_the_snapshot_is_reported_not_raised(evidence, monkeypatch, tmp_path, settings):
    gone = evidence[0]
    dump_name = "_dump_sqlite" if connection.vendor == "sqlite" else "_dump_pg"
    real_dump = getattr(backup, dump_name)

    def dump_then_user_deletes(workdir):
        result = real_dump(workdir)
        evidence_delete(actor=gone.uploaded_by, evidence=gone)  # the row and its file, after the snapshot
        (settings.MEDIA_ROOT / "orphan.tmp").write_bytes(b"x")
        return result

    monkeypatch.setattr(backup, dump_name, dump_then_user_deletes)
    out = tmp_path / "backups" / "sao-luu.tar.gz"
    result = backup_create(out=out)
    assert result.missing == [gone.file.name]
    assert sorted(p.name for p in out.parent.iterdir()) == ["sao-luu.tar.gz"]
    with tarfile.open(out) as archive:
        names = archive.getnames()
    assert f"media/{evidence[1].file.name}" in names and f"media/{gone.file.name}" not in names

    drop_everything()
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    manifest = backup_restore(path=out)
    # The snapshot still holds the deleted row: the restore says which file it lacks.
    assert manifest["files_missing"] == [gone.file.name] == restore_missing_files()


def test_failure_leaves_no_file_behind(evidence, monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(backup, "_add_media_file", broken)
    out = tmp_path / "backups" / "sao-luu.tar.gz"
    with pytest.raises(OSError, match="disk full"):
        backup_create(out=out)
    assert list(out.parent.iterdir()) == []


def test_restore_command_names_missing_files(evidence, tmp_path, settings):
    out = tmp_path / "sao-luu.tar.gz"
    call_command("backup", "--out", str(out), verbosity=0)
    drop_everything()
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    call_command("restore", str(out), verbosity=0)
    assert restore_missing_files() == []
    (settings.MEDIA_ROOT / evidence[2].file.name).unlink()
    assert restore_missing_files() == [evidence[2].file.name]
    err = StringIO()
    drop_everything()
    call_command("restore", str(out), "--force", stderr=err, verbosity=0)
    assert err.getvalue() == ""  # the archive had it: restored again
