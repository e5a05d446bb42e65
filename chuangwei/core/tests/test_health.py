import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_health_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_the_database_fails(client, monkeypatch):
    from chuangwei.core import views_pages

    class Broken:
        def __enter__(self):
            raise DatabaseError("gone")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(views_pages.connection, "cursor", lambda: Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
