"""Problem states, actions, sources and their colours (DESIGN.md §3.4, §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProblemStatus(models.TextChoices):
    VERIFYING_REPORT = "verifying_report", _("Awaiting confirmation")
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    DISPATCHED = "dispatched", _("Dispatched")
    PAUSED = "paused", _("Paused")
    SUBMITTED = "submitted", _("Awaiting verification")
    CLOSED = "closed", pgettext_lazy("problem status", "Closed")
    VOIDED = "voided", _("Voided")
    MERGED = "merged", _("Merged")


PROBLEM_STATUS_COLORS = {
    ProblemStatus.VERIFYING_REPORT: "warning",
    ProblemStatus.REPORTED: "info",
    ProblemStatus.ACCEPTED: "primary",
    ProblemStatus.DISPATCHED: "primary",
    ProblemStatus.PAUSED: "secondary",
    ProblemStatus.SUBMITTED: "warning",
    ProblemStatus.CLOSED: "success",
    ProblemStatus.VOIDED: "secondary",
    ProblemStatus.MERGED: "secondary",
}

OPEN_STATUSES = frozenset(
    {
        ProblemStatus.VERIFYING_REPORT,
        ProblemStatus.REPORTED,
        ProblemStatus.ACCEPTED,
        ProblemStatus.DISPATCHED,
        ProblemStatus.PAUSED,
        ProblemStatus.SUBMITTED,
    }
)
# States in which the deadline clock runs (the unit owes a fix).
CLOCK_STATUSES = frozenset({ProblemStatus.DISPATCHED})
FINAL_STATUSES = frozenset({ProblemStatus.CLOSED, ProblemStatus.VOIDED, ProblemStatus.MERGED})


class ProblemAction(models.TextChoices):
    REPORT = "report", _("Report")
    CONFIRM_REPORT = "confirm_report", _("Confirm report")
    ACCEPT = "accept", _("Accept")
    VOID = "void", _("Void")
    MERGE = "merge", _("Merge as duplicate")
    DISPATCH = "dispatch", _("Dispatch")
    RETURN = "return", _("Return")
    REQUEST_EXTENSION = "request_extension", _("Request extension")
    APPROVE_EXTENSION = "approve_extension", _("Approve extension")
    REJECT_EXTENSION = "reject_extension", _("Reject extension")
    REQUEST_PAUSE = "request_pause", _("Request pause")
    APPROVE_PAUSE = "approve_pause", _("Approve pause")
    REJECT_PAUSE = "reject_pause", _("Reject pause")
    RESUME = "resume", _("Resume")
    SUBMIT = "submit", _("Submit rectification")
    VERIFY_PASS = "verify_pass", _("Verification passed")
    VERIFY_FAIL = "verify_fail", _("Verification failed")
    SELF_FIX = "self_fix", _("Fixed on the spot")
    REOPEN = "reopen", _("Reopen")
    # Events that do not move the status.
    COMMENT = "comment", _("Comment")
    REMIND = "remind", _("Reminder")
    WARN = "warn", _("Deadline approaching")
    OVERDUE = "overdue", _("Overdue")
    ESCALATE = "escalate", _("Escalation")
    UPDATE = "update", _("Update")
    ADD_PHOTO = "add_photo", _("Photo added")


class ProblemSource(models.TextChoices):
    NATIONAL_COVERT = "national_covert", _("National covert inspection")
    PROVINCIAL_COVERT = "provincial_covert", _("Provincial covert inspection")
    CITY_SUPERVISION = "city_supervision", _("City supervision")
    MOCK_COVERT = "mock_covert", _("Mock covert inspection")
    COVERT_CHECK = "covert_check", _("Covert check")
    OPEN_CHECK = "open_check", _("Open inspection")
    CROSS_CHECK = "cross_check", _("Cross inspection")
    ROUTINE_CHECK = "routine_check", _("Routine inspection")
    LEADER = "leader", _("Leader instruction")
    GRID_PATROL = "grid_patrol", _("Grid worker patrol")
    DEPARTMENT_CHECK = "department_check", _("Department self-check")
    CITIZEN = "citizen", _("Citizen complaint")
    SUPERVISOR = "supervisor", _("Volunteer supervisor")
    HOTLINE = "hotline", _("12345 hotline")
    MEDIA = "media", _("Media exposure")
    OPEN311 = "open311", _("Open311")


# Sources whose findings stay inside the administration: covert and official inspections,
# leaders' instructions and departments' self-checks. Public surfaces (Open311, citizen
# pages) never show these problems, so a covert inspection stays covert.
INTERNAL_SOURCES = frozenset(
    {
        ProblemSource.NATIONAL_COVERT,
        ProblemSource.PROVINCIAL_COVERT,
        ProblemSource.CITY_SUPERVISION,
        ProblemSource.MOCK_COVERT,
        ProblemSource.COVERT_CHECK,
        ProblemSource.OPEN_CHECK,
        ProblemSource.CROSS_CHECK,
        ProblemSource.ROUTINE_CHECK,
        ProblemSource.LEADER,
        ProblemSource.DEPARTMENT_CHECK,
    }
)

# Sources whose reports a grid worker confirms on site (核实) before acceptance.
CONFIRMED_SOURCES = frozenset(
    {ProblemSource.CITIZEN, ProblemSource.SUPERVISOR, ProblemSource.OPEN311}
)


class PhotoKind(models.TextChoices):
    BEFORE = "before", _("Before")
    AFTER = "after", _("After")
    VERIFICATION = "verification", _("Verification")


class RequestKind(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    PAUSE = "pause", _("Pause")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


REQUEST_STATUS_COLORS = {
    RequestStatus.PENDING: "warning",
    RequestStatus.APPROVED: "success",
    RequestStatus.REJECTED: "danger",
}


class EscalationLevel(models.IntegerChoices):
    NONE = 0, _("None")
    SUPERVISE = 1, _("Supervision (督办)")
    CIRCULATE = 2, _("Circulated criticism (通报)")
    INTERVIEW = 3, _("Interview of the unit head (约谈)")


ESCALATION_COLORS = {1: "warning", 2: "danger", 3: "dark"}
