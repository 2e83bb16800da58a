"""The dashboard CSV never hands a spreadsheet a formula, whatever an agency or an administrator typed."""

import csv
import io

from plantrack.orgs.models import Agency


def test_text_starting_like_a_formula_is_quoted(client, world, cycle):
    Agency.objects.filter(pk=world.c.pk).update(name='=HYPERLINK("http://evil.example","Sở Y tế")')
    client.force_login(world.viewer)
    response = client.get(f"/theo-doi/ky/{cycle.pk}/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","Sở Y tế")' in names
    assert not any(name.startswith("=") for name in names)
    assert all(row[6].lstrip("-").isdigit() or row[6] == "" for row in rows[1:])  # numbers stay numbers
