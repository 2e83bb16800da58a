"""Plan import drafts move to the ``plans`` app (plans/importing/). Only Django's model state changes here: the
table stays, and ``plans`` migration 0002 takes it over and renames it, so existing drafts are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_plan_import_draft"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PlanImportDraft")],
            database_operations=[],
        ),
    ]
