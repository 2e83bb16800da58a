"""Role rules live in accounts.permissions: no other module compares a role value, no template compares a role."""

import re
from pathlib import Path

import plantrack

ROOT = Path(plantrack.__file__).parent
ROLE_VALUES = "reporter|head|coordinator|viewer|admin"
# A role literal next to a role lookup: role == "head", role__in=["reporter", ...], role="viewer", ...
PY_ROLE_LITERAL = re.compile(rf"""role\w*\W{{1,6}}(?:\[?\(?\s*["'](?:{ROLE_VALUES})["'])""")
TEMPLATE_ROLE_TEST = re.compile(r"user\.role\s*(?:==|!=|in\b)")


def _python_files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] == "accounts" or "tests" in rel.parts or "migrations" in rel.parts:
            continue
        yield rel, path.read_text(encoding="utf-8")


def test_no_module_outside_accounts_compares_role_values():
    found = [f"{rel}:{m.group(0)}" for rel, text in _python_files() for m in PY_ROLE_LITERAL.finditer(text)]
    assert found == []


def test_the_guard_sees_a_role_comparison():
    assert PY_ROLE_LITERAL.search('if user.role == "coordinator":')
    assert PY_ROLE_LITERAL.search('filter(role__in=["reporter", "head"])')
    assert not PY_ROLE_LITERAL.search('"coordinator": plan.coordinator_agency.name')


def test_no_template_compares_the_role():
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.html")
        if TEMPLATE_ROLE_TEST.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
