"""Writes to user accounts."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from plantrack.orgs.models import Agency

from .models import Role, User


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    agency_name: str | None


# One account per role. The department in charge is Sở KH&CN; the reporting agency is Sở Tài chính (it leads
# III.2.c and coordinates III.6.b), a second agency proves isolation.
DEMO_ACCOUNTS = [
    DemoAccount("admin", "Quản trị hệ thống", Role.ADMIN, None),
    DemoAccount("dieuphoi", "Nguyễn Văn Điều (Sở KH&CN)", Role.COORDINATOR, "Sở Khoa học và Công nghệ"),
    DemoAccount("chuyenvien.stc", "Trần Thị Chuyên (Sở Tài chính)", Role.REPORTER, "Sở Tài chính"),
    DemoAccount("lanhdao.stc", "Lê Văn Lãnh (Sở Tài chính)", Role.HEAD, "Sở Tài chính"),
    DemoAccount("chuyenvien.snv", "Phạm Thị Nội (Sở Nội vụ)", Role.REPORTER, "Sở Nội vụ"),
    DemoAccount("lanhdao.snv", "Hoàng Văn Vụ (Sở Nội vụ)", Role.HEAD, "Sở Nội vụ"),
    DemoAccount("xem", "Lãnh đạo UBND tỉnh (xem)", Role.VIEWER, "Ủy ban nhân dân tỉnh Đồng Nai"),
]


@transaction.atomic
def demo_accounts_ensure(*, password: str | None = None) -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that do not exist yet; never touches an existing account's password."""
    password = password or settings.PLANTRACK_DEMO_PASSWORD
    if not password:
        raise ValueError("PLANTRACK_DEMO_PASSWORD is empty: demo accounts are not created in production.")
    result = []
    for spec in DEMO_ACCOUNTS:
        agency = Agency.objects.get(name=spec.agency_name) if spec.agency_name else None
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={"full_name": spec.full_name, "role": spec.role, "agency": agency, "is_demo": True,
                      "is_staff": spec.role == Role.ADMIN, "is_superuser": spec.role == Role.ADMIN},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        result.append((spec, created))
    return result
