"""Optional password composition rule, for deployments whose regulation asks for character classes.

Off by default (PASSWORD_MIN_CHARACTER_CLASSES=0): composition rules make passwords harder to remember without making
them much harder to guess (NIST SP 800-63B §5.1.1.2, OWASP ASVS 2.1.9). QĐ 742/QĐ-BTTTT asks that the software
*allows* setting rules on the number and kinds of characters; this is that setting.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


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
