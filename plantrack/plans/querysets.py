from django.db import models

from plantrack.core.text import fold


class PlanQuerySet(models.QuerySet):
    def by_code(self, code: str) -> "PlanQuerySet":
        """Plans whose "number/symbol" is ``code`` ("386/KH-UBND")."""
        number, _, symbol = code.strip().partition("/")
        return self.filter(number=number.strip(), symbol__iexact=symbol.strip())

    def for_user(self, user) -> "PlanQuerySet":
        # Published plans are public within the office: every signed-in role may read them.
        visibility = self.visibility(user)
        if visibility == "none":
            return self.none()
        if visibility == "all":
            return self
        return self.filter(is_published=True)

    @staticmethod
    def visibility(user) -> str:
        """Which plans ``for_user`` gives: "all", "published" or "none" — the same for users with the same answer,
        so a page showing every plan the user may read can be cached per answer and per ``plan_key(ALL)``."""
        if not user.is_authenticated:
            return "none"
        if user.is_staff or getattr(user, "is_administrator", False):
            return "all"
        return "published"


class TaskQuerySet(models.QuerySet):
    def search(self, query: str) -> "TaskQuerySet":
        needle = fold(query)
        if not needle:
            return self.none()
        return self.filter(search_text__contains=needle)
