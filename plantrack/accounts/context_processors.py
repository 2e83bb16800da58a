"""What templates may ask about the signed-in user, from the same predicates the views use.

Templates never compare ``user.role``: a menu or a heading that depends on who the user is reads ``user_can``.
Rules about one object (may edit this report, may monitor this cycle) come from the view, as booleans.
"""

from functools import cached_property

from .permissions import follows_plans, is_administrator, is_agency_member, may_import_plans


class UserCan:
    """Lazily computed answers, so pages that do not ask cost nothing."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def follow_plans(self) -> bool:
        """Coordinators and viewers: the "Theo dõi, đôn đốc" and "Báo cáo tổng hợp" menus."""
        return follows_plans(self._user)

    @cached_property
    def write_agency_reports(self) -> bool:
        """Reporters and heads: the reports listed are their agency's own."""
        return is_agency_member(self._user)

    @cached_property
    def import_plans(self) -> bool:
        """Administrators and coordinators: the "Nhập kế hoạch" menu."""
        return may_import_plans(self._user)

    @cached_property
    def administer(self) -> bool:
        """Administrators: accounts, agencies and the security log."""
        return is_administrator(self._user)


def user_can(request) -> dict:
    return {"user_can": UserCan(getattr(request, "user", None))}
