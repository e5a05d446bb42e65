"""FastSelect renders the same options as Django's Select, building model options once."""

from chuangwei.core.forms import TreeChoiceField
from chuangwei.core.widgets import FastSelect


def test_selected_option_is_marked_and_labels_escaped():
    widget = FastSelect(choices=[("", "全部"), ("a", "<甲>"), ("b", "乙")])
    html = widget.render("x", "a")
    assert '<option value="a" selected>&lt;甲&gt;</option>' in html
    assert '<option value="b">乙</option>' in html


def test_model_options_are_built_once(org_tree, django_assert_num_queries):
    from chuangwei.org.models import OrgUnit

    field = TreeChoiceField(queryset=OrgUnit.objects.order_by("path"))
    FastSelect(choices=field.choices).render("unit", None)
    with django_assert_num_queries(0):
        html = FastSelect(choices=field.choices).render("unit", None)
    assert html.count("<option") == 8  # the empty choice and 7 units
    assert "　　甲街道" in html  # indented by depth
