"""FastSelect renders the same options as Django's Select, building model options once;
fast inputs render what Django's input template renders."""

import re

from django import forms

from chuangwei.core.forms import TreeChoiceField
from chuangwei.core.widgets import FastSelect, fast


def _attrs(html: str) -> tuple[str, set[str]]:
    """Tag name and attributes, in any order (Django's template and flatatt order differ)."""
    tag = re.match(r"<(\w+)", html).group(1)
    return tag, set(re.findall(r'\s([\w-]+(?:="[^"]*")?)', html))


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


def test_fast_date_input_renders_like_django():
    widget = forms.DateInput(attrs={"class": "form-control", "required": True, "x": False})
    widget.input_type = "date"
    expected = widget.render("day", "2026-11-23", attrs={"id": "id_day"})
    html = fast(widget).render("day", "2026-11-23", attrs={"id": "id_day"})
    assert type(widget).__name__ == "FastDateInput"
    assert _attrs(html) == _attrs(expected) == (
        "input",
        {'type="date"', 'name="day"', 'value="2026-11-23"', 'class="form-control"', "required",
         'id="id_day"'},
    )  # fmt: skip


def test_fast_text_input_escapes_the_value_and_omits_an_empty_one():
    widget = fast(forms.TextInput())
    assert 'value="&lt;b&gt;&quot;"' in widget.render("q", '<b>"')
    assert "value=" not in widget.render("q", None)


def test_fast_null_boolean_select_marks_the_chosen_value():
    widget = fast(forms.NullBooleanSelect())
    widget.choices = [("", "全部"), ("true", "是"), ("false", "否")]
    assert '<option value="true" selected>是</option>' in widget.render("on_time", True)
    assert '<option value="" selected>全部</option>' in widget.render("on_time", None)
    assert widget.render("on_time", None).count("selected") == 1


def test_fast_leaves_file_checkbox_and_hidden_inputs_alone():
    for widget in (forms.FileInput(), forms.CheckboxInput(), forms.HiddenInput()):
        assert type(fast(widget)) is type(widget).__mro__[0]
        assert not type(widget).__name__.startswith("Fast")
