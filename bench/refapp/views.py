"""The reference view: one query of 50 rows, one small template.

The query is raw SQL on the agency table so that the same view runs in both reference servers: inside the product
(``settings``: every product app and middleware) and in a bare Django (``bare_settings``: no app, two middleware).
"""

from django.db import connection
from django.shortcuts import render

QUERY = "SELECT id, name, short_name, kind, email FROM orgs_agency ORDER BY id LIMIT 50"


def reference(request):
    with connection.cursor() as cursor:
        cursor.execute(QUERY)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return render(request, "bench_reference.html", {"rows": rows})
