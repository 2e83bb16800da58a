"""Backup and restore of a whole installation: the database and the uploaded files (MEDIA_ROOT), in one archive.

Archive layout (``.tar.gz``)::

    manifest.json            what is inside: format, engine, migrations, sha256 of every member
    database.sqlite3         SQLite: a consistent copy made with SQLite's online backup API
    database.pgdump          PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot)
    database/<model>.json    portable fallback (any engine): every row of every model, full precision
    media/...                the uploaded files

Consistency while the application runs: SQLite's backup API and ``pg_dump`` each copy one consistent state of the
database; the JSON fallback reads every table inside one REPEATABLE READ transaction on PostgreSQL (one
transaction on SQLite). The files that state names are read *from the snapshot itself* (``pg_dump --snapshot``
shares the transaction that lists them), then copied. Uploads are written before the row that names them and
never changed in place, so every named file exists when the snapshot is taken; one deleted since (its row
deleted after the snapshot) is retried once, then listed in the manifest under ``media_missing`` — never a
failure. Other files under MEDIA_ROOT are copied when still there. The archive is written to a temporary file
next to ``out`` and renamed into place, so a failed or interrupted backup leaves nothing behind. After a restore,
``files_missing`` lists every file the restored database names that is not in MEDIA_ROOT.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from plantrack.core.media import file_fields, media_names_referenced

FORMAT_VERSION = 1
# Tables that `migrate` fills by itself: an installation holding only these counts as empty.
MIGRATE_FILLED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    pass


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a restore must give back exactly what was saved."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            return o.isoformat()
        if isinstance(o, dt.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else connection.vendor


def _dumpable_models():
    # Auto-created many-to-many tables are dumped as tables of their own (with their ids), and the many-to-many
    # fields left out of their owners' rows, so a restore recreates those rows exactly.
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        yield model


def _pg_env() -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, name in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(name):
            env[key] = str(db[name])
    return env


def _pg_tool(name: str) -> str | None:
    return shutil.which(name)


# --- Backup ------------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    database_format: str
    files: int
    missing: list[str]


def _sqlite_media_names(path: Path) -> set[str]:
    """The files named by the rows of a SQLite snapshot file."""
    names: set[str] = set()
    snapshot = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in snapshot.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for model, field in file_fields():
            if model._meta.db_table not in tables:
                continue
            table, column = model._meta.db_table.replace('"', '""'), field.column.replace('"', '""')
            query = f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL AND "{column}" != \'\''  # noqa: S608
            names.update(row[0] for row in snapshot.execute(query))
    finally:
        snapshot.close()
    return names


def _dump_sqlite(workdir: Path) -> tuple[list[Path], set[str]]:
    target = workdir / "database.sqlite3"
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        with destination:
            connection.connection.backup(destination)
    finally:
        destination.close()
    return [target], _sqlite_media_names(target)


def _dump_pg(workdir: Path) -> tuple[list[Path], set[str]]:
    """``pg_dump`` of a snapshot exported by our own REPEATABLE READ transaction, which lists the files the same
    snapshot names."""
    target = workdir / "database.pgdump"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        names = media_names_referenced()
        subprocess.run(  # noqa: S603 - fixed arguments, connection settings passed through the environment
            [
                _pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                "--file",
                str(target),
            ],
            env=_pg_env(),
            check=True,
            capture_output=True,
        )
    return [target], names


def _dump_json(workdir: Path) -> tuple[list[Path], set[str]]:
    folder = workdir / "database"
    folder.mkdir()
    written = []
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        names = media_names_referenced()
        for model in _dumpable_models():
            if not model._base_manager.exists():
                continue  # loaddata warns about empty fixture files
            path = folder / f"{model._meta.label_lower}.json"
            with path.open("w", encoding="utf-8") as handle:
                fields = [field.name for field in model._meta.concrete_fields if not field.primary_key]
                serializers.serialize(
                    "json",
                    model._base_manager.order_by("pk").iterator(chunk_size=2000),
                    stream=handle,
                    cls=FullPrecisionEncoder,
                    fields=fields,
                )
            written.append(path)
    return written, names


class _HashingReader:
    """Feeds a file to ``tarfile`` and hashes what it reads, so each file is read once."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_media_file(archive: tarfile.TarFile, root: Path, name: str, *, retries: int) -> str | None:
    """Copy ``root/name`` into the archive; its sha256, or None if it vanished (after ``retries`` more tries).
    The open handle keeps the file readable even if it is deleted meanwhile."""
    for attempt in range(retries + 1):
        try:
            handle = (root / name).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            if attempt < retries:
                time.sleep(0.05)
            continue
        with handle:
            info = tarfile.TarInfo("media/" + name)
            stat = os.fstat(handle.fileno())
            info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
            reader = _HashingReader(handle)
            archive.addfile(info, reader)
            return reader.digest.hexdigest()
    return None


def _safe_media_name(name: str) -> bool:
    relative = PurePosixPath(name)
    return bool(relative.parts) and not relative.is_absolute() and ".." not in relative.parts


def backup_create(*, out: Path, database_format: str = "auto") -> BackupResult:
    """Write one ``.tar.gz`` archive with the database and MEDIA_ROOT to ``out``.

    ``database_format``: ``auto`` (SQLite copy; ``pg_dump`` when it is installed, else JSON), ``native``, or
    ``json`` (portable between engines and versions of SQLite/PostgreSQL).
    """
    engine = _engine()
    if database_format == "auto":
        database_format = "native"
        if engine == "postgresql" and _pg_tool("pg_dump") is None:
            database_format = "json"
    if database_format == "native" and engine not in ("sqlite", "postgresql"):
        database_format = "json"
    if database_format == "native" and engine == "postgresql" and _pg_tool("pg_dump") is None:
        raise BackupError("pg_dump không có trên máy này; dùng --format json.")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written next to ``out`` (same file system, so the rename is atomic) under a hidden temporary name.
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(handle)
    temporary = Path(temporary)
    try:
        with tempfile.TemporaryDirectory(prefix="plantrack-backup-") as tmp:
            workdir = Path(tmp)
            if database_format == "json":
                db_files, named = _dump_json(workdir)
                kind = "json"
            elif engine == "sqlite":
                db_files, named = _dump_sqlite(workdir)
                kind = "sqlite"
            else:
                db_files, named = _dump_pg(workdir)
                kind = "pg_dump"
            media_root = Path(settings.MEDIA_ROOT)
            # Listed after the snapshot: files the snapshot names first, then whatever else is there now.
            others = (
                sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file())
                if media_root.exists()
                else []
            )
            media: dict[str, str] = {}
            missing: list[str] = []
            with tarfile.open(temporary, "w:gz") as archive:
                # Named files first, while the window in which a user can delete one is shortest.
                for name in sorted(n for n in named if _safe_media_name(n)):
                    digest = _add_media_file(archive, media_root, name, retries=1)
                    if digest is None:
                        missing.append(name)
                    else:
                        media[name] = digest
                for name in others:
                    if name not in named:
                        digest = _add_media_file(archive, media_root, name, retries=0)
                        if digest is not None:  # gone since the listing: nothing names it
                            media[name] = digest
                for path in db_files:
                    archive.add(path, arcname=path.relative_to(workdir).as_posix(), recursive=False)
                manifest = {
                    "format_version": FORMAT_VERSION,
                    "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    "engine": engine,
                    "database_format": kind,
                    "migrations": sorted(
                        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
                    ),
                    "database": {p.relative_to(workdir).as_posix(): _sha256(p) for p in db_files},
                    "media": media,
                    "media_missing": missing,
                }
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
                archive.addfile(info, io.BytesIO(data))
        temporary.replace(out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return BackupResult(path=out, database_format=kind, files=len(media), missing=missing)


# --- Restore -----------------------------------------------------------------------------------------------------


def installation_is_empty() -> bool:
    """No table other than what ``migrate`` fills by itself holds a row, and MEDIA_ROOT has no file."""
    tables = set(connection.introspection.table_names())
    for model in _dumpable_models():
        if model._meta.label_lower in MIGRATE_FILLED or model._meta.db_table not in tables:
            continue
        if model._base_manager.exists():
            return False
    media_root = Path(settings.MEDIA_ROOT)
    return not (media_root.exists() and any(p.is_file() for p in media_root.rglob("*")))


def _safe_member_path(name: str, prefix: str) -> PurePosixPath:
    relative = PurePosixPath(name[len(prefix) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"Đường dẫn không hợp lệ trong tệp sao lưu: {name}")
    return relative


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember("manifest.json")
    except KeyError as exc:
        raise BackupError("Không phải tệp sao lưu của Plantrack (thiếu manifest.json).") from exc
    manifest = json.load(archive.extractfile(member))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError("Phiên bản định dạng sao lưu không được hỗ trợ.")
    return manifest


def _extract_verified(archive: tarfile.TarFile, member: tarfile.TarInfo, target: Path, expected: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    source = archive.extractfile(member)
    with target.open("wb") as handle:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
            handle.write(chunk)
    if digest.hexdigest() != expected:
        raise BackupError(f"Tệp {member.name} trong bản sao lưu bị hỏng (sai mã kiểm tra).")


def _restore_sqlite(path: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(path)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_pg(path: Path) -> None:
    if _pg_tool("pg_restore") is None:
        raise BackupError("pg_restore không có trên máy này.")
    connection.close()
    subprocess.run(  # noqa: S603 - fixed arguments, connection settings passed through the environment
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            connection.settings_dict["NAME"],
            str(path),
        ],
        env=_pg_env(),
        check=True,
        capture_output=True,
    )


def _restore_json(paths: list[Path], manifest: dict) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    current = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
    if current != manifest["migrations"]:
        raise BackupError(
            "Bản sao lưu được tạo với phiên bản mã nguồn khác: hãy phục hồi bằng đúng phiên bản đó, "
            "rồi nâng cấp (docs/deploy.md)."
        )
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    call_command("loaddata", *[str(p) for p in paths], verbosity=0)


def backup_restore(*, path: Path, force: bool = False) -> dict:
    """Restore the archive at ``path`` into this installation, which must be empty unless ``force``."""
    path = Path(path)
    with tarfile.open(path, "r:gz") as archive:
        manifest = _read_manifest(archive)
        if manifest["database_format"] in ("sqlite", "pg_dump") and manifest["engine"] != _engine():
            raise BackupError(
                f"Bản sao lưu chứa cơ sở dữ liệu {manifest['engine']}, còn hệ thống này dùng {_engine()}: "
                "hãy tạo bản sao lưu với --format json."
            )
        if not force and not installation_is_empty():
            raise BackupError(
                "Hệ thống đích đã có dữ liệu. Phục hồi chỉ vào một hệ thống trống (hoặc dùng --force "
                "để ghi đè toàn bộ)."
            )
        members = {member.name: member for member in archive.getmembers()}
        for name in [*manifest["database"], *("media/" + rel for rel in manifest["media"])]:
            if name not in members or not members[name].isfile():
                raise BackupError(f"Bản sao lưu thiếu {name}.")
        with tempfile.TemporaryDirectory(prefix="plantrack-restore-") as tmp:
            workdir = Path(tmp)
            db_paths = []
            for name, digest in manifest["database"].items():
                target = workdir / _safe_member_path(name, "")
                _extract_verified(archive, members[name], target, digest)
                db_paths.append(target)
            media_root = Path(settings.MEDIA_ROOT)
            staged_media = workdir / "media"
            for rel, digest in manifest["media"].items():
                _extract_verified(
                    archive, members["media/" + rel], staged_media / _safe_member_path(rel, ""), digest
                )
            kind = manifest["database_format"]
            if kind == "sqlite":
                _restore_sqlite(db_paths[0])
            elif kind == "pg_dump":
                _restore_pg(db_paths[0])
            else:
                _restore_json(sorted(db_paths), manifest)
            if force and media_root.exists():
                shutil.rmtree(media_root)
            media_root.mkdir(parents=True, exist_ok=True)
            if staged_media.exists():
                shutil.copytree(staged_media, media_root, dirs_exist_ok=True)
    return {**manifest, "files_missing": restore_missing_files()}


def restore_missing_files() -> list[str]:
    """Every file the database names that is not under MEDIA_ROOT (empty for a consistent installation)."""
    media_root = Path(settings.MEDIA_ROOT)
    return sorted(name for name in media_names_referenced() if not (media_root / name).is_file())
