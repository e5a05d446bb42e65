from chuangwei.problems.tests.conftest import ledger  # noqa: F401 - fixture
from chuangwei.reports.tests.conftest import make_problem, march  # noqa: F401 - fixtures
