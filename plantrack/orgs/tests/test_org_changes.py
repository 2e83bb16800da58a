"""Organisation changes: recording, resolution by date, undo, the 2025 data and the CSV import."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command

from plantrack.accounts.models import Role, User
from plantrack.orgs.agency_csv import agencies_csv_import
from plantrack.orgs.models import Agency, AgencyGroup, GroupMembership, OrgChange, Succession, SuccessionKind
from plantrack.orgs.selectors import agency_lineage, agency_resolve_on, group_members_on
from plantrack.orgs.services import (
    OrgChangeError,
    OrgChangeSpec,
    orgchange_apply,
    orgchange_preview,
    orgchange_undo,
    orgchange_undo_blockers,
)
from plantrack.orgs.tests.factories import AgencyFactory, AgencyGroupFactory, GroupMembershipFactory
from plantrack.plans.responsibility import PlanResponsibility

D = datetime.date


def _named(name: str, day: datetime.date) -> Agency:
    return Agency.objects.filter(name=name).valid_on(day).get()


@pytest.fixture
def admin(db):
    return User.objects.create_user("it", password="x-Strong-Pass-2025", role=Role.ADMIN)


def test_chain_a_to_b_to_c_resolves_by_date(admin):
    a, b, c = AgencyFactory(name="Sở A"), AgencyFactory(name="Sở B"), AgencyFactory(name="Sở C")
    orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO, effective_date=D(2025, 3, 1), predecessors=[a], successors=[b]
        ),
    )
    orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO, effective_date=D(2025, 7, 1), predecessors=[b], successors=[c]
        ),
    )
    assert agency_resolve_on(agency=a, day=D(2025, 2, 28)).names == ["Sở A"]
    assert agency_resolve_on(agency=a, day=D(2025, 3, 1)).names == ["Sở B"]
    assert agency_resolve_on(agency=a, day=D(2025, 7, 1)).names == ["Sở C"]
    a.refresh_from_db()
    assert a.valid_to == D(2025, 2, 28)


def test_merge_new_creates_successor_and_moves_users_and_memberships(admin):
    group = AgencyGroupFactory()
    a, b = GroupMembershipFactory(group=group).agency, GroupMembershipFactory(group=group).agency
    clerk = User.objects.create_user("clerk", password="x-Strong-Pass-2025", role=Role.REPORTER, agency=a)
    change = orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_NEW,
            effective_date=D(2025, 3, 1),
            predecessors=[a, b],
            new_successor_name="Sở Mới",
            legal_basis="Quyết định số 1/QĐ-UBND",
            legal_basis_date=D(2025, 2, 20),
        ),
    )
    new = Agency.objects.get(name="Sở Mới")
    assert new.valid_from == D(2025, 3, 1)
    clerk.refresh_from_db()
    assert clerk.agency == new
    assert group_members_on(group=group, day=D(2025, 2, 28)) == sorted([a, b], key=lambda x: x.name)
    assert group_members_on(group=group, day=D(2025, 3, 1)) == [new]
    assert change.successions.count() == 2
    assert change.recorded_by == admin


def test_undo_restores_everything(admin):
    group = AgencyGroupFactory()
    a = GroupMembershipFactory(group=group).agency
    clerk = User.objects.create_user("clerk", password="x-Strong-Pass-2025", role=Role.REPORTER, agency=a)
    change = orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.RENAME,
            effective_date=D(2025, 3, 1),
            predecessors=[a],
            new_successor_name="Sở Đổi Tên",
        ),
    )
    orgchange_undo(actor=admin, change=change)
    a.refresh_from_db()
    clerk.refresh_from_db()
    assert a.valid_to is None
    assert clerk.agency == a
    assert not Agency.objects.filter(name="Sở Đổi Tên").exists()
    assert not Succession.objects.filter(change=change).exists()
    assert group_members_on(group=group, day=D(2026, 1, 1)) == [a]
    change.refresh_from_db()
    assert change.undone_by == admin
    assert agency_resolve_on(agency=a, day=D(2026, 1, 1)).names == [a.name]


def test_undo_refused_when_a_later_change_builds_on_it(admin):
    a, b, c = AgencyFactory(), AgencyFactory(), AgencyFactory()
    first = orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO, effective_date=D(2025, 3, 1), predecessors=[a], successors=[b]
        ),
    )
    orgchange_apply(
        actor=admin,
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO, effective_date=D(2025, 7, 1), predecessors=[b], successors=[c]
        ),
    )
    assert orgchange_undo_blockers(change=first)
    with pytest.raises(OrgChangeError, match="Không thể hoàn tác"):
        orgchange_undo(actor=admin, change=first)


@pytest.mark.parametrize(
    ("kind", "preds", "succs", "message"),
    [
        (SuccessionKind.MERGE_NEW, 1, 0, "Hợp nhất cần ít nhất hai"),
        (SuccessionKind.RENAME, 1, 2, "Đổi tên cần đúng một"),
        (SuccessionKind.DISSOLVE, 1, 1, "Giải thể không có cơ quan kế thừa"),
        (SuccessionKind.SPLIT, 1, 1, "Chia tách cần"),
    ],
)
def test_illegal_shapes_are_refused_and_save_nothing(admin, kind, preds, succs, message):
    predecessors = [AgencyFactory() for _ in range(preds)]
    successors = [AgencyFactory() for _ in range(succs)]
    with pytest.raises(OrgChangeError, match=message):
        orgchange_apply(
            actor=admin,
            spec=OrgChangeSpec(
                kind=kind, effective_date=D(2025, 3, 1), predecessors=predecessors, successors=successors
            ),
        )
    assert not OrgChange.objects.exists()
    assert all(Agency.objects.get(pk=a.pk).valid_to is None for a in predecessors)


def test_agency_already_ended_cannot_be_merged_again(admin):
    a, b = AgencyFactory(valid_to=D(2024, 12, 31)), AgencyFactory()
    with pytest.raises(OrgChangeError, match="không còn hoạt động"):
        orgchange_apply(
            actor=admin,
            spec=OrgChangeSpec(
                kind=SuccessionKind.MERGE_INTO, effective_date=D(2025, 3, 1), predecessors=[a], successors=[b]
            ),
        )


def test_preview_lists_assignments_memberships_and_users(plan_386):
    tttt = _named("Sở Thông tin và Truyền thông", D(2024, 11, 16))
    preview = orgchange_preview(
        spec=OrgChangeSpec(
            kind=SuccessionKind.MERGE_INTO,
            effective_date=D(2027, 1, 1),
            predecessors=[_named("Sở Tài chính", D(2027, 1, 1))],
            successors=[_named("Sở Nội vụ", D(2027, 1, 1))],
        )
    )
    assert {a.task.code for a in preview.assignments} == {"III.2.c", "III.6.b"}
    assert [m.group.name for m in preview.memberships] == ["Các sở, ban, ngành"]
    assert not preview.errors
    # Sở TT&TT already ended in 2025: a change dated after that is refused in the preview.
    late = orgchange_preview(
        spec=OrgChangeSpec(kind=SuccessionKind.DISSOLVE, effective_date=D(2027, 1, 1), predecessors=[tttt])
    )
    assert late.errors


# --- the 2025 data of Đồng Nai ------------------------------------------------------------------------------------


def test_2025_reform_resolves_the_agencies_of_plan_386(plan_386):
    def now(name, day):
        return agency_resolve_on(agency=_named(name, D(2024, 11, 16)), day=day).names

    assert now("Sở Thông tin và Truyền thông", D(2025, 2, 28)) == ["Sở Thông tin và Truyền thông"]
    assert now("Sở Thông tin và Truyền thông", D(2025, 3, 1)) == ["Sở Khoa học và Công nghệ"]
    assert now("Sở Kế hoạch và Đầu tư", D(2026, 11, 26)) == ["Sở Tài chính"]
    assert now("Sở Nông nghiệp và Phát triển nông thôn", D(2026, 11, 26)) == ["Sở Nông nghiệp và Môi trường"]
    assert now("Sở Tài nguyên và Môi trường", D(2026, 11, 26)) == ["Sở Nông nghiệp và Môi trường"]
    assert now("Ban Tuyên giáo Tỉnh ủy", D(2026, 11, 26)) == ["Ban Tuyên giáo và Dân vận Tỉnh ủy"]
    assert now("Báo Đồng Nai", D(2025, 7, 1)) == ["Báo và Phát thanh, Truyền hình Đồng Nai"]
    assert now("Ủy ban nhân dân thành phố Biên Hòa", D(2025, 6, 30)) == ["Ủy ban nhân dân thành phố Biên Hòa"]
    assert now("Ủy ban nhân dân thành phố Biên Hòa", D(2025, 7, 1)) == ["UBND các xã, phường"]
    # Sở Ngoại vụ: merged into the Office at the end of 02/2025, re-established after the provincial merger.
    assert now("Sở Ngoại vụ", D(2025, 5, 1)) == ["Văn phòng Ủy ban nhân dân tỉnh"]
    reestablished = agency_resolve_on(agency=_named("Sở Ngoại vụ", D(2024, 11, 16)), day=D(2026, 11, 26))
    assert [(a.name, a.valid_from) for a in reestablished.agencies] == [("Sở Ngoại vụ", D(2025, 7, 1))]
    # Transport goes to Sở Xây dựng; ethnic affairs to the new Sở Dân tộc và Tôn giáo (both 01/03/2025).
    assert now("Sở Giao thông vận tải", D(2025, 2, 28)) == ["Sở Giao thông vận tải"]
    assert now("Sở Giao thông vận tải", D(2025, 3, 1)) == ["Sở Xây dựng"]
    assert now("Ban Dân tộc tỉnh", D(2025, 2, 28)) == ["Ban Dân tộc tỉnh"]
    assert now("Ban Dân tộc tỉnh", D(2026, 11, 26)) == ["Sở Dân tộc và Tôn giáo"]


def test_departments_group_follows_the_march_2025_mergers(plan_386):
    group = AgencyGroup.objects.get(code="so-ban-nganh")
    before = {a.name for a in group_members_on(group=group, day=D(2025, 2, 28))}
    after = {a.name for a in group_members_on(group=group, day=D(2025, 3, 1))}
    assert {"Sở Giao thông vận tải", "Ban Dân tộc tỉnh", "Sở Xây dựng"} <= before
    assert "Sở Dân tộc và Tôn giáo" not in before
    assert {"Sở Xây dựng", "Sở Dân tộc và Tôn giáo"} <= after
    assert not after & {"Sở Giao thông vận tải", "Ban Dân tộc tỉnh"}


def test_uncertain_facts_are_marked_not_invented(plan_386):
    ldtbxh = OrgChange.objects.get(successions__predecessor__name="Sở Lao động - Thương binh và Xã hội")
    assert ldtbxh.date_is_uncertain
    assert "Chưa xác nhận cho tỉnh Đồng Nai" in ldtbxh.note
    propaganda = OrgChange.objects.get(kind=SuccessionKind.MERGE_NEW, effective_date=D(2025, 3, 19))
    assert propaganda.date_is_uncertain and "19/03/2025" in propaganda.note
    # Checked against public sources in 2026: what was found is cited, what was not is said, and the date is marked.
    for predecessor, found in (
        ("Sở Giao thông vận tải", "thành lập 6 sở mới"),
        ("Ban Dân tộc tỉnh", "Quyết định số 17/2025/QĐ-UBND ngày 27/02/2025"),
    ):
        change = OrgChange.objects.get(successions__predecessor__name=predecessor)
        assert change.effective_date == D(2025, 3, 1) and change.date_is_uncertain
        assert "Đã xác minh" in change.note and found in change.note and "Chưa xác minh" in change.note


def test_district_group_means_districts_then_communes(plan_386):
    group = AgencyGroup.objects.get(name="UBND các huyện, thành phố")
    before = group_members_on(group=group, day=D(2025, 6, 30))
    after = group_members_on(group=group, day=D(2025, 7, 1))
    assert len(before) == 11 and all(a.kind == "district_committee" for a in before)
    assert len(after) == 95 and all(a.kind == "commune_committee" for a in after)


def test_reports_after_the_change_are_owed_by_the_successor_with_origin(plan_386):
    skhcn = _named("Sở Khoa học và Công nghệ", D(2026, 1, 1))
    tttt = _named("Sở Thông tin và Truyền thông", D(2024, 11, 16))
    before = PlanResponsibility(plan=plan_386, day=D(2024, 12, 5)).owed()
    after = PlanResponsibility(plan=plan_386, day=D(2025, 12, 5)).owed()
    task = plan_386.tasks.get(code="III.1.b")
    assert before[tttt.pk][task.pk].roles == {"lead"}
    assert tttt.pk not in after
    assert after[skhcn.pk][task.pk].roles == {"lead"}
    assert after[skhcn.pk][task.pk].origins == {"Sở Thông tin và Truyền thông"}
    # A task the plan gives Sở KH&CN by name has no origin.
    assert after[skhcn.pk][plan_386.tasks.get(code="III.2.b.1").pk].origins == set()


def test_as_of_export_resolves_every_named_agency_with_no_gaps(plan_386, capsys):
    call_command("export_plan", "386/KH-UBND", "--as-of", "2026-11-26")
    data = json.loads(capsys.readouterr().out)
    day = D(2026, 11, 26)
    valid_now = set(Agency.objects.valid_on(day).values_list("name", flat=True))
    groups = set(AgencyGroup.objects.values_list("name", flat=True))
    for task in data["tasks"]:
        for written, now_key in (("lead", "lead_now"), ("coordinate", "coordinate_now")):
            assert (task[written] == []) == (task[now_key] == []), task["code"]
            for assignment in task["assignments"]:
                if assignment["agency"] and assignment["role"] == written:
                    resolved = [n for n in task[now_key] if n in valid_now or n in groups]
                    assert resolved, (task["code"], assignment["agency"])
            for name in task[now_key]:
                assert name in valid_now or name in groups or "liên quan" in name, (task["code"], name)
    by_code = {t["code"]: t for t in data["tasks"]}
    assert by_code["III.1.b"]["lead_now"] == ["Sở Khoa học và Công nghệ"]
    assert by_code["III.1.b"]["lead"] == ["Sở Thông tin và Truyền thông"]
    assert by_code["III.5.c"]["lead_now"] == ["Sở Nông nghiệp và Môi trường"]
    assert by_code["III.1.c"]["lead_now"] == ["Báo và Phát thanh, Truyền hình Đồng Nai"]
    assert "as_of" in data


def test_lineage_lists_predecessors_and_successors(plan_386):
    skhcn = _named("Sở Khoa học và Công nghệ", D(2026, 1, 1))
    lineage = agency_lineage(agency=skhcn)
    assert [e.predecessor.name for e in lineage["predecessors"]] == ["Sở Thông tin và Truyền thông"]
    tttt = _named("Sở Thông tin và Truyền thông", D(2024, 11, 16))
    assert [(e.successor.name, e.effective_date) for e in agency_lineage(agency=tttt)["successors"]] == [
        ("Sở Khoa học và Công nghệ", D(2025, 3, 1))
    ]


def test_loading_the_reform_twice_records_nothing_new(plan_386):
    counts = (
        OrgChange.objects.count(),
        Succession.objects.count(),
        Agency.objects.count(),
        GroupMembership.objects.count(),
    )
    call_command("load_default", "--no-demo", verbosity=0)
    assert counts == (
        OrgChange.objects.count(),
        Succession.objects.count(),
        Agency.objects.count(),
        GroupMembership.objects.count(),
    )


# --- CSV import ---------------------------------------------------------------------------------------------------

CSV_HEADER = "name,short_name,kind,parent,valid_from,valid_to,aliases,groups,note\n"


def test_csv_import_validates_every_row_and_saves_nothing_on_error(plan_386):
    text = CSV_HEADER + (
        "UBND xã Thử,UBND xã Thử,commune_committee,Ủy ban nhân dân tỉnh Đồng Nai,01/07/2025,,,ubnd-cap-xa,\n"
        ",,commune_committee,,,,,,\n"
        "UBND xã Sai,,village,Cơ quan Ma,2025-13-01,,,nhom-ma,\n"
    )
    result = agencies_csv_import(actor=None, text=text)
    assert "Dòng 3, cột name: thiếu tên cơ quan." in result.errors
    assert any(e.startswith("Dòng 4, cột kind") for e in result.errors)
    assert any(e.startswith("Dòng 4, cột parent") for e in result.errors)
    assert any(e.startswith("Dòng 4, cột valid_from") for e in result.errors)
    assert any(e.startswith("Dòng 4, cột groups") for e in result.errors)
    assert not Agency.objects.filter(name="UBND xã Thử").exists()


def test_csv_import_dry_run_then_real(plan_386, tmp_path, capsys):
    path = tmp_path / "communes.csv"
    path.write_text(
        "# partial\n"
        + CSV_HEADER
        + "UBND xã Thử Nghiệm,,commune_committee,,2025-07-01,,Xa TN,ubnd-cap-xa;ubnd-cap-huyen,\n",
        encoding="utf-8",
    )
    call_command("import_agencies", str(path), "--dry-run")
    assert "Chưa lưu gì" in capsys.readouterr().out
    assert not Agency.objects.filter(name="UBND xã Thử Nghiệm").exists()
    call_command("import_agencies", str(path))
    agency = Agency.objects.get(name="UBND xã Thử Nghiệm")
    assert agency in group_members_on(group=AgencyGroup.objects.get(code="ubnd-cap-huyen"), day=D(2025, 7, 1))
    # A name no real commune contains ("xa thu" alone also matches the real xã Thuận Lợi).
    assert Agency.objects.search("xa thu nghiem").get() == agency
    assert Agency.objects.search("xa tn").get() == agency


def test_csv_import_command_reports_errors(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ten,loai\nA,B\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Thiếu cột bắt buộc"):
        call_command("import_agencies", str(path))


def test_csv_import_names_its_actor_in_history_and_the_security_log(plan_386):
    from plantrack.accounts.models import Role
    from plantrack.accounts.tests.factories import UserFactory
    from plantrack.security.models import SecurityEvent

    admin = UserFactory(username="quantri.csv", role=Role.ADMIN)
    text = CSV_HEADER + "UBND xã Người Nhập,,commune_committee,,01/07/2025,,,,\n"
    result = agencies_csv_import(actor=admin, text=text)
    assert (result.errors, result.created) == ([], 1)
    agency = Agency.objects.get(name="UBND xã Người Nhập")
    assert agency.history.get().history_user == admin
    event = SecurityEvent.objects.get(action="agencies_imported")
    assert (event.actor, event.detail) == (admin, {"created": 1, "skipped": 0})
