"""The reporting tests' small world (plan, three agencies, the personas) serves the API tests too."""

from plantrack.reporting.tests.conftest import before_due_date, cycle, fast_passwords, world  # noqa: F401
