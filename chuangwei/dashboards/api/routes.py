"""The dashboard figures on the /api/v1/ router (called from chuangwei/api_urls.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from ..board import read_query
from ..selectors import cached_dashboard_data

PARAMS = [
    OpenApiParameter(
        "period", str, description="month | week | last_month | quarter | year | custom"
    ),
    OpenApiParameter("start", OpenApiTypes.DATE, description="first day (custom period)"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="last day (custom period)"),
    OpenApiParameter("category", int, description="problem category (with its subtree)"),
    OpenApiParameter("source", str, description="problem source"),
    OpenApiParameter("unit", int, description="org unit (with its subtree)"),
    OpenApiParameter("metric", str, description="grid colouring: reported | open | overdue"),
]


class DashboardSummaryViewSet(viewsets.ViewSet):
    """The leaders' dashboard figures for the caller's scope: KPIs with ledger links, trend,
    category/source/unit breakdowns, grid values, heat cells and points (aggregates only)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=PARAMS, responses={200: OpenApiTypes.OBJECT})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        problems, query, _form, _filterset = read_query(request, request.query_params)  # type: ignore[arg-type]
        return Response(cached_dashboard_data(request.user, problems, query))


def register(router: DefaultRouter) -> None:
    router.register("dashboard-summaries", DashboardSummaryViewSet, basename="dashboard-summary")
