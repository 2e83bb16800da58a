from django import forms
from django.utils.translation import gettext_lazy as _

from .plan_import.readers import human_size, max_bytes


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp văn bản kế hoạch"),
        help_text=_("Định dạng .docx, .pdf (có lớp chữ, không phải bản scan) hoặc .txt (UTF-8)."),
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
