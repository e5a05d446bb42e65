"""``__in_ids`` (ids written as literals) and ``Unindexed`` (a column hidden from SQLite's
index choice): the same rows as the plain forms, in the SQL shape they exist for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count

from chuangwei.core.expressions import Unindexed
from chuangwei.org.models import OrgUnit

pytestmark = pytest.mark.django_db


def _codes(qs):  # type: ignore[no-untyped-def]
    return sorted(qs.values_list("code", flat=True))


def test_in_ids_keeps_exactly_the_listed_rows(org_tree):
    ids = [org_tree["street_a"].pk, org_tree["community_b"].pk]
    assert _codes(OrgUnit.objects.filter(pk__in_ids=ids)) == ["370402001", "370402002001"]


def test_in_ids_follows_a_foreign_key(org_tree):
    ids = (org_tree["street_a"].pk, org_tree["street_b"].pk)
    assert _codes(OrgUnit.objects.filter(parent_id__in_ids=ids)) == ["370402001001", "370402002001"]  # fmt: skip


def test_in_ids_of_nothing_matches_nothing_and_its_negation_everything(org_tree):
    assert list(OrgUnit.objects.filter(pk__in_ids=[])) == []
    assert OrgUnit.objects.exclude(pk__in_ids=[]).count() == OrgUnit.objects.count() == 7


def test_excluding_ids_keeps_rows_whose_column_is_null(org_tree):
    """The city has no parent: ``NOT (parent_id IN …)`` alone would drop it."""
    kept = OrgUnit.objects.exclude(parent_id__in_ids=[org_tree["district"].pk])
    assert _codes(kept) == ["370400", "370402", "370402001001", "370402002001", "D-CG"]


def test_in_ids_writes_the_ids_into_the_statement(org_tree):
    sql, params = OrgUnit.objects.filter(pk__in_ids=["12", 7]).query.sql_with_params()
    assert "IN (12, 7)" in sql
    assert params == ()


def test_in_ids_refuses_values_that_are_not_integers(org_tree):
    with pytest.raises(ValueError):
        list(OrgUnit.objects.filter(pk__in_ids=["7); DROP TABLE org_orgunit; --"]))


def test_unindexed_groups_like_the_bare_column(org_tree):
    hidden = OrgUnit.objects.annotate(k=Unindexed("kind")).values_list("k").annotate(n=Count("*"))
    bare = OrgUnit.objects.values_list("kind").annotate(n=Count("*"))
    assert sorted(hidden.order_by()) == sorted(bare.order_by()) == [
        ("city", 1), ("community", 2), ("department", 1), ("district", 1), ("street", 2),
    ]  # fmt: skip


def test_unindexed_is_a_unary_plus_on_sqlite_only(org_tree):
    sql = str(OrgUnit.objects.annotate(k=Unindexed("kind")).values_list("k").query)
    column = '"org_orgunit"."kind"'
    assert (f"+{column}" in sql) == (connection.vendor == "sqlite")
    assert column in sql
