"""How the generic views and viewsets reach the services that write.

``core.views.ObjectFormView``/``ObjectDeleteView`` and ``core.api.ScopedModelViewSet`` have
no save or delete of their own: each subclass names its app's services as class attributes
(``save_service = services.save_grid``, ``delete_service = services.delete_grid``), and a
subclass that names none is refused when its class is defined.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# A service kept as a class attribute: ``save_service = services.save_grid``.
Service = Callable[..., Any]


def bind_services(cls: type, *names: str) -> None:
    """Store plain functions named in ``names`` as staticmethods, so ``self.save_service``
    calls the service itself rather than a method bound to the view."""
    for name in names:
        value = cls.__dict__.get(name)
        if inspect.isfunction(value):
            setattr(cls, name, staticmethod(value))


def require_service(cls: type, name: str, *, unless: str, base: type) -> None:
    """Refuse a class that names no ``name`` service and does not override ``unless``."""
    if getattr(cls, name, None) is None and getattr(cls, unless) is getattr(base, unless):
        raise ImproperlyConfigured(
            f"{cls.__module__}.{cls.__qualname__} must name its {name} "
            f"(a service f(obj, *, by)) or override {unless}()."
        )
