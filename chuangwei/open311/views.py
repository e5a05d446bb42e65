"""Management pages (office and admin): client applications with their API keys, and
the attributes (extra questions) of each service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from chuangwei.accounts.permissions import can_manage_config
from chuangwei.core.errors import DomainError
from chuangwei.core.tables import Column
from chuangwei.core.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFormView,
    ObjectListView,
    domain_error_message,
)

from . import services
from .filters import Open311ClientFilter, ServiceAttributeFilter
from .forms import Open311ClientForm, ServiceAttributeForm
from .models import Open311Client, Open311Request, ServiceAttribute

OPEN311 = (gettext_lazy("Open311 clients"), reverse_lazy("open311:client_list"))

CLIENT_URLS = {
    "list": "open311:client_list",
    "detail": "open311:client_detail",
    "create": "open311:client_create",
    "update": "open311:client_update",
}
CLIENT_COLUMNS = [
    Column("name", gettext_lazy("Name"), link=True),
    Column("key_prefix", gettext_lazy("API key"), getter=lambda c: f"{c.key_prefix}…"),
    Column("is_active", gettext_lazy("Active"), kind="bool"),
    Column("rate_limit", gettext_lazy("Requests per minute"), kind="number"),
    Column("contact", gettext_lazy("Contact")),
    Column("last_used_at", gettext_lazy("Last used at"), kind="datetime"),
    Column("created_at", gettext_lazy("Created at"), kind="datetime"),
]
CLIENT_FIELDS = [
    *CLIENT_COLUMNS,
    Column("key_rotated_at", gettext_lazy("Key issued at"), kind="datetime"),
    Column("revoked_at", gettext_lazy("Revoked at"), kind="datetime"),
    Column("created_by", gettext_lazy("Created by")),
    Column("note", gettext_lazy("Note")),
]


class ClientMixin:
    model = Open311Client
    url_names = CLIENT_URLS
    breadcrumbs = (OPEN311,)
    managers_only = True
    title = gettext_lazy("Open311 clients")


class ClientListView(ClientMixin, ObjectListView):
    filterset_class = Open311ClientFilter
    columns = CLIENT_COLUMNS
    template_name = "open311/client_list.html"


class ClientDetailView(ClientMixin, ObjectDetailView):
    fields = CLIENT_FIELDS
    template_name = "open311/client_detail.html"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("created_by")

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        recent = (
            Open311Request.objects.filter(client=obj)
            .select_related("problem", "problem__category")
            .order_by("-created_at", "-id")[:20]
        )
        return {
            "recent": recent,
            "rotate_url": reverse("open311:client_rotate", args=[obj.pk]),
            "revoke_url": reverse("open311:client_revoke", args=[obj.pk]),
        }


def _show_key(request: HttpRequest, client: Open311Client, key: str, rotated: bool) -> HttpResponse:
    return render(
        request,
        "open311/client_key.html",
        {
            "object": client,
            "key": key,
            "rotated": rotated,
            "title": _("API key of %(name)s") % {"name": client.name},
            "breadcrumbs": (OPEN311,),
            "endpoint": request.build_absolute_uri(reverse("open311:root")),
        },
    )


class ClientFormView(ClientMixin, ObjectFormView):
    """Edits a client through ``save_client``; a new one gets its key from ``create_client``."""

    form_class = Open311ClientForm
    save_service = services.save_client

    def form_valid(self, form: Any) -> HttpResponse:
        if self.object is not None:
            return super().form_valid(form)
        try:
            client, key = services.create_client(form.instance, by=self.request.user)
        except DomainError as exc:
            for field, msgs in exc.fields.items():
                for msg in msgs:
                    form.add_error(field if field in form.fields else None, str(msg))
            if not exc.fields:
                form.add_error(None, str(exc.message))
            return self.form_invalid(form)
        return _show_key(self.request, client, key, rotated=False)


class ClientActionView(LoginRequiredMixin, View):
    """POST-only rotate/revoke for managers."""

    def client(self, request: HttpRequest, pk: int) -> Open311Client:
        if not can_manage_config(request.user):
            raise PermissionDenied
        return get_object_or_404(Open311Client.objects.editable_by(request.user), pk=pk)


class ClientRotateView(ClientActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = self.client(request, pk)
        try:
            key = services.rotate_key(client, by=request.user)
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
            return HttpResponseRedirect(reverse("open311:client_detail", args=[pk]))
        return _show_key(request, client, key, rotated=True)


class ClientRevokeView(ClientActionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = self.client(request, pk)
        try:
            services.revoke_client(client, by=request.user)
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
        else:
            messages.success(
                request, _("The API key of %(name)s no longer works.") % {"name": client.name}
            )
        return HttpResponseRedirect(reverse("open311:client_detail", args=[pk]))


# Service attributes ------------------------------------------------------------------------

ATTRIBUTE_URLS = {
    "list": "open311:attribute_list",
    "detail": "open311:attribute_detail",
    "create": "open311:attribute_create",
    "update": "open311:attribute_update",
    "delete": "open311:attribute_delete",
}
ATTRIBUTE_COLUMNS = [
    Column(
        "category",
        gettext_lazy("Service"),
        getter=lambda a: f"{a.category.code} {a.category.public_name}",
    ),
    Column("code", gettext_lazy("Code"), link=True),
    Column("description", gettext_lazy("Question")),
    Column("datatype", gettext_lazy("Datatype"), getter=lambda a: a.get_datatype_display()),
    Column("required", gettext_lazy("Required"), kind="bool"),
    Column("order", gettext_lazy("Order"), kind="number"),
    Column(
        "values",
        gettext_lazy("Values"),
        getter=lambda a: "、".join(f"{v['key']}={v['name']}" for v in a.values or []),
    ),
]


class AttributeMixin:
    model = ServiceAttribute
    url_names = ATTRIBUTE_URLS
    breadcrumbs = (OPEN311,)
    managers_only = True
    title = gettext_lazy("Open311 service attributes")

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("category")  # type: ignore[misc]


class AttributeListView(AttributeMixin, ObjectListView):
    filterset_class = ServiceAttributeFilter
    columns = ATTRIBUTE_COLUMNS
    template_name = "open311/attribute_list.html"


class AttributeDetailView(AttributeMixin, ObjectDetailView):
    fields = ATTRIBUTE_COLUMNS


class AttributeFormView(AttributeMixin, ObjectFormView):
    form_class = ServiceAttributeForm
    save_service = services.save_attribute


class AttributeDeleteView(AttributeMixin, ObjectDeleteView):
    delete_service = services.delete_attribute


class AttributeDefaultsView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        if not can_manage_config(request.user):
            raise PermissionDenied
        created = services.create_default_attributes(by=request.user)
        messages.success(request, _("%(n)s default attributes were created.") % {"n": created})
        return HttpResponseRedirect(reverse("open311:attribute_list"))
