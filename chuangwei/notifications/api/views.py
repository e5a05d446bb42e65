from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from chuangwei.accounts.permissions import ManagesConfig

from .. import services
from ..filters import NotificationFilter, OutboxMessageFilter
from ..models import Notification, OutboxMessage
from .serializers import MarkAllReadOutput, NotificationSerializer, OutboxMessageSerializer


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """The signed-in user's own inbox, newest first; nobody reads another's."""

    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read (reading it again keeps the first time)."""
        notification = services.mark_read(self.get_object(), by=request.user)  # type: ignore[arg-type]
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=MarkAllReadOutput)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification of the signed-in user read."""
        user = request.user
        updated = services.mark_all_read(user, by=user)  # type: ignore[arg-type]
        return Response(MarkAllReadOutput({"updated": updated}).data)


class OutboxMessageViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Every outgoing message and its delivery state (office and admin only)."""

    queryset = OutboxMessage.objects.select_related("recipient")
    serializer_class = OutboxMessageSerializer
    filterset_class = OutboxMessageFilter
    permission_classes = [ManagesConfig]
    lookup_value_regex = r"\d+"

    @extend_schema(request=None, responses=OutboxMessageSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str | None = None) -> Response:
        """Queue a failed or given-up message for an attempt now."""
        message = services.retry_message(self.get_object(), by=request.user)  # type: ignore[arg-type]
        message.refresh_from_db()  # delivery may already have run on commit
        return Response(OutboxMessageSerializer(message).data)
