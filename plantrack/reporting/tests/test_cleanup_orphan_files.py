"""An upload killed between writing the file and writing its row leaves an orphan; the command finds it."""

import os
import time
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from plantrack.reporting.services import evidence_add_file

from . import samples

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("cleanup_orphan_files", *args, stdout=out)
    return out.getvalue()


def age(path, hours):
    old = time.time() - hours * 3600
    os.utime(path, (old, old))


def test_lists_then_deletes_old_orphans_only(world, cycle, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = world.report(cycle, world.a)
    kept = evidence_add_file(
        actor=world.reporter_a, report=report, upload=SimpleUploadedFile("a.pdf", samples.pdf())
    )
    kept_path = tmp_path / kept.file.name
    orphan = tmp_path / "evidence" / "2025" / "mo-coi.pdf"
    orphan.write_bytes(samples.pdf())
    fresh = tmp_path / "evidence" / "2025" / "dang-tai-len.pdf"
    fresh.write_bytes(samples.pdf())
    age(kept_path, 48)
    age(orphan, 48)

    listed = run()
    assert "evidence/2025/mo-coi.pdf" in listed and "Tìm thấy" in listed and "1 tệp" in listed
    assert kept.file.name not in listed and "dang-tai-len" not in listed
    assert orphan.exists()  # dry run by default

    run("--delete")
    assert not orphan.exists()
    assert kept_path.exists() and fresh.exists()
    age(fresh, 2)
    assert "dang-tai-len" in run("--grace-hours", "1")  # the fresh one once its grace period is over
