from django.db import models

from plantrack.core.text import fold


class PlanQuerySet(models.QuerySet):
    def by_code(self, code: str) -> "PlanQuerySet":
        """Plans whose "number/symbol" is ``code`` ("386/KH-UBND")."""
        number, _, symbol = code.strip().partition("/")
        return self.filter(number=number.strip(), symbol__iexact=symbol.strip())

    def for_user(self, user) -> "PlanQuerySet":
        # Published plans are public within the office: every signed-in role may read them.
        if not user.is_authenticated:
            return self.none()
        if user.is_staff or getattr(user, "is_administrator", False):
            return self
        return self.filter(is_published=True)


class TaskQuerySet(models.QuerySet):
    def search(self, query: str) -> "TaskQuerySet":
        needle = fold(query)
        if not needle:
            return self.none()
        return self.filter(search_text__contains=needle)
