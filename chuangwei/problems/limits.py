"""The one length limit of each free-text field of a problem, for every entry path.

The report page, the phone page, the citizen page, the API, Open311, the Excel import and
the services all read these numbers, so a text accepted by one path is accepted by all and
one character more is refused by all (``services.check_length`` is the rule; forms and
serializers repeat it only to mark the field early). Fields with a database ``max_length``
take it from the model; text columns without one get their limit here.
"""

from __future__ import annotations

from chuangwei.core.limits import column_length

from .models import Problem

# Problem.description and event notes are text columns: these are their limits.
DESCRIPTION = 2000
NOTE = 2000

ADDRESS = column_length(Problem, "address")
REPORTER_NAME = column_length(Problem, "reporter_name")
PHONE = column_length(Problem, "reporter_phone")
