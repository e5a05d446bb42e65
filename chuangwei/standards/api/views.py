from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.core.api import ScopedModelViewSet
from chuangwei.core.errors import InvalidInput
from chuangwei.org.models import OrgUnit

from .. import services, workbook
from ..filters import (
    IndicatorFilter,
    IndicatorValueFilter,
    ProblemCategoryFilter,
    StandardClauseFilter,
    StandardVersionFilter,
)
from ..models import Indicator, IndicatorValue, ProblemCategory, StandardClause, StandardVersion
from ..selectors import indicator_status
from .serializers import (
    EmptyInput,
    IndicatorSerializer,
    IndicatorStatusSerializer,
    IndicatorValueSerializer,
    ProblemCategorySerializer,
    RecomputeInput,
    RecomputeOutput,
    StandardClauseSerializer,
    StandardVersionSerializer,
    StatusQuery,
    VersionCopyInput,
    WorkbookImportInput,
    WorkbookImportOutput,
)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=workbook.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _valid(input_class: type, request: Request, data: Any = None) -> dict[str, Any]:
    serializer = input_class(data=request.data if data is None else data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class StandardVersionViewSet(ScopedModelViewSet):
    """Standard versions. A published or retired version is immutable (409
    ``version_locked``); publish, retire and copy-as-draft are actions, and the whole
    version goes in and out as one Excel workbook."""

    queryset = StandardVersion.objects.all()
    serializer_class = StandardVersionSerializer
    filterset_class = StandardVersionFilter
    save_service = services.save_standard_version
    delete_service = services.delete_standard_version

    def _managed(self) -> StandardVersion:
        if not self.can_write(self.request.user):
            raise PermissionDenied()
        version: StandardVersion = self.get_object()
        return version

    @extend_schema(request=EmptyInput, responses=StandardVersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        version = services.publish_standard_version(self._managed(), by=request.user)
        return Response(StandardVersionSerializer(version).data)

    @extend_schema(request=EmptyInput, responses=StandardVersionSerializer)
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str | None = None) -> Response:
        version = services.retire_standard_version(self._managed(), by=request.user)
        return Response(StandardVersionSerializer(version).data)

    @extend_schema(request=VersionCopyInput, responses={201: StandardVersionSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        original = self._managed()
        data = _valid(VersionCopyInput, request)
        version = services.copy_standard_version(
            original, code=data["code"], name=data["name"], by=request.user
        )
        return Response(StandardVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, workbook.XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="workbook")
    def export_workbook(self, request: Request, pk: str | None = None) -> HttpResponse:
        """The whole version (description, clause tree, indicators) as one workbook."""
        version = self.get_object()
        return _xlsx(workbook.export_workbook(version), f"standard-{version.code}.xlsx")

    @extend_schema(responses={(200, workbook.XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path="workbook-template")
    def workbook_template(self, request: Request) -> HttpResponse:
        return _xlsx(workbook.template_workbook(), "standard-template.xlsx")

    @extend_schema(request=WorkbookImportInput, responses={201: WorkbookImportOutput})
    @action(
        detail=False,
        methods=["post"],
        url_path="import-workbook",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_workbook(self, request: Request) -> Response:
        """Import a whole-version workbook. Every fault is listed (400 ``import_failed``
        with ``rows``) and nothing is written; a published or retired version is refused."""
        if not self.can_write(request.user):
            raise PermissionDenied()
        data = _valid(WorkbookImportInput, request)
        upload = data["file"]
        if upload.size > settings.CHUANGWEI_MAX_UPLOAD_BYTES:
            raise InvalidInput(_("The file is too large."), code="file_too_large")
        result = workbook.import_workbook(
            upload, upload.name, by=request.user, code=data.get("code") or None
        )
        assert result.version is not None
        body = {
            "version": result.version.pk,
            "new_version": result.new_version,
            "created": result.created,
            "updated": result.updated,
            "deleted": result.deleted,
        }
        return Response(WorkbookImportOutput(body).data, status=status.HTTP_201_CREATED)


class StandardClauseViewSet(ScopedModelViewSet):
    queryset = StandardClause.objects.all()
    serializer_class = StandardClauseSerializer
    filterset_class = StandardClauseFilter
    save_service = services.save_standard_clause
    delete_service = services.delete_standard_clause


class IndicatorViewSet(ScopedModelViewSet):
    """Indicators of a version; ``computed_by`` names the platform source that computes
    the values (empty: entered with evidence)."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    save_service = services.save_indicator
    delete_service = services.delete_indicator

    @extend_schema(request=RecomputeInput, responses=RecomputeOutput)
    @action(detail=False, methods=["post"])
    def recompute(self, request: Request) -> Response:
        """Recompute and store the computed indicators of a version for a year."""
        if not self.can_write(request.user):
            raise PermissionDenied()
        data = _valid(RecomputeInput, request)
        result = services.recompute_indicator_values(
            data["version"], data["year"], actor=request.user
        )
        return Response(RecomputeOutput(result).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, required=True),
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("year", int, required=True),
        ],
        responses=IndicatorStatusSerializer(many=True),
        filters=False,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def status(self, request: Request) -> Response:
        """Each indicator of the version with the unit's value for the year, its rate and
        whether it meets the threshold (the unit must be in the caller's scope)."""
        query = _valid(StatusQuery, request, request.query_params)
        version = StandardVersion.objects.filter(pk=query["version"]).first()
        unit = OrgUnit.objects.visible_to(request.user).filter(pk=query["unit"]).first()
        if version is None or unit is None:
            raise NotFound()
        rows = indicator_status(version, unit, query["year"])
        return Response(IndicatorStatusSerializer(rows, many=True).data)


class IndicatorValueViewSet(ScopedModelViewSet):
    queryset = IndicatorValue.objects.all()
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilter
    save_service = services.save_indicator_value
    delete_service = services.delete_indicator_value


class ProblemCategoryViewSet(ScopedModelViewSet):
    queryset = ProblemCategory.objects.all()
    serializer_class = ProblemCategorySerializer
    filterset_class = ProblemCategoryFilter
    save_service = services.save_problem_category
    delete_service = services.delete_problem_category
