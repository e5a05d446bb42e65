from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle


class ObtainTokenView(ObtainAuthToken):
    """POST username and password to get the API token of that user (throttled)."""

    throttle_classes = [AnonRateThrottle]
