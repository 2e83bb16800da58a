"""Structured facts of an entry (documents issued, events held, funding): rules, the save service, the snapshot,
the totals per task group and plan."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plantrack.plans.tests.factories import TaskFactory, TaskGroupFactory
from plantrack.reporting import services
from plantrack.reporting.facts import (
    DocumentIn,
    EntryFacts,
    EventIn,
    FundingIn,
    cycle_facts_totals,
    money_text,
    totals_sentence,
)
from plantrack.reporting.models import EntryDocument, EntryFunding, EventKind
from plantrack.reporting.services import ReportingError, WorkflowNotAllowed

from .conftest import fill

pytestmark = pytest.mark.django_db

DOC = DocumentIn("206/STC-KHTC", datetime.date(2025, 7, 12), "triển khai Kế hoạch 99/KH-UBND")
TRAINING = EventIn(EventKind.TRAINING, 3, 450, "tập huấn chuyển đổi số")
FUND = FundingIn(
    2025, provincial=Decimal("800"), central=Decimal("300"), other=Decimal("150"), spent=Decimal("900")
)


def save(world, report, facts, actor=None):
    report.refresh_from_db()
    return services.report_save_draft(
        actor=actor or world.reporter_a, report=report, version=report.version, facts=facts
    )


def test_facts_are_saved_and_replaced_through_the_save_service(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    save(world, report, {entry.pk: EntryFacts(documents=(DOC,), events=(TRAINING,), funding=(FUND,))})
    assert list(entry.documents.values_list("number_symbol", flat=True)) == ["206/STC-KHTC"]
    assert entry.funding.get().allocated == Decimal("1250")
    second = DocumentIn("15/KH-STC", datetime.date(2025, 3, 1), "kế hoạch năm")
    save(world, report, {entry.pk: EntryFacts(documents=(second,))})
    assert list(entry.documents.values_list("number_symbol", flat=True)) == ["15/KH-STC"]
    assert not entry.events.exists() and not entry.funding.exists()


def test_saving_without_facts_leaves_them_alone(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    save(world, report, {entry.pk: EntryFacts(documents=(DOC,))})
    fill(report, world.reporter_a)  # sections and entries only
    assert entry.documents.count() == 1


@pytest.mark.parametrize(
    "facts, message",
    [
        (EntryFacts(funding=(FundingIn(2025, provincial=Decimal("-1")),)), "không được âm"),
        (EntryFacts(funding=(FundingIn(2026, provincial=Decimal("10")),)), "năm kinh phí 2026"),
        (EntryFacts(funding=(FundingIn(2025), FundingIn(2025))), "mỗi năm"),
        # "today" is 20/11/2025 in these tests: a document dated later does not exist yet
        (
            EntryFacts(documents=(DocumentIn("1/X", datetime.date(2025, 11, 25), "a"),)),
            "phải trước hoặc bằng",
        ),
        (EntryFacts(documents=(DocumentIn("", datetime.date(2025, 1, 5), "a"),)), "số, ký hiệu"),
        (EntryFacts(events=(EventIn(EventKind.CONFERENCE, 0),)), "từ 1 trở lên"),
        (EntryFacts(events=(EventIn("party", 1),)), "không hợp lệ"),
        (EntryFacts(events=(EventIn(EventKind.CONFERENCE, 1, -5),)), "không được âm"),
    ],
)
def test_rules_refuse_and_write_nothing(world, cycle, facts, message):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    version = report.version
    with pytest.raises(ReportingError, match=message):
        save(world, report, {entry.pk: facts})
    report.refresh_from_db()
    assert report.version == version
    assert not EntryDocument.objects.exists() and not EntryFunding.objects.exists()


def test_facts_of_another_agencys_entry_are_refused(world, cycle):
    report = world.report(cycle, world.a)
    foreign = world.report(cycle, world.b).entries.first()
    with pytest.raises(ReportingError):
        save(world, report, {foreign.pk: EntryFacts(documents=(DOC,))})
    with pytest.raises(WorkflowNotAllowed):
        save(world, world.report(cycle, world.b), {foreign.pk: EntryFacts(documents=(DOC,))})


def test_the_submission_freezes_the_facts(world, cycle):
    report = world.report(cycle, world.a)
    entry = report.entries.get(task=world.t1)
    fill(report, world.reporter_a)
    save(world, report, {entry.pk: EntryFacts(documents=(DOC,), events=(TRAINING,), funding=(FUND,))})
    services.report_submit(actor=world.head_a, report=report)
    snap = report.submissions.get().snapshot
    facts = next(e for e in snap["entries"] if e["entry_id"] == entry.pk)["facts"]
    assert facts["documents"] == [
        {
            "number_symbol": "206/STC-KHTC",
            "issued_on": "2025-07-12",
            "subject": "triển khai Kế hoạch 99/KH-UBND",
        }
    ]
    assert facts["events"][0] == {
        "kind": "training",
        "count": 3,
        "participants": 450,
        "note": "tập huấn chuyển đổi số",
    }
    assert facts["funding"][0]["provincial"] == "800" and facts["funding"][0]["spent"] == "900"


def _accept(world, cycle, agency, head, facts_for):
    report = world.report(cycle, agency)
    fill(report, head)
    report.refresh_from_db()
    save(world, report, facts_for(report), actor=head)
    services.report_submit(actor=head, report=report)
    services.report_accept(actor=world.coordinator, report=world.report(cycle, agency))


def test_totals_per_group_and_plan_come_from_accepted_reports_only(world, cycle):
    other_group = TaskGroupFactory(plan=world.plan, code="III.2")
    t4 = TaskFactory(group=other_group, plan=world.plan, code="III.2.a", order=4)
    # t4 is not owed by anyone in this cycle; its facts cannot exist, so group III.2 totals stay empty
    _accept(
        world,
        cycle,
        world.a,
        world.head_a,
        lambda r: {
            r.entries.get(task=world.t1).pk: EntryFacts(documents=(DOC,), events=(TRAINING,), funding=(FUND,))
        },
    )
    _accept(
        world,
        cycle,
        world.b,
        world.head_b,
        lambda r: {
            r.entries.get(task=world.t2).pk: EntryFacts(
                documents=(DOC, DOC),
                events=(EventIn(EventKind.CONFERENCE, 2, 300),),
                funding=(
                    FundingIn(2025, provincial=Decimal("11150")),
                    FundingIn(2024, provincial=Decimal("999")),
                ),
            )
        },
    )
    # C's report is only submitted: its facts do not count
    c_report = world.report(cycle, world.c)
    fill(c_report, world.head_c)
    save(world, c_report, {c_report.entries.first().pk: EntryFacts(documents=(DOC,) * 5)}, actor=world.head_c)
    services.report_submit(actor=world.head_c, report=c_report)

    with CaptureQueriesContext(connection) as queries:
        totals = cycle_facts_totals(cycle=cycle)
    assert len(queries) == 2
    plan = totals.plan
    assert (plan.documents, plan.events, plan.participants) == (3, 5, 750)
    assert plan.allocated == Decimal("12400")  # the 2024 line belongs to the 2024 report
    assert totals.for_group(world.t1.group_id).documents == 3
    assert totals.for_group(t4.group_id).is_empty
    assert totals_sentence(plan) == (
        "ban hành 3 văn bản; tổ chức 5 hội nghị, hội thảo, lớp tập huấn với 750 lượt người tham dự; "
        "kinh phí 12,4 tỷ đồng (đã giải ngân 900 triệu đồng)"
    )


def test_totals_query_count_does_not_grow_with_reports(world, cycle):
    for agency, head in ((world.a, world.head_a), (world.b, world.head_b), (world.c, world.head_c)):
        _accept(world, cycle, agency, head, lambda r: {r.entries.first().pk: EntryFacts(documents=(DOC,))})
    with CaptureQueriesContext(connection) as queries:
        assert cycle_facts_totals(cycle=cycle).plan.documents == 3
    assert len(queries) == 2


@pytest.mark.parametrize(
    "millions, text",
    [(Decimal("12400"), "12,4 tỷ đồng"), (Decimal("850"), "850 triệu đồng"), (Decimal("1000"), "1 tỷ đồng")],
)
def test_money_in_words(millions, text):
    assert money_text(millions) == text


def test_an_untouched_edit_form_adds_no_facts_and_no_proposals(world, cycle):
    """The edit page's extra rows post their selects' first choice; posted as rendered, they stay empty (no phantom
    event, no "required" error on an empty proposal)."""
    from django import forms

    from plantrack.reporting.forms import ReportFactsForms

    report = world.report(cycle, world.a)
    entries = list(report.entries.all())
    unbound = ReportFactsForms(report=report, entries=entries)
    data = {}
    for formset in unbound.formsets():
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if value is None and isinstance(field, forms.ChoiceField) and field.choices:
                    value = list(field.choices)[0][0]  # a browser posts a select's first option
                if value is not None:
                    data[form.add_prefix(name)] = str(value)
    bound = ReportFactsForms(data, report=report, entries=entries)
    assert bound.is_valid(), [f.errors for fs in bound.formsets() for f in fs.forms if f.errors]
    assert bound.proposals() == []
    assert all(not (f.documents or f.events or f.funding) for f in bound.facts().values())


@pytest.mark.parametrize(
    "typed, expected",
    [("1.234,5", Decimal("1234.5")), ("1234,5", Decimal("1234.5")), ("850", Decimal(850)), ("", None)],
)
def test_money_is_typed_the_vietnamese_way(typed, expected):
    from plantrack.reporting.forms import FundingForm

    form = FundingForm({"year": "2025", "provincial": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["provincial"] == expected


@pytest.mark.parametrize(
    "typed, message", [("-5", "từ 0 trở lên"), ("1.234", "không rõ"), ("12345678901234567", "quá lớn")]
)
def test_money_typed_wrong_says_why(typed, message):
    from plantrack.reporting.forms import FundingForm

    form = FundingForm({"year": "2025", "provincial": typed})
    assert not form.is_valid()
    assert message in " ".join(form.errors["provincial"])


def test_the_edit_page_shows_saved_facts_and_typed_text_escaped(client, world, cycle):
    """The report form's widgets and facts tables go through the Jinja2 form renderer (core.form_renderer): saved
    facts, a proposal and typed text with markup in it come back in their inputs, escaped."""
    from django.urls import reverse

    from plantrack.reporting.facts import ProposalIn

    report = world.report(cycle, world.a)
    entry = report.entries.first()
    save(
        world,
        report,
        {
            entry.pk: EntryFacts(
                documents=(DocumentIn("12/QĐ-STC", datetime.date(2025, 3, 4), 'Về <việc> & "thử"'),),
                events=(EventIn(EventKind.choices[1][0], 2, 40, "Hội nghị"),),
                funding=(
                    FundingIn(
                        year=2025,
                        provincial=Decimal("1234.5"),
                        central=Decimal(0),
                        other=Decimal(0),
                        spent=Decimal(3),
                        note="",
                    ),
                ),
            )
        },
    )
    report.refresh_from_db()
    services.report_save_draft(
        actor=world.reporter_a,
        report=report,
        version=report.version,
        sections={"main_results": "Kết quả <b>đậm</b> & 'nháy'"},
        entries={
            entry.pk: {"status": entry.status or "", "results": "Dòng 1\nDòng 2 <x>", "difficulties": ""}
        },
        data_as_of=None,
        facts=None,
        proposals=[ProposalIn(addressee="agency", text="Đề nghị", addressee_agency_id=world.b.pk)],
    )
    client.force_login(world.reporter_a)
    page = client.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
    fields = _form_fields(page)
    assert "<b>đậm" not in page and "<việc>" not in page and "Dòng 2 <x>" not in page  # escaped
    assert fields["main_results"] == "Kết quả <b>đậm</b> & 'nháy'"
    assert fields[f"e{entry.pk}-results"] == "Dòng 1\nDòng 2 <x>"
    doc = f"e{entry.pk}-doc-0"
    assert fields[f"{doc}-number_symbol"] == "12/QĐ-STC"
    assert fields[f"{doc}-subject"] == 'Về <việc> & "thử"'
    assert fields[f"{doc}-issued_on"] == "04/03/2025"  # dd/mm/yyyy
    assert fields[f"e{entry.pk}-fund-0-provincial"] == "1234,5"  # decimal comma
    assert fields[f"e{entry.pk}-doc-TOTAL_FORMS"] == "2"  # the saved row and an empty one
    assert fields["prop-0-addressee_agency"] == str(world.b.pk)
    assert f'<label class="visually-hidden" for="id_{doc}-subject">Trích yếu</label>' in page


def _form_fields(page: str) -> dict[str, str]:
    """What each named input, textarea and select of a page holds (value, text, selected option), unescaped."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.found, self.text_of, self.select = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and "name" in attrs:
                self.found[attrs["name"]] = attrs.get("value") or ""
            elif tag == "textarea":
                self.text_of, self.found[attrs["name"]] = attrs["name"], ""
            elif tag == "select":
                self.select = attrs["name"]
            elif tag == "option" and self.select and "selected" in attrs:
                self.found[self.select] = attrs["value"]

        def handle_endtag(self, tag):
            if tag == "textarea":  # a browser drops the newline that opens a textarea's text
                self.found[self.text_of] = self.found[self.text_of].removeprefix("\n")
                self.text_of = None
            elif tag == "select":
                self.select = None

        def handle_data(self, data):
            if self.text_of:
                self.found[self.text_of] += data

    parser = Fields()
    parser.feed(page)
    return parser.found


def test_proposal_rows_offer_every_other_agency_in_vietnamese_order_and_follow_changes(world, cycle):
    """The addressee select lists what ViModelChoiceField would (sorted once per version of the agencies), and an
    agency added or renamed shows on the next form."""
    from plantrack.core.choices import ViSortedChoiceIterator
    from plantrack.orgs.models import Agency
    from plantrack.reporting.forms import ReportFactsForms

    report = world.report(cycle, world.a)

    def offered():
        form = ReportFactsForms(report=report, entries=list(report.entries.all())).proposals_formset.forms[0]
        field = form.fields["addressee_agency"]
        expected = [(str(v), str(label)) for v, label in ViSortedChoiceIterator(field)]
        shown = [(str(v), str(label)) for v, label in field.widget.choices]
        assert shown == expected
        return [label for _v, label in shown]

    labels = offered()
    assert world.a.name not in labels and world.b.name in labels
    Agency.objects.create(name="Ân Thử Mới")
    world.b.name = "Đổi Tên Thử"
    world.b.save()
    labels = offered()
    assert "Ân Thử Mới" in labels and "Đổi Tên Thử" in labels


def test_an_empty_facts_table_is_kept_per_kind_and_language_and_given_its_prefix(world, cycle):
    """An unbound facts table with no saved row is rendered once per kind and language (FactsFormSet.render): what
    it gives is the template's rendering of that formset, with its own prefix, in the active language; a table with
    saved rows, the proposals and a posted one are rendered each time (errors shown)."""
    from django.utils import translation

    from plantrack.reporting import forms as reporting_forms
    from plantrack.reporting.forms import ReportFactsForms

    def rendered(fs):  # the template, without the kept tables
        return fs.renderer.render(fs.template_name, fs.get_context())

    report = world.report(cycle, world.a)
    entries = list(report.entries.all())
    first, second = entries[0], entries[1]
    save(
        world,
        report,
        {first.pk: EntryFacts(documents=(DocumentIn("1/QĐ", datetime.date(2025, 1, 2), "A & <b>"),))},
    )
    report.refresh_from_db()
    entries = list(report.entries.all())
    reporting_forms._EMPTY_TABLES.clear()
    for language, delete in (("vi", "<th>Xóa</th>"), ("en", "<th>Delete</th>"), ("vi", "<th>Xóa</th>")):
        with translation.override(language):
            unbound = ReportFactsForms(report=report, entries=entries)
            for fs in unbound.formsets():
                html = str(fs)
                assert html == rendered(fs)
                assert delete in html and f'name="{fs.prefix}-TOTAL_FORMS"' in html
    assert {key[1] for key in reporting_forms._EMPTY_TABLES} == {"vi", "en"}
    assert len(reporting_forms._EMPTY_TABLES) == 2 * 3  # documents, events, funding; proposals are not kept
    blocks = {e.pk: sets for e, *sets in unbound.blocks}
    assert "A &amp; &lt;b&gt;" in str(blocks[first.pk][0])  # the saved row, rendered for this table
    assert "A &amp;" not in str(blocks[second.pk][0])

    prefix = f"e{first.pk}-doc"
    data = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-number_symbol": "x" * 150,
        f"{prefix}-0-issued_on": "31/02/2025",
        f"{prefix}-1-subject": "<script>",
        "prop-TOTAL_FORMS": "500",
        "prop-INITIAL_FORMS": "0",
    }
    bound = ReportFactsForms(data, report=report, entries=entries)
    bound.is_valid()
    for fs in bound.formsets():
        assert str(fs) == rendered(fs)
    posted = str(bound.blocks[0][1])
    assert "errorlist" in posted and "&lt;script&gt;" in posted and "<script>" not in posted
    assert "upload-error" in str(bound.proposals_formset)  # too many forms: a formset error


def test_facts_table_of_a_formset_posted_without_its_management_form(world, cycle):
    from plantrack.reporting.forms import ReportFactsForms

    report = world.report(cycle, world.a)
    bound = ReportFactsForms({"prop-TOTAL_FORMS": "1"}, report=report, entries=list(report.entries.all()))
    bound.is_valid()
    for fs in bound.formsets():
        html = str(fs)
        assert "upload-error" in html  # ManagementForm data is missing or has been tampered with
        assert f'name="{fs.prefix}-TOTAL_FORMS"' in html
