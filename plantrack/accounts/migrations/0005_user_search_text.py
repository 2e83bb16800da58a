from django.db import migrations, models

from plantrack.core.text import fold


def fill_search_text(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.all().only("pk", "username", "full_name", "email"):
        text = " | ".join(fold(n) for n in (user.username, user.full_name, user.email) if n)
        User.objects.filter(pk=user.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_phone_office_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
