"""Sign-in throttling on the login page and the token endpoint: per username+address
(django-axes, 5 failures), per address across usernames (accounts.throttle), and a locked
answer of its own that reveals neither the account nor the password."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from chuangwei.accounts import throttle

PASSWORD = "Test-pass-2026"
TOKEN_URL = "/api/v1/auth/token/"
WINDOW_END = 1_800_000_000  # the stopped rate-limit clock (conftest)


def _fail_token(client: APIClient, username: str, times: int = 1) -> list[int]:
    """Sign in with a wrong password ``times`` times; the statuses (the tests assert what
    follows)."""
    return [
        client.post(TOKEN_URL, {"username": username, "password": "wrong"}).status_code
        for _ in range(times)
    ]


def _locked_body(wait: int) -> dict[str, Any]:
    with translation.override("zh-hans"):
        message = throttle.locked_message(wait)
    return {"error": {"code": "locked", "message": message, "fields": {}}}


def _address_window_left() -> int:
    from django_ratelimit.core import _get_window

    return int(_get_window("127.0.0.1", 15 * 60)) - WINDOW_END


def test_token_wrong_password_is_400_invalid(personas):
    response = APIClient().post(TOKEN_URL, {"username": "handler_a", "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_token_right_password_returns_the_token(personas):
    from rest_framework.authtoken.models import Token

    response = APIClient().post(TOKEN_URL, {"username": "handler_a", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=personas["handler_a"]).key}


def test_token_locked_account_gets_429_locked_even_with_the_right_password(personas):
    client = APIClient()
    _fail_token(client, "handler_a", 5)
    response = client.post(TOKEN_URL, {"username": "handler_a", "password": PASSWORD})
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 840 < wait <= 900
    assert response.json() == _locked_body(wait)


def test_token_locked_answer_is_the_same_for_an_unknown_username(personas):
    client = APIClient()
    _fail_token(client, "nobody_here", 5)
    response = client.post(TOKEN_URL, {"username": "nobody_here", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json() == _locked_body(int(response["Retry-After"]))


def test_token_fifth_failure_already_answers_locked(personas):
    client = APIClient()
    assert _fail_token(client, "handler_a", 4) == [400, 400, 400, 400]
    response = client.post(TOKEN_URL, {"username": "handler_a", "password": "wrong"})
    assert (response.status_code, response.json()["error"]["code"]) == (429, "locked")


def test_token_spraying_usernames_locks_the_address(personas, settings):
    settings.CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    client = APIClient()
    for n in range(8):
        _fail_token(client, f"guess{n}")
    response = client.post(TOKEN_URL, {"username": "handler_a", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == _address_window_left()
    assert response.json() == _locked_body(_address_window_left())


def test_token_spraying_does_not_lock_another_address(personas, settings):
    settings.CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    client = APIClient()
    for n in range(8):
        _fail_token(client, f"guess{n}")
    other = APIClient(REMOTE_ADDR="10.0.0.9")
    response = other.post(TOKEN_URL, {"username": "handler_a", "password": PASSWORD})
    assert response.status_code == 200


def test_below_the_address_limit_other_usernames_still_sign_in(personas, settings):
    settings.CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    client = APIClient()
    for n in range(7):
        _fail_token(client, f"guess{n}")
    response = client.post(TOKEN_URL, {"username": "handler_a", "password": PASSWORD})
    assert response.status_code == 200


def test_address_limit_defaults_higher_than_the_account_limit(settings):
    assert (settings.AXES_FAILURE_LIMIT, settings.CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT) == (5, 30)


def _login(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_locked_account_gets_429_with_a_chinese_message(personas):
    client = Client()
    for _ in range(5):
        _login(client, "handler_a", "wrong")
    response = _login(client, "handler_a", PASSWORD)
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    with translation.override("zh-hans"):
        assert throttle.locked_message(wait) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_wrong_password_is_not_called_locked(personas):
    response = _login(Client(), "handler_a", "wrong")
    assert response.status_code == 200
    assert response.context.get("locked_message") is None
    assert response.context["form"].errors["__all__"] == ["用户名或密码错误"]
    assert "Retry-After" not in response


def test_login_page_spraying_usernames_locks_the_address(personas, settings):
    settings.CHUANGWEI_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    client = Client()
    for n in range(8):
        _login(client, f"guess{n}", "wrong")
    response = _login(client, "handler_a", PASSWORD)
    assert (response.status_code, int(response["Retry-After"])) == (429, _address_window_left())
    assert "_auth_user_id" not in client.session


def test_login_page_locked_answer_is_the_same_for_an_unknown_username(personas):
    pages = []
    for username in ("handler_a", "nobody_here"):
        client = Client()
        for _ in range(5):
            _login(client, username, "wrong")
        response = _login(client, username, PASSWORD)
        pages.append((response.status_code, response.context["locked_message"]))
    assert pages[0] == pages[1]
    assert pages[0][0] == 429


def test_token_endpoint_documents_its_answers():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    responses = schema["paths"][TOKEN_URL]["post"]["responses"]
    assert {"200", "400", "429"} <= set(responses)
    assert set(responses["429"]["headers"]) == {"Retry-After"}
    assert all("content" in responses[code] for code in ("200", "400", "429"))
