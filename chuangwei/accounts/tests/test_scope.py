from chuangwei.org.models import OrgUnit


def test_handler_sees_only_own_street_subtree(personas, org_tree):
    names = set(OrgUnit.objects.visible_to(personas["handler_a"]).values_list("name", flat=True))
    assert names == {"甲街道", "甲一社区"}


def test_office_sees_every_unit(personas, org_tree):
    assert OrgUnit.objects.visible_to(personas["office"]).count() == 7


def test_anonymous_sees_nothing(personas, org_tree):
    assert OrgUnit.objects.visible_to(None).count() == 0


def test_moving_a_street_rewrites_descendant_paths(personas, org_tree):
    from chuangwei.org.services import save_org_unit

    street_b = org_tree["street_b"]
    street_b.parent = org_tree["street_a"]
    save_org_unit(street_b)
    community_b = OrgUnit.objects.get(name="乙一社区")
    assert community_b.path == f"{org_tree['street_a'].path}{street_b.pk}/{community_b.pk}/"
    assert community_b.depth == 4


def test_subtree_ids_are_the_units_under_the_scope_read_once(org_tree, django_assert_num_queries):
    from chuangwei.accounts.scope import Scope

    scope = Scope(unit_paths=(org_tree["street_a"].path, org_tree["community_b"].path))
    with django_assert_num_queries(1):
        ids = scope.subtree_ids()
        assert scope.subtree_ids() == ids
    assert ids == tuple(sorted(org_tree[k].pk for k in ("street_a", "community_a", "community_b")))


def test_subtree_ids_of_an_empty_scope_are_empty_without_a_query(db, django_assert_num_queries):
    from chuangwei.accounts.scope import Scope

    with django_assert_num_queries(0):
        assert Scope().subtree_ids() == ()
