"""Open311 management in a real browser: the office issues a key and sets up attributes."""

from __future__ import annotations

from typing import Any

import pytest

from chuangwei.open311.tests.conftest import ledger, o311  # noqa: F401
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_issues_a_key_and_sets_up_attributes(
    o311: dict[str, Any],  # noqa: F811
    page_as: Any,
) -> None:
    from chuangwei.open311.models import Open311Client, ServiceAttribute
    from chuangwei.open311.selectors import client_for_key

    page = page_as("office")
    assert page.locator("a[href='/open311/v2/manage/clients/']").count() == 1  # in the menu
    page.goto(f"{page.base}/open311/v2/manage/clients/")
    assert page.locator("table").inner_text().count("市民随手拍") == 1
    shot(page, "open311-clients")
    page.click("text=新增")
    page.fill("#id_name", "12345 热线对接")
    page.fill("#id_contact", "王工 0632-1234567")
    page.fill("#id_rate_limit", "60")
    page.click("button.btn-primary[type=submit]")
    key = page.locator("#api-key").inner_text()
    assert key.startswith("o311_")
    assert client_for_key(key) == Open311Client.objects.get(name="12345 热线对接")
    shot(page, "open311-key-once")
    page.click("text=完成")
    assert "12345 热线对接" in page.locator("h1").inner_text()
    assert key not in page.content()
    shot(page, "open311-client-detail")
    page.goto(f"{page.base}/open311/v2/manage/attributes/")
    page.click("text=为没有附加问题的服务创建默认问题")
    page.wait_for_selector("text=已创建 6 个默认附加问题")
    assert ServiceAttribute.objects.count() == 6
    shot(page, "open311-attributes")
    assert page.console_errors == []
