"""The app's routes, for tests; the project registers the same viewsets in api_urls.py."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet)
router.register("outbox-messages", views.OutboxMessageViewSet)

urlpatterns = router.urls
