"""20 backups while a writer uploads and deletes evidence (SQLite). Prints successes and, for each archive,
whether a restore into an empty installation is consistent (every file the restored database names is present).

    .venv/bin/python bench/backup_concurrent.py [--backups 20]

The installation is set up fresh in a temporary data folder (migrate, embedded default without demo data, the 2025
cycle of plan 386/KH-UBND). A writer thread adds a PDF to a report and deletes an older one, as fast as it can,
through the real services, while the main thread runs ``backup_create`` ``--backups`` times. Each archive is then
restored by ``manage.py restore`` in a child process with its own empty data folder, which checks the files.
A file the snapshot named but that was deleted before it could be copied is reported in the manifest
(``media_missing``) and counts as "reported", not as an inconsistency.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backups", type=int, default=20)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="plantrack-bench-backup-"))
    os.environ.update(
        PLANTRACK_ENV="dev", DJANGO_SETTINGS_MODULE="plantrack.settings", PLANTRACK_DATA_DIR=str(data_dir)
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("MEDIA_ROOT", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("plantrack.security").setLevel(
        logging.WARNING
    )  # one line per upload would drown the figures
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_default", "--no-demo", verbosity=0, stdout=io.StringIO())
    from plantrack.plans.models import Plan
    from plantrack.reporting.models import AgencyReport, Evidence
    from plantrack.reporting.services import cycle_open, evidence_add_file, evidence_delete
    from plantrack.reporting.tests import samples
    from plantrack.security.backup import backup_create

    User = get_user_model()
    plan = Plan.objects.by_code("386/KH-UBND").get()
    coordinator = User.objects.create(
        username="bench-dieuphoi", role="coordinator", agency=plan.coordinator_agency
    )
    cycle = cycle_open(actor=coordinator, plan=plan, year=2025)
    report = AgencyReport.objects.filter(cycle=cycle).first()
    clerk = User.objects.create(username="bench-clerk", role="reporter", agency=report.agency)
    pdf = samples.pdf()

    stop = threading.Event()
    writes = {"added": 0, "deleted": 0, "errors": 0}

    def writer():
        n = 0
        try:
            while not stop.is_set():
                n += 1
                try:
                    evidence_add_file(actor=clerk, report=report, upload=SimpleUploadedFile(f"{n}.pdf", pdf))
                    writes["added"] += 1
                    oldest = Evidence.objects.filter(report=report).order_by("pk").first()
                    if n % 2 == 0 and oldest is not None:
                        evidence_delete(actor=clerk, evidence=oldest)
                        writes["deleted"] += 1
                except Exception as exc:  # noqa: BLE001 - counted and shown, the bench goes on
                    writes["errors"] += 1
                    print("writer error:", exc)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    archives, failures, reported = [], 0, 0
    started = time.perf_counter()
    for i in range(args.backups):
        out = data_dir / "backups" / f"b{i:02}.tar.gz"
        try:
            result = backup_create(out=out)
        except Exception as exc:  # noqa: BLE001 - this is what the bench counts
            failures += 1
            print(f"backup {i}: FAILED {exc!r}")
            continue
        reported += len(result.missing)
        archives.append(out)
    elapsed = time.perf_counter() - started
    stop.set()
    thread.join()
    leftovers = [p.name for p in (data_dir / "backups").iterdir() if not p.name.endswith(".tar.gz")]
    print(f"backups: {len(archives)}/{args.backups} succeeded in {elapsed:.1f} s; failures {failures}")
    print(
        f"writer meanwhile: {writes['added']} uploads, {writes['deleted']} deletions, {writes['errors']} errors"
    )
    print(f"files named by a snapshot but deleted before the copy (reported in the manifest): {reported}")
    print(f"temporary or partial files left: {leftovers or 'none'}")

    consistent = 0
    for archive in archives:
        target = Path(tempfile.mkdtemp(prefix="plantrack-bench-restore-"))
        env = {**os.environ, "PLANTRACK_DATA_DIR": str(target)}
        run = subprocess.run(  # noqa: S603 - fixed arguments
            [sys.executable, str(ROOT / "manage.py"), "restore", str(archive)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
        absent = [line for line in run.stderr.splitlines() if "nhưng tệp không có" in line]
        unexplained = [line for line in absent if not any(name in line for name in manifest["media_missing"])]
        ok = run.returncode == 0 and not unexplained
        consistent += ok
        if not ok:
            print(f"restore of {archive.name}: rc={run.returncode} {run.stderr[-400:]}")
    print(f"restores consistent: {consistent}/{len(archives)}")
    return 0 if failures == 0 and consistent == len(archives) and not leftovers else 1


if __name__ == "__main__":
    sys.exit(main())
