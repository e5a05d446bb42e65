"""Fixtures of the readiness tests."""

from .dossier_fixtures import dossier_world  # noqa: F401 - fixture
