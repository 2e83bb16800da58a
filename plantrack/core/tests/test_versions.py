"""core.versions: a key's token changes with each bump, in the bumping transaction; "<scope>:*" stands for every key
of a scope (one token that changes whenever any of them is bumped), read in the same one query as single keys."""

import pytest
from django.db import transaction

from plantrack.core.models import CacheVersion
from plantrack.core.versions import ALL, ORGS_KEY, bump, plan_key, plan_reports_key, tokens

pytestmark = pytest.mark.django_db


def test_a_key_never_bumped_reads_as_a_dash_and_a_bump_gives_it_a_token():
    assert tokens(plan_key(1)) == "-"
    bump(plan_key(1))
    first = tokens(plan_key(1))
    assert first != "-"
    bump(plan_key(1))
    assert tokens(plan_key(1)) not in ("-", first)


def test_the_scope_token_changes_when_any_key_of_the_scope_is_bumped_and_only_then():
    bump(plan_key(1), plan_key(2), plan_reports_key(1), ORGS_KEY)
    before = tokens(plan_key(ALL))
    bump(plan_reports_key(1), plan_reports_key(3), ORGS_KEY)  # other scopes
    assert tokens(plan_key(ALL)) == before
    bump(plan_key(2))
    after_bump = tokens(plan_key(ALL))
    assert after_bump != before
    bump(plan_key(7))  # a new key of the scope
    assert tokens(plan_key(ALL)) not in (before, after_bump)


def test_a_deleted_key_changes_its_scope_token():
    bump(plan_key(1), plan_key(2))
    before = tokens(plan_key(ALL))
    CacheVersion.objects.filter(key=plan_key(2)).delete()
    assert tokens(plan_key(ALL)) != before


def test_an_empty_scope_reads_as_a_dash():
    assert tokens(plan_reports_key(ALL)) == "-"


def test_keys_and_scopes_are_read_in_one_query_in_the_order_given(django_assert_num_queries):
    bump(ORGS_KEY, plan_key(1), plan_reports_key(1))
    with django_assert_num_queries(1):
        found = tokens(plan_key(1), plan_reports_key(ALL), ORGS_KEY, plan_key(ALL), plan_key(9)).split(".")
    assert found[0] == tokens(plan_key(1))
    assert found[1] == tokens(plan_reports_key(ALL))
    assert found[2] == tokens(ORGS_KEY)
    assert found[3] == tokens(plan_key(ALL))
    assert found[4] == "-"
    assert len(set(found[:4])) == 4


def test_a_bump_rolled_back_leaves_the_scope_token_as_it_was():
    bump(plan_key(1))
    before = tokens(plan_key(ALL))
    with pytest.raises(RuntimeError), transaction.atomic():
        bump(plan_key(1), plan_key(5))
        assert tokens(plan_key(ALL)) != before  # seen inside the transaction
        raise RuntimeError
    assert tokens(plan_key(ALL)) == before


def test_the_scope_of_a_key_is_what_comes_before_its_first_colon():
    bump(plan_reports_key(4), ORGS_KEY)
    scopes = dict(CacheVersion.objects.values_list("key", "scope"))
    assert scopes == {"plan-reports:4": "plan-reports", "orgs": "orgs"}
