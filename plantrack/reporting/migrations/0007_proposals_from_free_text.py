"""Each report's free-text "Kiến nghị, đề xuất" becomes one proposal addressed "chưa xác định"; the text field is
emptied so that the same proposal is not sent twice (reversing puts the text back)."""

from django.db import migrations


def forwards(apps, schema_editor):
    AgencyReport = apps.get_model("reporting", "AgencyReport")
    ReportProposal = apps.get_model("reporting", "ReportProposal")
    reports = AgencyReport.objects.exclude(proposals="").filter(proposal_items__isnull=True)
    for report in reports.iterator():
        text = report.proposals.strip()
        if text:
            ReportProposal.objects.create(report=report, addressee="unspecified", text=text, order=1)
        AgencyReport.objects.filter(pk=report.pk).update(proposals="")


def backwards(apps, schema_editor):
    AgencyReport = apps.get_model("reporting", "AgencyReport")
    ReportProposal = apps.get_model("reporting", "ReportProposal")
    texts: dict[int, list[str]] = {}
    for item in ReportProposal.objects.filter(addressee="unspecified").order_by("report_id", "order", "pk"):
        texts.setdefault(item.report_id, []).append(item.text)
    for report_id, parts in texts.items():
        AgencyReport.objects.filter(pk=report_id).update(proposals="\n".join(parts))
    ReportProposal.objects.filter(addressee="unspecified").delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0006_entry_facts_and_proposals")]

    operations = [migrations.RunPython(forwards, backwards)]
