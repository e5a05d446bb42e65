"""The home page's ledger counts follow the user's scope."""

from datetime import timedelta

from django.utils import timezone

from chuangwei.problems import services
from chuangwei.problems.selectors import ledger_counts

from .conftest import IN_B


def test_ledger_counts_are_scoped(report, ledger):
    now = timezone.now()
    report(at=now - timedelta(hours=1))
    overdue = report(at=now - timedelta(days=10))
    services.dispatch_problem(overdue, by=ledger["office"], now=now - timedelta(days=10))
    report(at=now - timedelta(hours=1), point=IN_B)
    counts = ledger_counts(ledger["handler_a"], now)
    assert (counts.open, counts.overdue, counts.closed_7d) == (2, 1, 0)
    assert ledger_counts(ledger["office"], now).open == 3
    assert ledger_counts(ledger["handler_b"], now).open == 1


def test_home_page_links_to_the_overdue_list(client_as, ledger):
    response = client_as("handler_a").get("/")
    assert response.status_code == 200
    assert b'href="/problems/overdue/"' in response.content
