"""Commune-level units from the national list: Đồng Nai's 95 in the default, any province by command."""

import datetime
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from plantrack.orgs.admin_units import NATIONAL_LIST_2025, admin_units_import
from plantrack.orgs.models import Agency, AgencyGroup, AgencyKind, GroupMembership
from plantrack.orgs.selectors import group_members_on
from plantrack.orgs.tests.factories import AgencyFactory, AgencyGroupFactory

D = datetime.date
JULY_1 = D(2025, 7, 1)


def _national() -> list[dict]:
    return json.loads(NATIONAL_LIST_2025.read_text(encoding="utf-8"))


def _source_split(code: str) -> Counter:
    """Units per type as the source file gives them for one province, from its own names."""
    province = next(p for p in _national() if p["Code"] == code)
    return Counter(w["FullName"].split()[0].lower() for w in province["Wards"])


def _province(name="Tỉnh Thử", units=("Xã An", "Phường Bình")) -> list[dict]:
    return [
        {
            "Code": "99",
            "FullName": name,
            "Wards": [
                {"Code": f"{i:05d}", "FullName": unit, "ProvinceCode": "99"} for i, unit in enumerate(units)
            ],
        }
    ]


@pytest.fixture
def province(db):
    """A province's People's Committee and the commune group, with nothing else loaded."""
    AgencyGroupFactory(code="ubnd-cap-xa", name="UBND các xã, phường")
    return AgencyFactory(name="Ủy ban nhân dân tỉnh Thử", kind=AgencyKind.PROVINCIAL_COMMITTEE)


# --- the embedded default -----------------------------------------------------------------------------------------


def test_default_has_dong_nai_95_commune_level_units_as_the_source_splits_them(plan_386):
    dong_nai = Agency.objects.get(name="Ủy ban nhân dân tỉnh Đồng Nai")
    communes = Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, parent=dong_nai).valid_on(JULY_1)
    assert communes.count() == 95
    split = Counter(a.name.split()[4] for a in communes)  # "Ủy ban nhân dân xã …", "Ủy ban nhân dân phường …"
    assert split == {"xã": 72, "phường": 23} == _source_split("75")
    assert not communes.filter(valid_from__lt=JULY_1).exists()
    group = AgencyGroup.objects.get(code="ubnd-cap-xa")
    assert len(group_members_on(group=group, day=JULY_1)) == 95
    assert group_members_on(group=group, day=D(2025, 6, 30)) == []
    bien_hoa = Agency.objects.get(name="Ủy ban nhân dân phường Biên Hòa")
    assert bien_hoa.short_name == "UBND phường Biên Hòa"
    assert Agency.objects.search("ubnd phuong bien hoa").get() == bien_hoa


def test_district_group_means_the_95_communes_after_the_district_level_ended(plan_386):
    districts = AgencyGroup.objects.get(code="ubnd-cap-huyen")
    communes = AgencyGroup.objects.get(code="ubnd-cap-xa")
    assert group_members_on(group=districts, day=JULY_1) == group_members_on(group=communes, day=JULY_1)


def test_importing_the_default_again_changes_nothing(plan_386):
    before = (Agency.objects.count(), GroupMembership.objects.count())
    call_command(
        "import_admin_units", "--province", "Đồng Nai", "--group", "ubnd-cap-xa", "--group", "ubnd-cap-huyen"
    )
    assert (Agency.objects.count(), GroupMembership.objects.count()) == before


# --- any province -------------------------------------------------------------------------------------------------


def test_another_province_from_the_national_list_by_command(province, capsys):
    call_command("import_admin_units", "--province", "Cao Bằng", "--parent", province.name)
    expected = _source_split("04")
    communes = Agency.objects.filter(parent=province, kind=AgencyKind.COMMUNE_COMMITTEE)
    assert communes.count() == sum(expected.values())
    assert Counter(a.name.split()[4] for a in communes) == expected  # "Ủy ban nhân dân xã …"
    assert all(a.valid_from == JULY_1 and a.note.startswith("Mã đơn vị hành chính") for a in communes)
    group = AgencyGroup.objects.get(code="ubnd-cap-xa")
    assert len(group_members_on(group=group, day=JULY_1)) == communes.count()
    assert "Tỉnh Cao Bằng" in capsys.readouterr().out
    # The history keeps who was created, as it does for agencies saved one by one.
    assert Agency.history.filter(kind=AgencyKind.COMMUNE_COMMITTEE).count() == communes.count()


def test_province_by_name_with_or_without_its_type_or_by_code(province):
    data = _province()
    for wanted in ("Thử", "tinh thu", "Tỉnh Thử", "99"):
        result = admin_units_import(data=data, province=wanted, parent_name=province.name, dry_run=True)
        assert not result.errors and result.province == "Tỉnh Thử", wanted
    assert not Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).exists()


def test_names_follow_the_unit_type(province):
    data = _province(units=("Xã An", "Phường Bình", "Đặc khu Côn Sơn"))
    result = admin_units_import(data=data, province="Thử", parent_name=province.name)
    assert result.created == 3
    assert set(Agency.objects.filter(parent=province).values_list("name", "short_name")) == {
        ("Ủy ban nhân dân xã An", "UBND xã An"),
        ("Ủy ban nhân dân phường Bình", "UBND phường Bình"),
        ("Ủy ban nhân dân đặc khu Côn Sơn", "UBND đặc khu Côn Sơn"),
    }
    assert result.by_type == {"xã": 1, "phường": 1, "đặc khu": 1}


def test_every_bad_unit_is_reported_and_nothing_is_saved(province):
    data = _province(units=("Xã An", "Thị trấn Cũ", "", "Xã An"))
    result = admin_units_import(data=data, province="Thử", parent_name=province.name)
    assert result.errors == [
        "Đơn vị thứ 2 (mã 00001): “Thị trấn Cũ” không bắt đầu bằng Xã, Phường hoặc Đặc khu.",
        "Đơn vị thứ 3 (mã 00002): thiếu mã hoặc tên đơn vị.",
        "Đơn vị thứ 4 (mã 00003): “Xã An” lặp lại trong tỉnh.",
    ]
    assert not Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).exists()
    assert not GroupMembership.objects.exists()


def test_same_name_in_another_province_is_refused_not_taken_as_already_loaded(province):
    other = AgencyFactory(name="Ủy ban nhân dân tỉnh Khác", kind=AgencyKind.PROVINCIAL_COMMITTEE)
    AgencyFactory(
        name="Ủy ban nhân dân xã An", kind=AgencyKind.COMMUNE_COMMITTEE, parent=other, valid_from=JULY_1
    )
    result = admin_units_import(data=_province(), province="Thử", parent_name=province.name)
    assert result.errors == [
        "Đơn vị thứ 1 (mã 00000): đã có “Ủy ban nhân dân xã An” từ 01/07/2025 thuộc “Ủy ban nhân dân tỉnh Khác”, "
        "không phải “Ủy ban nhân dân tỉnh Thử”."
    ]
    assert not Agency.objects.filter(name="Ủy ban nhân dân phường Bình").exists()


def test_a_unit_loaded_before_keeps_its_row_and_gains_the_missing_memberships(province):
    # As the 5-row sample of earlier versions left it: same name, date and parent, in no group.
    earlier = AgencyFactory(
        name="Ủy ban nhân dân xã An", kind=AgencyKind.COMMUNE_COMMITTEE, parent=province, valid_from=JULY_1
    )
    result = admin_units_import(data=_province(), province="Thử", parent_name=province.name)
    assert (result.created, result.skipped, result.memberships) == (1, 1, 2)
    group = AgencyGroup.objects.get(code="ubnd-cap-xa")
    assert earlier in group_members_on(group=group, day=JULY_1)
    again = admin_units_import(data=_province(), province="Thử", parent_name=province.name)
    assert (again.created, again.skipped, again.memberships) == (0, 2, 0)


def test_missing_province_parent_or_group_is_an_error(province):
    assert (
        admin_units_import(data=_province(), province="Không Có")
        .errors[0]
        .startswith("Không tìm thấy đúng một tỉnh “Không Có”")
    )
    errors = admin_units_import(data=_province(), province="Thử", groups=("nhom-ma",)).errors
    # The default parent is the province's People's Committee: "Ủy ban nhân dân tỉnh Thử" exists, so only the group.
    assert errors == ["Không có nhóm mã “nhom-ma”."]
    errors = admin_units_import(
        data=_province(), province="Thử", parent_name="Ủy ban nhân dân tỉnh Ma"
    ).errors
    assert errors[0].startswith("Không xác định được cơ quan cấp trên “Ủy ban nhân dân tỉnh Ma”")
    assert (
        admin_units_import(data={"Code": "75"}, province="Thử")
        .errors[0]
        .startswith("Tệp không đúng định dạng")
    )
    assert not Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).exists()


def test_command_dry_run_saves_nothing_and_errors_stop_it(province, tmp_path, capsys):
    path = tmp_path / "units.json"
    path.write_text(json.dumps(_province(), ensure_ascii=False), encoding="utf-8")
    call_command("import_admin_units", str(path), "--province", "Thử", "--dry-run")
    assert "2 đơn vị (1 phường, 1 xã). Chưa lưu gì" in capsys.readouterr().out
    assert not Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE).exists()
    with pytest.raises(CommandError, match="nhom-ma"):
        call_command("import_admin_units", str(path), "--province", "Thử", "--group", "nhom-ma")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON"):
        call_command("import_admin_units", str(tmp_path / "bad.json"), "--province", "Thử")


def test_import_runs_a_fixed_number_of_queries_whatever_the_province_size(
    province, django_assert_max_num_queries
):
    # Hồ Chí Minh city is the largest province of the list (168 units); a query per unit would show here. (About a
    # dozen: the look-ups, savepoints, and the bulk inserts' batches.)
    with django_assert_max_num_queries(20):
        result = admin_units_import(data=_national(), province="Hồ Chí Minh", parent_name=province.name)
    assert result.created == 168 and not result.errors
