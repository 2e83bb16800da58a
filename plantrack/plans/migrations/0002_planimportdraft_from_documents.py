"""Plan import drafts join the ``plans`` app. The table created by ``documents`` 0001 is adopted as it is (state
only), then renamed to ``plans_planimportdraft``; the rows, their ids and the check constraint are kept. The content
type follows, so admin permissions and log entries keep pointing at the drafts."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _move_content_type(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label=new, model="planimportdraft").exists():
        ContentType.objects.using(db).filter(app_label=old, model="planimportdraft").update(app_label=new)


def content_type_to_plans(apps, schema_editor):
    _move_content_type(apps, schema_editor, "documents", "plans")


def content_type_to_documents(apps, schema_editor):
    _move_content_type(apps, schema_editor, "plans", "documents")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0002_planimportdraft_moves_to_plans"),
        ("plans", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PlanImportDraft",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("filename", models.CharField(max_length=255, verbose_name="tên tệp")),
                        ("file_kind", models.CharField(max_length=8, verbose_name="loại tệp")),
                        ("source_lines", models.JSONField(default=list, verbose_name="văn bản gốc")),
                        ("data", models.JSONField(default=dict, verbose_name="kế hoạch trích xuất")),
                        ("import_problems", models.JSONField(default=list)),
                        ("locations", models.JSONField(default=dict)),
                        (
                            "status",
                            models.CharField(
                                choices=[("draft", "Bản nháp"), ("published", "Đã công bố")],
                                default="draft",
                                max_length=16,
                                verbose_name="trạng thái",
                            ),
                        ),
                        ("published_at", models.DateTimeField(blank=True, null=True, verbose_name="công bố lúc")),
                        (
                            "created_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="plan_import_drafts",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="người tải lên",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="plans.plan",
                                verbose_name="kế hoạch đã công bố",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "bản nháp nhập kế hoạch",
                        "verbose_name_plural": "bản nháp nhập kế hoạch",
                        "ordering": ["-created_at"],
                        "db_table": "documents_planimportdraft",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("status", "published"), _negated=True),
                                    ("plan__isnull", False),
                                    ("published_at__isnull", False),
                                    _connector="OR",
                                ),
                                name="planimportdraft_published_has_plan",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="planimportdraft", table=None),
        migrations.RunPython(content_type_to_plans, content_type_to_documents),
    ]
