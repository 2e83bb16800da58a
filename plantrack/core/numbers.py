"""Reading and writing numbers the Vietnamese way: decimal comma, dot (or space) between thousands; the form field
every page uses to take a typed number."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator
from django.utils import formats
from django.utils.translation import gettext as _

_GROUPED_DOTS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def parse_decimal(text: str | int | float | Decimal) -> Decimal:
    """``"62,8"`` → 62.8; ``"1.234,5"`` and ``"1 234,5"`` → 1234.5; ``"62.8"`` → 62.8 (a pasted English number).

    ``"1.234"`` is refused as ambiguous (a thousand or one point two three four?), as is anything with more than
    one decimal separator. The message is Vietnamese and quotes what was typed.
    """
    if isinstance(text, Decimal):
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    raw = str(text)
    cleaned = _SPACES.sub("", raw).removesuffix("%")
    if not cleaned:
        raise ValidationError(_("Chưa nhập số."), code="required")
    if _GROUPED_DOTS.match(cleaned) and (cleaned.count(".") > 1 or "," in cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", cleaned):
        raise ValidationError(
            _(
                "«%(raw)s» không rõ là số nguyên hay số thập phân. Dùng dấu phẩy cho phần thập phân (ví dụ 1,234) "
                "hoặc bỏ dấu chấm ngăn cách hàng nghìn (ví dụ 1234)."
            )
            % {"raw": raw.strip()},
            code="ambiguous",
        )
    elif _PLAIN.match(cleaned):
        cleaned = cleaned.replace(",", ".")
    elif re.fullmatch(r"[+-]?[\d.,]+", cleaned):
        raise ValidationError(
            _("«%(raw)s» không phải là một số hợp lệ: chỉ dùng một dấu phẩy cho phần thập phân, ví dụ 62,8.")
            % {"raw": raw.strip()},
            code="malformed",
        )
    else:
        raise ValidationError(
            _("«%(raw)s» không phải là số. Nhập chữ số, dùng dấu phẩy cho phần thập phân, ví dụ 62,8.")
            % {"raw": raw.strip()},
            code="not_a_number",
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only let digits through
        raise ValidationError(
            _("«%(raw)s» không phải là số.") % {"raw": raw.strip()}, code="not_a_number"
        ) from exc
    if not value.is_finite() or abs(value) >= Decimal("1e16"):
        raise ValidationError(_("«%(raw)s» quá lớn.") % {"raw": raw.strip()}, code="too_large")
    return value


def format_decimal(value: Decimal | int | float | None, places: int | None = None) -> str:
    """62.8 → "62,8" and 1234567 → "1.234.567" in Vietnamese (the active locale's separators); None → "".

    Without ``places`` trailing zeros are dropped; with it the number is rounded to that many decimals.
    """
    if value is None or value == "":
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is None:
        value = value.normalize()
        places = max(0, -value.as_tuple().exponent)
    else:
        # number_format truncates; an official figure is rounded half up (1,5696 → 1,57).
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def input_decimal(value) -> str:
    """A number as it goes back into an input box: decimal comma, no grouping (so it reads back unchanged).
    Text (what the user typed, possibly wrong) is returned as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    value = Decimal(str(value)).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return f"{value:f}".replace(".", ",")


class LocalDecimalField(forms.CharField):
    """A number typed the Vietnamese way ("62,8", "1.234,5"); a clear message otherwise. Returns a Decimal."""

    def __init__(
        self,
        *args,
        min_value: Decimal | int | None = None,
        max_digits: int | None = None,
        decimal_places: int | None = None,
        **kwargs,
    ):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)
        self.min_value = None if min_value is None else Decimal(min_value)
        self.digits = DecimalValidator(max_digits, decimal_places) if max_digits is not None else None
        self.widget.attrs.setdefault("inputmode", "decimal")

    def clean(self, value):
        value = super().clean(value)  # the text, stripped and length-checked
        if value in self.empty_values:
            return None
        number = parse_decimal(value)
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(
                _("Giá trị phải từ %(min)s trở lên.") % {"min": format_decimal(self.min_value)},
                code="min_value",
            )
        if self.digits is not None:
            self.digits(number)
        return number

    def has_changed(self, initial, data):
        try:
            new = None if data in self.empty_values else parse_decimal(data)
        except ValidationError:
            return True
        return new != initial

    def prepare_value(self, value):
        return input_decimal(value) if isinstance(value, Decimal | int) else value
