"""Password rules of our own: the optional composition rule, and no password made of the user's own name.

The composition rule is for deployments whose regulation asks for character classes.

Off by default (PASSWORD_MIN_CHARACTER_CLASSES=0): composition rules make passwords harder to remember without making
them much harder to guess (NIST SP 800-63B §5.1.1.2, OWASP ASVS 2.1.9). QĐ 742/QĐ-BTTTT asks that the software
*allows* setting rules on the number and kinds of characters; this is that setting.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plantrack.core.text import fold


def _classes(password: str) -> int:
    return sum(
        (
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not ch.isalnum() for ch in password),
        )
    )


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 0):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if self.min_classes and _classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_few_character_classes")

    def get_help_text(self):
        if not self.min_classes:
            return ""
        return ngettext(
            "Mật khẩu phải có ít nhất %(n)d trong các loại ký tự: chữ thường, chữ hoa, chữ số, ký tự khác.",
            "Mật khẩu phải có ít nhất %(n)d trong các loại ký tự: chữ thường, chữ hoa, chữ số, ký tự khác.",
            self.min_classes,
        ) % {"n": self.min_classes}


def _squash(text: str) -> str:
    """ "Nguyễn Văn An" -> "nguyenvanan": folded, letters and digits only, so spaces and dots do not hide a name."""
    return "".join(ch for ch in fold(text or "") if ch.isalnum())


class PersonalInformationValidator:
    """Refuse a password that is only white space, or that contains the user's user name or full name (accents,
    case, spaces and punctuation ignored). Django's ``UserAttributeSimilarityValidator`` catches passwords *like*
    the name but not "Nguyễn Văn An" + "2025" nor a name with its spaces removed; names shorter than
    ``min_length`` letters are ignored (they would refuse too many passwords)."""

    def __init__(self, min_length: int = 4):
        self.min_length = min_length

    def validate(self, password, user=None):
        if not password.strip():
            raise ValidationError(_("Mật khẩu không được chỉ gồm khoảng trắng."), code="password_blank")
        if user is None:
            return
        squashed = _squash(password)
        for value in (getattr(user, "username", ""), getattr(user, "full_name", "")):
            name = _squash(value)
            if len(name) >= self.min_length and name in squashed:
                raise ValidationError(
                    _("Mật khẩu không được chứa tên đăng nhập hoặc họ tên của bạn."), code="password_has_name"
                )

    def get_help_text(self):
        return _("Mật khẩu không được chứa tên đăng nhập hoặc họ tên của bạn, không chỉ gồm khoảng trắng.")
