"""The import page every spreadsheet importer shares: upload, check, confirm.

Step 1 checks the whole file (nothing is written) and shows either every fault or a
preview; step 2 imports the same stored file all or nothing. Columns the importer does not
recognise are named in both steps, and step 2 refuses the file unless the user ticks
"ignore these columns". The upload is kept in ``DATA_DIR/imports`` only between a good
check and its confirmation: every refusal, every error and the import itself delete it, and
files left by checks never confirmed are swept after ``UPLOAD_MAX_AGE``.
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
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
from .forms import Form
from .importing import ImportFailed, TableImporter, join_names
from .views import domain_error_message


class ImportForm(Form):
    file = forms.FileField(label=gettext_lazy("File"))
    update_existing = forms.BooleanField(
        label=gettext_lazy("Update rows that already exist"), required=False
    )
    ignore_unknown = forms.BooleanField(
        label=gettext_lazy("Ignore these columns and import the rest"), required=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > settings.CHUANGWEI_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


# A checked file whose import was never confirmed is deleted after this long.
UPLOAD_MAX_AGE = timedelta(hours=24)


def _import_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store(upload: Any) -> tuple[str, Path]:
    """Write the upload under a fresh token, sweeping files of checks never confirmed."""
    folder = _import_dir()
    oldest = time.time() - UPLOAD_MAX_AGE.total_seconds()
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < oldest:
            old.unlink(missing_ok=True)
    suffix = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
    token = uuid.uuid4().hex
    path = folder / f"{token}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, path


class ImportView(LoginRequiredMixin, View):
    """Subclasses set ``importer_class``, ``title``, ``list_url_name`` and preview columns."""

    importer_class: type[TableImporter[Any]]
    title: Any = ""
    list_url_name = ""
    template_name = "core/import.html"
    preview_columns: tuple[tuple[Any, str], ...] = ()

    def allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.scope.manages_config)  # type: ignore[union-attr]

    def get_importer_class(self) -> type[TableImporter[Any]]:
        """The importer to run (a view bound to an object returns one bound to it)."""
        return self.importer_class

    def get_list_url(self) -> str:
        """Where the page links back to and a finished import goes."""
        return reverse(self.list_url_name)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.allowed(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
        context.setdefault("form", ImportForm())
        context.update(
            supports_update=self.get_importer_class().supports_update,
            title=self.title,
            list_url=self.get_list_url(),
            columns=self.get_importer_class().columns,
            preview_columns=self.preview_columns,
        )
        return render(request, self.template_name, context, status=status)

    def refused(self, request: HttpRequest, exc: ImportFailed, form: ImportForm) -> HttpResponse:
        """The page after a refused file: every fault and every unknown column, nothing kept."""
        return self.render_page(
            request,
            status=422,
            form=form,
            errors=exc.errors,
            error_rows=len({e.row for e in exc.errors if e.row is not None}),
            unknown_columns=exc.unknown_columns,
            refusal=str(exc.message) if not exc.errors else "",
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.GET.get("template"):
            fileobj = self.get_importer_class()().template()
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
        # An importer that only adds rows ignores the choice (the page does not offer it).
        update = form.cleaned_data["update_existing"] and self.get_importer_class().supports_update
        ignore = form.cleaned_data["ignore_unknown"]
        token, path = _store(upload)
        kept = False
        try:
            with path.open("rb") as fh:
                # Unknown columns do not stop the check: the preview names them and the
                # confirmation asks for the tick.
                result = self.get_importer_class()(update_existing=update).run(
                    fh, path.name, by=request.user, commit=False, ignore_unknown=True
                )
            kept = True
        except ImportFailed as exc:
            return self.refused(request, exc, form)
        except DomainError as exc:
            form.add_error("file", domain_error_message(exc))
            return self.render_page(request, status=422, form=form)
        finally:
            if not kept:
                path.unlink(missing_ok=True)
        request.session[f"import:{token}"] = {
            "name": upload.name,
            "update": update,
            "ignore": ignore,
        }
        return self.render_page(
            request,
            token=token,
            result=result,
            filename=upload.name,
            update_existing=update,
            unknown_columns=result.unknown_columns,
            ignore_unknown=ignore,
        )

    def confirm(self, request: HttpRequest) -> HttpResponse:
        token = request.POST["token"]
        meta = request.session.pop(f"import:{token}", None)
        matches = list(_import_dir().glob(f"{token}.*")) if token.isalnum() else []
        if meta is None or not matches:
            for orphan in matches:
                orphan.unlink(missing_ok=True)
            messages.error(request, _("The uploaded file has expired. Upload it again."))
            return HttpResponseRedirect(request.path)
        path = matches[0]
        importer = self.get_importer_class()(update_existing=meta["update"])
        ignore = bool(meta.get("ignore")) or request.POST.get("ignore_unknown") in ("1", "on")
        try:
            with path.open("rb") as fh:
                result = importer.run(
                    fh, path.name, by=request.user, commit=True, ignore_unknown=ignore
                )
        except ImportFailed as exc:
            return self.refused(request, exc, ImportForm())
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
        if result.unknown_columns:
            messages.warning(
                request,
                _("These columns were left out as you chose: %(columns)s.")
                % {"columns": join_names(result.unknown_columns)},
            )
        return HttpResponseRedirect(self.get_list_url())
