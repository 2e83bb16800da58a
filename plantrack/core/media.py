"""Uploaded files and the rows that name them, for every app (found through the models' FileFields).

Uploads are written to storage first and the row naming the file second (``evidence_add_file`` deletes the file
if the row cannot be written). A process killed between the two leaves a file no row names: an orphan, found
and removed by ``manage.py cleanup_orphan_files``. Backups use the same list of FileFields to know which files a
database snapshot names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    """Every concrete FileField (ImageField included) of every installed model."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def media_names_referenced() -> set[str]:
    """The storage names of every file some row names (empty values left out)."""
    names: set[str] = set()
    for model, field in file_fields():
        names.update(
            model._base_manager.exclude(**{field.name: ""})
            .exclude(**{f"{field.name}__isnull": True})
            .values_list(field.name, flat=True)
        )
    return names


def orphan_media_files(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> list[Path]:
    """Files under MEDIA_ROOT that no row names and that were last modified more than ``older_than`` ago (an
    upload in progress has its file before its row: the grace period leaves it alone)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    cutoff = (now or dt.datetime.now(dt.UTC)).timestamp() - older_than.total_seconds()
    referenced = media_names_referenced()
    orphans = []
    for path in sorted(root.rglob("*")):
        try:
            if not path.is_file() or path.stat().st_mtime > cutoff:
                continue
        except FileNotFoundError:
            continue  # deleted while we looked
        if path.relative_to(root).as_posix() not in referenced:
            orphans.append(path)
    return orphans
