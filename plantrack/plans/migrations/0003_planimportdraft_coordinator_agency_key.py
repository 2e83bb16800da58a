"""Import drafts: the plan's follow-up agency is stored under ``coordinator_agency`` (the model field's name), no
longer under ``coordinator``, which read like a user role."""

from django.db import migrations

OLD, NEW = "coordinator", "coordinator_agency"


def _rename(apps, old: str, new: str) -> None:
    PlanImportDraft = apps.get_model("plans", "PlanImportDraft")
    for draft in PlanImportDraft.objects.all().only("pk", "data"):
        data = draft.data or {}
        if old in data:
            data[new] = data.pop(old)
            PlanImportDraft.objects.filter(pk=draft.pk).update(data=data)


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_planimportdraft_from_documents")]

    operations = [migrations.RunPython(forwards, backwards)]
