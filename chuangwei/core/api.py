"""API base: scoped viewsets, pagination and the one error format.

Every error the API returns has the body ``{"error": {"code", "message", "fields"}}``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from chuangwei.lib import bounds

from .errors import DomainError, InUse, InvalidInput
from .writes import Service, bind_services, require_service


def _error(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's error detail as ``{field: [messages]}``; nested errors get dotted keys
    (``sites.0``: the first item of ``sites``; ``parts.2.title``)."""
    if not isinstance(detail, (dict, list)):
        return {prefix or "non_field_errors": [str(detail)]}
    if isinstance(detail, list) and all(not isinstance(x, (dict, list)) for x in detail):
        return {prefix or "non_field_errors": [str(x) for x in detail]}
    items = detail.items() if isinstance(detail, dict) else enumerate(detail)
    flat: dict[str, list[str]] = {}
    for key, value in items:
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(detail, list) and not value:
            continue  # an item of a list without errors
        for field, messages in _flatten(value, name).items():
            flat.setdefault(field, []).extend(messages)
    return flat


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render domain errors and DRF errors in one structured shape."""
    if isinstance(exc, ProtectedError):
        exc = InUse()
    elif isinstance(exc, DjangoValidationError):  # a model's full_clean() in a service
        exc = InvalidInput.from_validation_error(exc)
    if isinstance(exc, DomainError):
        body = exc.as_dict()
        return Response({"error": body}, status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _error("invalid", _("The data entered is not valid."), _flatten(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        detail = exc.detail
        message = str(detail) if not isinstance(detail, (dict, list)) else _("Request failed.")
        response.data = _error(code, message)
    return response


def _bound(field: serializers.Field) -> None:  # type: ignore[type-arg]
    if field.read_only:
        return
    if isinstance(field, (serializers.DateField, serializers.DateTimeField)):
        check: Any = bounds.validate_date_in_range
    elif isinstance(
        field, (serializers.IntegerField, serializers.FloatField, serializers.DecimalField)
    ):
        check = bounds.validate_number_in_range
    elif isinstance(field, (serializers.ListField, serializers.DictField)):
        _bound(field.child)
        return
    else:
        return
    if check not in field.validators:
        field.validators = [*field.validators, check]


class BoundedFields:
    """Every writable date, datetime and number field of the serializer refuses values outside
    the ranges of ``lib.bounds`` (a field error, not a database failure)."""

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        for field in fields.values():
            _bound(field)
        return fields


class Serializer(BoundedFields, serializers.Serializer):  # type: ignore[type-arg]
    """Base of every plain serializer (inputs and computed outputs) of the API."""


class ModelSerializer(BoundedFields, serializers.ModelSerializer):  # type: ignore[type-arg]
    """Base of every model serializer of the API."""


class ScopedWritePermission(permissions.BasePermission):
    """Reads follow ``visible_to``; writes need the model's ``editable_by`` predicate."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(view.can_write(request.user))

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(view.get_editable_queryset().filter(pk=obj.pk).exists())


def save_through_service(serializer: Any, service: Service, *, model: Any, by: Any) -> Any:
    """Save a valid serializer's data through ``service(obj, *, by, **extra)``.

    The validated column values are put on the row (``serializer.instance``, or a new
    ``model()``); everything else (many-to-many values, fields that are not columns such as
    a point's ``crs``) goes to the service by name. The saved row becomes
    ``serializer.instance``, so ``serializer.data`` shows it.
    """
    instance = serializer.instance or model()
    columns = {f.name for f in instance._meta.concrete_fields}
    extra: dict[str, Any] = {}
    for key, value in serializer.validated_data.items():
        if key in columns:
            setattr(instance, key, value)
        else:
            extra[key] = value
    serializer.instance = service(instance, by=by, **extra)
    return serializer.instance


class ScopedModelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """CRUD over a model with the row scope of ``visible_to`` and ``editable_by``.

    Subclasses declare ``queryset``, ``serializer_class`` and ``filterset_class`` (the
    same FilterSet as the UI list). ``perform_save`` is where a service is called.
    """

    # (The docstring above is also the API description of every viewset without its own, so
    # it stays as the published schema has it.) Subclasses also name the services that
    # write: ``save_service(obj, *, by, **extra)`` for POST/PUT/PATCH and
    # ``delete_service(obj, *, by)`` for DELETE. There is no default save or delete: a
    # subclass that allows a write and names no service (nor overrides ``perform_save`` /
    # ``destroy``) fails when its class is defined.

    permission_classes = [ScopedWritePermission]
    lookup_value_regex = r"\d+"
    save_service: ClassVar[Service | None] = None
    delete_service: ClassVar[Service | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        bind_services(cls, "save_service", "delete_service")
        methods = {m.lower() for m in cls.http_method_names}
        if methods & {"post", "put", "patch"}:
            require_service(cls, "save_service", unless="perform_save", base=ScopedModelViewSet)
        if "delete" in methods:
            require_service(cls, "delete_service", unless="destroy", base=ScopedModelViewSet)

    def get_queryset(self) -> QuerySet[Any]:
        qs = super().get_queryset()
        return qs.visible_to(self.request.user)  # type: ignore[attr-defined,no-any-return]

    def get_editable_queryset(self) -> QuerySet[Any]:
        return self.queryset.editable_by(self.request.user)  # type: ignore[union-attr,no-any-return]

    def can_write(self, user: Any) -> bool:
        return bool(user.scope.manages_config)

    def perform_create(self, serializer: Any) -> None:
        self.perform_save(serializer)

    def perform_update(self, serializer: Any) -> None:
        self.perform_save(serializer)

    def perform_destroy(self, instance: Any) -> None:
        assert self.delete_service is not None  # checked when the class was defined
        self.delete_service(instance, by=self.request.user)

    def perform_save(self, serializer: Any) -> None:
        assert self.save_service is not None  # checked when the class was defined
        model = self.get_queryset().model
        save_through_service(serializer, self.save_service, model=model, by=self.request.user)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
