import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .readers import human_size, max_bytes


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp văn bản kế hoạch"),
        help_text=_(
            "Định dạng .docx, .doc, .pdf (có lớp chữ hoặc bản scan), ảnh scan .png/.jpg/.tiff hoặc .txt (UTF-8)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Tệp có dung lượng %(size)s, vượt giới hạn %(limit)s. Hãy tách phụ lục hoặc nén ảnh trong văn bản "
                    "rồi thử lại."
                ),
                params={"size": human_size(upload.size), "limit": human_size(limit)},
                code="too_large",
            )
        return upload


FIELD_NAME = re.compile(r"[a-z][a-z0-9_-]{0,59}")
MAX_VALUE = 20_000  # longer than any paragraph of a plan; an outline body is the longest field


class DraftReviewForm(forms.Form):
    """The review page's form. Its fields are named after the draft's rows (``task-3-a0-who``, ``tgt-8-p1-min``…),
    so beyond ``action`` it is read as plain text values: ``cleaned_data["values"]`` maps each submitted field name
    to its (last) value, which is what ``review.apply_form`` reads. Shape only; the rulebook judges the content."""

    ACTIONS = [("save", _("Lưu")), ("publish", _("Công bố")), ("delete", _("Xóa bản nháp"))]
    action = forms.ChoiceField(choices=ACTIONS, required=False)

    def clean(self):
        cleaned = super().clean()
        cleaned["action"] = cleaned.get("action") or "save"
        values: dict[str, str] = {}
        for name in self.data:
            if name in ("action", "csrfmiddlewaretoken"):
                continue
            if not FIELD_NAME.fullmatch(name):
                raise forms.ValidationError(_("Biểu mẫu có trường lạ: %(name)s."), params={"name": name[:60]})
            value = self.data.get(name) or ""
            if len(value) > MAX_VALUE:
                raise forms.ValidationError(
                    _("Một ô nhập quá dài (tối đa %(max)s ký tự)."), params={"max": MAX_VALUE}
                )
            values[name] = value
        cleaned["values"] = values
        return cleaned
