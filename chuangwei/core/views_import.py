"""The import page every spreadsheet importer shares: upload, check, confirm.

Step 1 checks the whole file (nothing is written) and shows either every bad row or a
preview; step 2 imports the same stored file all or nothing. The upload is kept in
``DATA_DIR/imports`` between the steps so the user never uploads twice.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .errors import DomainError
from .importing import ImportFailed, TableImporter
from .views import domain_error_message


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    update_existing = forms.BooleanField(
        label=gettext_lazy("Update rows that already exist"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > settings.CHUANGWEI_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


def _import_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


class ImportView(LoginRequiredMixin, View):
    """Subclasses set ``importer_class``, ``title``, ``list_url_name`` and preview columns."""

    importer_class: type[TableImporter[Any]]
    title: Any = ""
    list_url_name = ""
    template_name = "core/import.html"
    preview_columns: tuple[tuple[Any, str], ...] = ()

    def allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.scope.manages_config)  # type: ignore[union-attr]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.allowed(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
        context.setdefault("form", ImportForm())
        context.update(
            title=self.title,
            list_url=reverse(self.list_url_name),
            columns=self.importer_class.columns,
            preview_columns=self.preview_columns,
        )
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("template"):
            fileobj = self.importer_class().template()
            return FileResponse(
                fileobj, as_attachment=True, filename=f"{self.title}_{_('template')}.xlsx"
            )
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("token"):
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, status=422, form=form)
        upload = form.cleaned_data["file"]
        suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
        token = uuid.uuid4().hex
        path = _import_dir() / f"{token}{suffix}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        update = form.cleaned_data["update_existing"]
        importer = self.importer_class(update_existing=update)
        try:
            with path.open("rb") as fh:
                result = importer.run(fh, path.name, by=request.user, commit=False)
        except ImportFailed as exc:
            path.unlink(missing_ok=True)
            return self.render_page(request, status=422, form=form, errors=exc.errors)
        except DomainError as exc:
            path.unlink(missing_ok=True)
            form.add_error("file", domain_error_message(exc))
            return self.render_page(request, status=422, form=form)
        request.session[f"import:{token}"] = {"name": upload.name, "update": update}
        return self.render_page(
            request, token=token, result=result, filename=upload.name, update_existing=update
        )

    def confirm(self, request: HttpRequest) -> HttpResponse:
        token = request.POST["token"]
        meta = request.session.pop(f"import:{token}", None)
        matches = list(_import_dir().glob(f"{token}.*")) if token.isalnum() else []
        if meta is None or not matches:
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return HttpResponseRedirect(request.path)
        path = matches[0]
        importer = self.importer_class(update_existing=meta["update"])
        try:
            with path.open("rb") as fh:
                result = importer.run(fh, path.name, by=request.user, commit=True)
        except ImportFailed as exc:
            return self.render_page(request, status=422, errors=exc.errors)
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
            return HttpResponseRedirect(request.path)
        finally:
            path.unlink(missing_ok=True)
        messages.success(
            request,
            _("Imported %(total)s rows: %(created)s new, %(updated)s updated.")
            % {"total": result.total, "created": result.created, "updated": result.updated},
        )
        return HttpResponseRedirect(reverse(self.list_url_name))
