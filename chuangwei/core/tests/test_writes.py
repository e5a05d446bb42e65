"""The generic views and viewsets have no save or delete of their own (core.writes)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from chuangwei.core.api import ScopedModelViewSet
from chuangwei.core.views import ObjectDeleteView, ObjectFormView
from chuangwei.places.models import SiteType


def _save(obj, *, by):
    return ("saved", obj, by)


def test_form_view_without_save_service_is_refused_when_defined():
    with pytest.raises(ImproperlyConfigured, match="save_service"):

        class Forgetful(ObjectFormView):
            model = SiteType


def test_delete_view_without_delete_service_is_refused_when_defined():
    with pytest.raises(ImproperlyConfigured, match="delete_service"):

        class Forgetful(ObjectDeleteView):
            model = SiteType


def test_viewset_that_deletes_without_delete_service_is_refused_when_defined():
    with pytest.raises(ImproperlyConfigured, match="delete_service"):

        class Forgetful(ScopedModelViewSet):
            queryset = SiteType.objects.all()
            save_service = _save


def test_viewset_that_writes_without_save_service_is_refused_when_defined():
    with pytest.raises(ImproperlyConfigured, match="save_service"):

        class Forgetful(ScopedModelViewSet):
            queryset = SiteType.objects.all()
            http_method_names = ["get", "post"]


def test_read_only_viewset_needs_no_service():
    class ReadOnly(ScopedModelViewSet):
        queryset = SiteType.objects.all()
        http_method_names = ["get", "head", "options"]

    assert (ReadOnly.save_service, ReadOnly.delete_service) == (None, None)


def test_a_service_named_as_a_plain_function_is_called_with_the_row_first():
    class Named(ObjectFormView):
        model = SiteType
        save_service = _save

    row = SiteType(code="x")
    assert Named().save_service(row, by="me") == ("saved", row, "me")
