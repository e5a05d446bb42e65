"""Base views: every list, detail and edit page applies the user's scope.

Configuration pages subclass these and declare only a queryset/model, a FilterSet, the
columns, a form and URL names, and the services that write: ``save_service`` on a form view
and ``delete_service`` on a delete view. There is no default save or delete: a subclass that
names no service fails when its class is defined (``ImproperlyConfigured``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from django.views.generic.edit import FormView

from chuangwei.lib.excel import write_xlsx

from .errors import DomainError, InvalidInput
from .pagination import BoundedPaginator
from .tables import Column, cell_class, cell_html, export_rows
from .writes import Service, bind_services, require_service

PAGE_SIZES = (10, 20, 30, 50)


def domain_error_message(exc: DomainError) -> str:
    """The one UI rendering of a domain error (message plus field messages)."""
    parts = [str(exc.message)]
    for msgs in exc.fields.values():
        parts.extend(str(m) for m in msgs)
    return " ".join(dict.fromkeys(parts))


class ScopedViewMixin(LoginRequiredMixin):
    """Loads rows through ``visible_to`` (and ``editable_by`` for writes)."""

    model: type[Model]
    queryset: QuerySet[Any] | None = None
    title: Any = ""
    breadcrumbs: Sequence[tuple[Any, str]] = ()
    url_names: dict[str, str] = {}
    managers_only = False
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            self.managers_only
            and request.user.is_authenticated
            and not request.user.scope.manages_config  # type: ignore[union-attr]
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc,no-any-return]

    def base_queryset(self) -> QuerySet[Any]:
        qs = self.queryset if self.queryset is not None else self.model._default_manager.all()
        return qs.all()

    def get_queryset(self) -> QuerySet[Any]:
        qs = self.base_queryset().visible_to(self.request.user)  # type: ignore[attr-defined]
        with_related = getattr(qs, "with_list_related", None)
        return with_related() if with_related else qs

    def can_edit(self) -> bool:
        return bool(self.request.user.scope.manages_config)  # type: ignore[union-attr]

    def editable_queryset(self) -> QuerySet[Any]:
        return self.base_queryset().editable_by(self.request.user)  # type: ignore[attr-defined,no-any-return]

    def url_for(self, action: str, obj: Any = None) -> str:
        name = self.url_names.get(action)
        if not name:
            return ""
        return reverse(name, args=[obj.pk]) if obj is not None else reverse(name)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        meta = self.model._meta
        context.update(
            title=self.title or meta.verbose_name_plural,
            verbose_name=meta.verbose_name,
            breadcrumbs=self.breadcrumbs,
            can_edit=self.can_edit(),
            urls={k: self.url_for(k) for k in ("list", "create", "import") if k in self.url_names},
        )
        return context


class ObjectListView(ScopedViewMixin, TemplateView):
    """Search form, toolbar, table, pagination and Excel export over one FilterSet."""

    template_name = "core/object_list.html"
    table_template = "core/_object_table.html"
    filterset_class: Any = None
    columns: Sequence[Column] = ()
    export_name: Any = ""
    default_page_size = 20

    def get_filterset(self) -> Any:
        return self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.filterset = self.get_filterset()
        invalid = self.filterset.is_bound and not self.filterset.is_valid()
        rows = self.filterset.queryset.none() if invalid else self.filterset.qs
        self.rows = rows
        if request.GET.get("export") == "xlsx":
            return self.export(rows)
        if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "object-table":
            self.template_name = self.table_template
        return super().get(request, *args, **kwargs)

    def page_size(self) -> int:
        try:
            size = int(self.request.GET.get("page_size", self.default_page_size))
        except ValueError:
            size = self.default_page_size
        return size if size in PAGE_SIZES else self.default_page_size

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        paginator = BoundedPaginator(self.rows, self.page_size())
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        export_query = query.copy()
        export_query["export"] = "xlsx"
        context.update(
            filter=self.filterset,
            page_obj=page,
            paginator=paginator,
            columns=self.columns,
            rows=[self.row(obj, context["can_edit"]) for obj in page.object_list],
            query_string=query.urlencode(),
            export_url=f"?{export_query.urlencode()}",
            page_sizes=PAGE_SIZES,
            page_size=self.page_size(),
            table_template=self.table_template,
        )
        return context

    def row(self, obj: Any, can_edit: bool) -> dict[str, Any]:
        """One table row; each cell carries its finished HTML and ``<td>`` class, so the
        table template only prints them (a page of 20 rows has ~200 cells)."""
        detail_url = self.url_for("detail", obj)
        cells = [c.cell(obj) for c in self.columns]
        for cell in cells:
            cell["html"] = cell_html(cell, detail_url)
            cell["css"] = cell_class(cell["column"])
        return {
            "obj": obj,
            "cells": cells,
            "detail_url": detail_url,
            "update_url": self.url_for("update", obj) if can_edit else "",
            "delete_url": self.url_for("delete", obj) if can_edit else "",
        }

    def export(self, rows: QuerySet[Any]) -> HttpResponse:
        headers = [str(c.label) for c in self.columns if c.export]
        name = str(self.export_name or self.title or self.model._meta.verbose_name_plural)
        stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
        fileobj = write_xlsx(
            headers, export_rows(self.columns, rows.iterator(chunk_size=2000)), sheet_title=name
        )
        return FileResponse(
            fileobj,
            as_attachment=True,
            filename=f"{name}_{stamp}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class ObjectDetailView(ScopedViewMixin, TemplateView):
    """Header card plus a label：value grid of ``fields``."""

    template_name = "core/object_detail.html"
    fields: Sequence[Column] = ()

    def get_object(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        can_edit = context["can_edit"] and self.editable_queryset().filter(pk=obj.pk).exists()
        context.update(
            object=obj,
            title=str(obj),
            fields=[c.cell(obj) for c in self.fields],
            can_edit=can_edit,
            update_url=self.url_for("update", obj) if can_edit else "",
            delete_url=self.url_for("delete", obj) if can_edit else "",
            list_url=self.url_for("list"),
        )
        context.update(self.extra_context_for(obj))
        return context

    def extra_context_for(self, obj: Any) -> dict[str, Any]:
        return {}


class ObjectFormView(ScopedViewMixin, FormView):  # type: ignore[type-arg]
    """Create (no ``pk``) or update a row the user may edit, through ``save_service``.

    ``save_service(obj, *, by, **extra)`` receives ``form.instance`` (a valid ModelForm has
    already put the cleaned column values on it) and, by name, whatever else the form holds:
    its many-to-many values and its fields that are not columns (``service_kwargs``).
    """

    template_name = "core/object_form.html"
    form_class: Any = None
    save_service: ClassVar[Service | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        bind_services(cls, "save_service")
        require_service(cls, "save_service", unless="save_object", base=ObjectFormView)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object(self) -> Any:
        if "pk" not in self.kwargs:
            return None
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not self.editable_queryset().filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        self.object = self.get_object()
        kwargs["instance"] = self.object
        if "user" in getattr(self.form_class, "init_kwargs", ()):
            kwargs["user"] = self.request.user
        return kwargs

    def service_kwargs(self, form: Any) -> dict[str, Any]:
        """What the form holds beyond the columns it set on ``form.instance``."""
        declared = set(form._meta.fields or ())
        applied = {f.name for f in form.instance._meta.concrete_fields if f.name in declared}
        return {k: v for k, v in form.cleaned_data.items() if k not in applied}

    def save_object(self, form: Any) -> Any:
        assert self.save_service is not None  # checked when the class was defined
        return self.save_service(form.instance, by=self.request.user, **self.service_kwargs(form))

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                try:
                    obj = self.save_object(form)
                except DjangoValidationError as invalid:  # a model's full_clean() in a service
                    raise InvalidInput.from_validation_error(invalid) from invalid
        except DomainError as exc:
            for field, msgs in exc.fields.items():
                target = field if field in form.fields else None
                for msg in msgs:
                    form.add_error(target, str(msg))
            if not exc.fields:
                form.add_error(None, str(exc.message))
            return self.form_invalid(form)
        messages.success(self.request, _("Saved."))
        return HttpResponseRedirect(self.url_for("detail", obj) or self.url_for("list"))

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 422 if getattr(self.request, "htmx", False) else 200
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        verbose = self.model._meta.verbose_name
        context["title"] = (
            _("Edit %(name)s") % {"name": self.object}
            if self.object
            else _("New %(name)s") % {"name": verbose}
        )
        context["object"] = self.object
        context["cancel_url"] = (
            self.url_for("detail", self.object) if self.object else self.url_for("list")
        )
        return context


class ObjectDeleteView(ScopedViewMixin, View):
    """POST-only delete of an editable row through ``delete_service(obj, *, by)``.

    A refusal (a DomainError such as InUse for a row still referenced) is shown as a message
    on the row's page and changes nothing.
    """

    delete_service: ClassVar[Service | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        bind_services(cls, "delete_service")
        require_service(cls, "delete_service", unless="post", base=ObjectDeleteView)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.can_edit():
            raise PermissionDenied
        obj = self.editable_queryset().filter(pk=pk).first()
        if obj is None:
            if self.get_queryset().filter(pk=pk).exists():
                raise PermissionDenied
            raise Http404
        label = str(obj)
        assert self.delete_service is not None  # checked when the class was defined
        try:
            with transaction.atomic():
                self.delete_service(obj, by=request.user)
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
            return HttpResponseRedirect(self.url_for("detail", obj) or self.url_for("list"))
        messages.success(request, _("Deleted %(name)s.") % {"name": label})
        return HttpResponseRedirect(self.url_for("list"))
