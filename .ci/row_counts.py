"""Print the number of rows of every model as JSON, for checking that loading twice duplicates nothing.

python .ci/row_counts.py > before.json     (settings from the environment, as for manage.py)
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plantrack.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402

# Rows that a second load may legitimately add: sign-ins and logs, not data.
VOLATILE = {"django_session", "django_admin_log"}

counts = {
    model._meta.label: model._default_manager.count()
    for model in apps.get_models()
    if model._meta.managed and not model._meta.proxy and model._meta.db_table not in VOLATILE
}
print(json.dumps(counts, indent=1, sort_keys=True))
