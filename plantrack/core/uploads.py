"""Upload size limits, one setting per kind of upload, checked by the form before anything reads the file."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


def human_size(size: int) -> str:
    """26 900 -> "26,3 KB"; 10 485 760 -> "10 MB" (decimal comma)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = f"{size / scale:.1f}".rstrip("0").rstrip(".")
            return f"{value.replace('.', ',')} {unit}"
    return f"{size} byte"


@deconstructible
class MaxUploadSizeValidator:
    """Refuse a file larger than ``settings.<setting>`` (read at validation time, so the operator's value and
    ``override_settings`` apply)."""

    def __init__(self, setting: str):
        self.setting = setting

    def limit(self) -> int:
        return int(getattr(settings, self.setting))

    def __call__(self, upload):
        limit = self.limit()
        if upload.size > limit:
            raise ValidationError(
                _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn %(limit)s cho loại tệp này.")
                % {"name": upload.name, "size": human_size(upload.size), "limit": human_size(limit)},
                code="file_too_large",
            )

    def __eq__(self, other):
        return isinstance(other, MaxUploadSizeValidator) and other.setting == self.setting
