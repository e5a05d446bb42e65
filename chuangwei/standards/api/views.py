from chuangwei.core.api import ScopedModelViewSet

from .. import services
from ..filters import (
    IndicatorFilter,
    IndicatorValueFilter,
    ProblemCategoryFilter,
    StandardClauseFilter,
    StandardVersionFilter,
)
from ..models import Indicator, IndicatorValue, ProblemCategory, StandardClause, StandardVersion
from .serializers import (
    IndicatorSerializer,
    IndicatorValueSerializer,
    ProblemCategorySerializer,
    StandardClauseSerializer,
    StandardVersionSerializer,
)


class StandardVersionViewSet(ScopedModelViewSet):
    queryset = StandardVersion.objects.all()
    serializer_class = StandardVersionSerializer
    filterset_class = StandardVersionFilter
    save_service = services.save_standard_version
    delete_service = services.delete_standard_version


class StandardClauseViewSet(ScopedModelViewSet):
    queryset = StandardClause.objects.all()
    serializer_class = StandardClauseSerializer
    filterset_class = StandardClauseFilter
    save_service = services.save_standard_clause
    delete_service = services.delete_standard_clause


class IndicatorViewSet(ScopedModelViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    save_service = services.save_indicator
    delete_service = services.delete_indicator


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
