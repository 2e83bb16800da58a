import datetime

import pytest
from django.db import IntegrityError

from plantrack.core.text import fold
from plantrack.orgs.models import Agency, AgencyAlias, AgencyGroup, Succession, SuccessionKind
from plantrack.orgs.selectors import agency_find_by_name, group_members_on
from plantrack.orgs.tests.factories import AgencyFactory, GroupMembershipFactory
from plantrack.plans.selectors import assignments_expanded

DAY = datetime.date(2024, 11, 16)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sở Khoa học và Công nghệ", "so khoa hoc va cong nghe"),
        ("ĐỒNG NAI", "dong nai"),
        ("Đài  Phát thanh\tvà Truyền hình", "dai phat thanh va truyen hinh"),
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("", ""),
    ],
)
def test_fold_strips_vietnamese_diacritics(text, folded):
    assert fold(text) == folded


def test_search_ignores_diacritics_case_and_finds_abbreviations(plan_386):
    assert Agency.objects.search("so khoa hoc").filter(name="Sở Khoa học và Công nghệ").exists()
    assert Agency.objects.search("SKHCN").get().name == "Sở Khoa học và Công nghệ"
    assert Agency.objects.search("Sở KH&CN").get().name == "Sở Khoa học và Công nghệ"
    assert set(Agency.objects.search("dong nai").values_list("name", flat=True)) >= {
        "Báo Đồng Nai",
        "Đài Phát thanh và Truyền hình Đồng Nai",
    }
    assert not Agency.objects.search("   ").exists()


def test_alias_resolution(plan_386):
    assert agency_find_by_name(name="Sở Khoa học và công nghệ").name == "Sở Khoa học và Công nghệ"
    assert agency_find_by_name(name="Ủy ban Mặt trận Tổ Việt Nam tỉnh").name == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai"
    )
    assert agency_find_by_name(name="Sở Không Có") is None


def test_alias_added_later_is_searchable(db):
    agency = AgencyFactory(name="Sở Khoa học và Công nghệ")
    AgencyAlias.objects.create(agency=agency, name="DOST Đồng Nai")
    assert Agency.objects.search("dost dong nai").get() == agency


def test_groups_hold_real_members(plan_386):
    districts = group_members_on(group=AgencyGroup.objects.get(name="UBND các huyện, thành phố"), day=DAY)
    assert len(districts) == 11
    assert {"Ủy ban nhân dân thành phố Biên Hòa", "Ủy ban nhân dân thành phố Long Khánh"} <= {
        a.name for a in districts
    }
    departments = group_members_on(group=AgencyGroup.objects.get(name="Các sở, ban, ngành"), day=DAY)
    assert {"Sở Khoa học và Công nghệ", "Sở Tài chính", "Sở Nội vụ", "Sở Ngoại vụ"} <= {
        a.name for a in departments
    }


def test_membership_and_agency_validity_are_dated(db):
    membership = GroupMembershipFactory(valid_to=datetime.date(2025, 6, 30))
    assert group_members_on(group=membership.group, day=datetime.date(2025, 6, 30)) == [membership.agency]
    assert group_members_on(group=membership.group, day=datetime.date(2025, 7, 1)) == []
    membership.agency.valid_to = datetime.date(2025, 2, 28)
    membership.agency.save()
    assert group_members_on(group=membership.group, day=datetime.date(2025, 3, 1)) == []


def test_every_agency_named_in_plan_386_exists(plan_386):
    names = [
        "Ủy ban nhân dân tỉnh Đồng Nai",
        "Sở Khoa học và Công nghệ",
        "Sở Thông tin và Truyền thông",
        "Ban Tuyên giáo Tỉnh ủy",
        "Báo Đồng Nai",
        "Đài Phát thanh và Truyền hình Đồng Nai",
        "Sở Tài chính",
        "Sở Nội vụ",
        "Sở Giáo dục và Đào tạo",
        "Sở Công Thương",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Ngoại vụ",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai",
        "Bộ Khoa học và Công nghệ",
        "Tỉnh ủy Đồng Nai",
        "Hội đồng nhân dân tỉnh Đồng Nai",
        "Ủy ban nhân dân thành phố Biên Hòa",
        "Ủy ban nhân dân thành phố Long Khánh",
    ]
    assert set(Agency.objects.filter(name__in=names).values_list("name", flat=True)) == set(names)


def test_group_assignments_expand_to_every_member(plan_386):
    owed = assignments_expanded(plan=plan_386, day=DAY)
    names = dict(Agency.objects.filter(pk__in=owed).values_list("pk", "name"))
    by_name = {names[pk]: tasks for pk, tasks in owed.items()}
    # A district owes the four group tasks of III.1.a and III.2.a plus III.4.a and coordinates III.5.b.
    bien_hoa = by_name["Ủy ban nhân dân thành phố Biên Hòa"]
    assert sum("lead" in roles for roles in bien_hoa.values()) == 6
    assert sum(roles == {"coordinate"} for roles in bien_hoa.values()) == 1
    # Sở KH&CN leads 15 tasks by name, 6 more through "Các sở, ban, ngành", and coordinates III.2.c, III.2.d, III.5.b.
    skhcn = by_name["Sở Khoa học và Công nghệ"]
    assert sum("lead" in roles for roles in skhcn.values()) == 21
    # "… liên quan" is not expanded: Sở Y tế owes only the group tasks, not III.3.a.
    assert len(by_name["Sở Y tế"]) == 7
    assert "Trường Đại học Đồng Nai" in by_name
    assert len(owed) == 52


def test_succession_rules_are_enforced_by_the_database(db):
    old, new = AgencyFactory(), AgencyFactory()
    Succession.objects.create(
        predecessor=old,
        successor=new,
        kind=SuccessionKind.MERGE_INTO,
        effective_date=datetime.date(2025, 3, 1),
    )
    with pytest.raises(IntegrityError):
        Succession.objects.create(
            predecessor=old,
            successor=None,
            kind=SuccessionKind.MERGE_INTO,
            effective_date=datetime.date(2025, 3, 2),
        )


def test_agency_validity_range_is_checked(db):
    with pytest.raises(IntegrityError):
        AgencyFactory(valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2024, 1, 1))
