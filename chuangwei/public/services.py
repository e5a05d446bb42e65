"""Every write of the public side. Views stay thin; errors are DomainError subclasses and
on any error nothing changes (validate first, then write in one transaction).

Citizen reports go through the ledger (``problems.services.report_problem``); a
dissatisfied rating goes back to the office through ``reopen_for_review``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chuangwei.accounts.permissions import is_office
from chuangwei.core.errors import Conflict, InvalidInput, NotAllowed
from chuangwei.core.limits import check_length, column_length
from chuangwei.lib import geo
from chuangwei.notifications.choices import Channel
from chuangwei.notifications.models import OutboxMessage
from chuangwei.notifications.services import deliver_messages
from chuangwei.org.models import OrgUnit
from chuangwei.problems import services as ledger
from chuangwei.problems.choices import ProblemSource, ProblemStatus
from chuangwei.problems.models import Problem, ProblemEvent
from chuangwei.problems.services import Upload
from chuangwei.standards.models import ProblemCategory

from .choices import (
    PUBLIC_SOURCES,
    SURVEY_DISTRICT_KINDS,
    ExposureStatus,
    PublicationStatus,
    Satisfaction,
    SurveyKind,
)
from .models import (
    CitizenReport,
    Exposure,
    Poll,
    PollBallot,
    PollOption,
    PublicCategory,
    SatisfactionRating,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from .selectors import public_stage, shanghai_day

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
MAX_PHOTOS = 9
DEFAULT_PHONE_DAILY_CAP = 5

# Icons (Bootstrap Icons) for the citizen category grid, by category code.
ICONS: dict[str, str] = {
    "06010": "bi-trash",
    "06012": "bi-signpost-split",
    "06029": "bi-fire",
    "06036": "bi-box-seam",
    "06042": "bi-trash3",
    "07001": "bi-file-earmark-text",
    "09006": "bi-shop",
    "03001": "bi-badge-wc",
    "03005": "bi-wrench-adjustable",
    "CW01001": "bi-bug",
    "CW03003": "bi-ban",
}
DEFAULT_ICON = "bi-exclamation-circle"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def phone_daily_cap() -> int:
    return int(getattr(settings, "CHUANGWEI_PUBLIC_PHONE_DAILY_CAP", DEFAULT_PHONE_DAILY_CAP))


def clean_phone(phone: str, field: str = "phone") -> str:
    """A mainland mobile number (11 digits starting 1[3-9]) or "" when none was given."""
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not PHONE_RE.match(phone):
        raise InvalidInput(
            _("Enter an 11-digit mobile number."),
            code="bad_phone",
            fields={field: [_("Enter an 11-digit mobile number.")]},
        )
    return phone


def _require_office(by: Any) -> None:
    if not is_office(by):
        raise NotAllowed()


# Categories ------------------------------------------------------------------------------


def sync_public_categories() -> int:
    """Create the citizen category for every active category with a public name.

    Idempotent: existing rows (and the office's changes to them) are kept. Returns how
    many rows were created.
    """
    existing = set(PublicCategory.objects.values_list("category_id", flat=True))
    rows = [
        PublicCategory(
            category=category,
            name=category.public_name,
            description=category.description[:200],
            icon=ICONS.get(category.code, DEFAULT_ICON),
            sort_order=index,
        )
        for index, category in enumerate(
            ProblemCategory.objects.filter(is_active=True)
            .exclude(public_name="")
            .order_by("sort_order", "code")
        )
        if category.pk not in existing
    ]
    PublicCategory.objects.bulk_create(rows)
    # Rows made before a category had its own icon get it (an office's choice is kept).
    for code, icon in ICONS.items():
        PublicCategory.objects.filter(category__code=code, icon=DEFAULT_ICON).update(icon=icon)
    return len(rows)


def set_category_verification(
    public_category: PublicCategory, *, needs_verification: bool, by: Any
) -> PublicCategory:
    """Switch on-site confirmation (核实) for citizen reports of this category."""
    _require_office(by)
    public_category.needs_verification = needs_verification
    public_category.save(update_fields=["needs_verification", "updated_at"])
    return public_category


# Citizen reports -----------------------------------------------------------------------


def submit_citizen_report(
    *,
    public_category: PublicCategory | None,
    lng: Any,
    lat: Any,
    uploads: Sequence[Upload],
    crs: str = geo.CRS_WGS84,
    description: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    notify: bool = False,
    device_id: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Problem:
    """Record a citizen's report (随手拍) as a ledger problem with source ``citizen``.

    Checks the category, the photos (1–9), the phone and its daily cap before the ledger
    validates the point and every photo; nothing is stored on any error. Reports of a
    category that needs confirmation wait for a grid worker (核实).
    """
    now = _now(now)
    if public_category is None or not public_category.is_active:
        raise InvalidInput(
            _("Choose what kind of problem it is."),
            code="unknown_category",
            fields={"category": [_("Choose what kind of problem it is.")]},
        )
    if not uploads:
        raise InvalidInput(
            _("Add at least one photo."),
            code="photo_required",
            fields={"photos": [_("Add at least one photo.")]},
        )
    if len(uploads) > MAX_PHOTOS:
        raise InvalidInput(
            _("At most %(n)d photos can be sent.") % {"n": MAX_PHOTOS},
            code="too_many_photos",
            fields={"photos": [_("At most %(n)d photos can be sent.") % {"n": MAX_PHOTOS}]},
        )
    if crs not in geo.CRS_CHOICES:
        raise InvalidInput(
            _("The location could not be read. Tap the map again."),
            code="unknown_crs",
            fields={"lng": [_("The location could not be read. Tap the map again.")]},
        )
    phone = clean_phone(phone)
    email = (email or "").strip()
    if notify and not (phone or email):
        raise InvalidInput(
            _("Give a phone number or an e-mail address to receive updates."),
            code="notify_without_contact",
            fields={"phone": [_("Give a phone number or an e-mail address to receive updates.")]},
        )
    day = shanghai_day(now)
    with transaction.atomic():
        if phone:
            sent_today = CitizenReport.objects.select_for_update().filter(phone=phone, day=day)
            if len(list(sent_today)) >= phone_daily_cap():
                raise Conflict(
                    _("This phone number has reached today's limit of %(n)d reports.")
                    % {"n": phone_daily_cap()},
                    code="phone_daily_cap",
                    fields={"phone": [_("Today's limit for this number is reached.")]},
                )
        problem = ledger.report_problem(
            source=ProblemSource.CITIZEN,
            category=public_category.category,
            lng=lng,
            lat=lat,
            crs=crs,
            by=None,
            description=description.strip(),
            address=address.strip(),
            uploads=uploads,
            reporter_phone=phone,
            needs_confirmation=public_category.needs_verification,
            now=now,
        )
        CitizenReport.objects.create(
            problem=problem,
            device_id=device_id[:64],
            ip=ip or None,
            phone=phone,
            email=email,
            notify=notify,
            created_at=now,
            day=day,
        )
    return problem


def rate_problem(
    problem: Problem,
    *,
    level: str,
    comment: str = "",
    device_id: str = "",
    now: datetime | None = None,
) -> SatisfactionRating:
    """The citizen rates a closed problem (满意 / 基本满意 / 不满意), once per closing.

    不满意 sends the problem back to the office for review (``reopen_for_review``) in the
    same transaction.
    """
    now = _now(now)
    if level not in Satisfaction.values:
        raise InvalidInput(
            _("Choose a rating."), code="bad_rating", fields={"level": [_("Choose a rating.")]}
        )
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise InvalidInput(
            _("The comment is too long (at most 500 characters)."),
            code="comment_too_long",
            fields={"comment": [_("At most 500 characters.")]},
        )
    if level == Satisfaction.DISSATISFIED and not comment:
        raise InvalidInput(
            _("Tell us what is still wrong."),
            code="comment_required",
            fields={"comment": [_("Tell us what is still wrong.")]},
        )
    closed_at = problem.closed_at
    if problem.status != ProblemStatus.CLOSED or closed_at is None:
        raise Conflict(_("Only a closed problem can be rated."), code="not_closed")
    try:
        with transaction.atomic():
            rating = SatisfactionRating.objects.create(
                problem=problem,
                closed_at=closed_at,
                level=level,
                comment=comment,
                device_id=device_id[:64],
                created_at=now,
            )
            if level == Satisfaction.DISSATISFIED:
                ledger.reopen_for_review(
                    problem,
                    note=gettext("Citizen dissatisfied: %(comment)s") % {"comment": comment},
                    now=now,
                )
    except IntegrityError as exc:
        raise Conflict(_("This problem has already been rated."), code="already_rated") from exc
    return rating


# Status updates to citizens who opted in -----------------------------------------------


def citizen_update(event: ProblemEvent) -> list[OutboxMessage]:
    """Queue an SMS/e-mail to an opted-in citizen when the public stage of their problem
    changes (提交 → 受理 → 处理中 → 办结). Called after the event's transaction commits."""
    if not event.to_status or public_stage(event.to_status) == public_stage(event.from_status):
        return []
    report = (
        CitizenReport.objects.select_related("problem")
        .filter(problem_id=event.problem_id, notify=True)
        .first()
    )
    if report is None:
        return []
    problem = report.problem
    stage = public_stage(event.to_status)
    subject = gettext("Your report %(code)s: %(stage)s") % {
        "code": problem.tracking_code,
        "stage": stage.label,
    }
    body = gettext("Check the progress and rate the result with tracking code %(code)s.") % {
        "code": problem.tracking_code
    }
    from django.urls import reverse

    link = reverse("public:track", args=[problem.tracking_code])
    rows = []
    for channel, address in ((Channel.SMS, report.phone), (Channel.EMAIL, report.email)):
        if not address:
            continue
        rows.append(
            OutboxMessage.objects.get_or_create(
                dedupe_key=f"citizen-event:{event.pk}:{channel}",
                defaults={
                    "channel": channel,
                    "address": address,
                    "subject": subject,
                    "body": body,
                    "link": link,
                    "source": "problems.ProblemEvent",
                    "source_id": event.pk,
                    "next_attempt_at": event.created_at,
                },
            )[0]
        )
    if rows:
        transaction.on_commit(partial(deliver_messages, [r.pk for r in rows]), robust=True)
    return rows


# Exposure board (曝光台) ------------------------------------------------------------------


def propose_exposure(
    problem: Problem, *, title: str, summary: str = "", by: Any, now: datetime | None = None
) -> Exposure:
    """The office proposes a problem for the 曝光台; it is public only once approved."""
    _require_office(by)
    title = (title or "").strip()
    if not title:
        raise InvalidInput(
            _("A title is required."), code="missing_title", fields={"title": [_("Required.")]}
        )
    check_length(title, column_length(Exposure, "title"), field="title", label=_("Title"))
    if problem.status in (ProblemStatus.VOIDED, ProblemStatus.MERGED):
        raise InvalidInput(_("A voided or merged problem cannot be exposed."), code="bad_problem")
    _check_internal_exposable(problem)
    try:
        with transaction.atomic():
            return Exposure.objects.create(
                problem=problem,
                title=title,
                summary=(summary or "").strip(),
                created_by=by,
                created_at=_now(now),
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This problem is already on the exposure board or waiting for review."),
            code="already_exposed",
        ) from exc


def _check_internal_exposable(problem: Problem) -> None:
    """A finding of an internal inspection (暗访, 督查 …) reaches the 曝光台 only once fixed."""
    if problem.source not in PUBLIC_SOURCES and problem.status != ProblemStatus.CLOSED:
        raise InvalidInput(
            _(
                "This problem comes from an internal inspection; it can be exposed only "
                "after it has been fixed and closed."
            ),
            code="internal_source",
        )


# decision → (allowed from, target)
MODERATION: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({ExposureStatus.PENDING}), ExposureStatus.APPROVED),
    "reject": (frozenset({ExposureStatus.PENDING}), ExposureStatus.REJECTED),
    "withdraw": (
        frozenset({ExposureStatus.PENDING, ExposureStatus.APPROVED}),
        ExposureStatus.WITHDRAWN,
    ),
}


def moderate_exposure(
    exposure: Exposure, *, decision: str, by: Any, note: str = "", now: datetime | None = None
) -> Exposure:
    """Approve (publish), reject or withdraw an exposure (a guarded update)."""
    _require_office(by)
    now = _now(now)
    if decision not in MODERATION:
        raise InvalidInput(_("Unknown decision."), code="bad_decision")
    sources, target = MODERATION[decision]
    if exposure.status not in sources:
        raise Conflict(_("This item is no longer in a state for this decision."), code="stale")
    changes: dict[str, Any] = {
        "status": target,
        "moderated_by": by,
        "moderated_at": now,
        "moderation_note": check_length(
            (note or "").strip(),
            column_length(Exposure, "moderation_note"),
            field="note",
            label=_("Note"),
        ),
        "updated_at": now,
    }
    if target == ExposureStatus.APPROVED:
        _check_internal_exposable(exposure.problem)
        changes["published_at"] = now
    updated = Exposure.objects.filter(pk=exposure.pk, status=exposure.status).update(**changes)
    if not updated:
        raise Conflict(_("Someone else moderated this item first."), code="stale")
    for key, value in changes.items():
        setattr(exposure, key, value)
    return exposure


# Surveys -------------------------------------------------------------------------------

QuestionSpec = tuple[str, Sequence[tuple[str, bool]]]


def _check_title(title: str, errors: dict[str, list[Any]]) -> None:
    """A survey's or poll's title: required, and no longer than its column (never cut)."""
    longest = column_length(Survey, "title")
    if not title.strip():
        errors["title"] = [_("Required.")]
    elif len(title.strip()) > longest:
        errors["title"] = [_("At most %(limit)s characters.") % {"limit": longest}]


def create_survey(
    *,
    title: str,
    kind: str,
    questions: Sequence[QuestionSpec],
    description: str = "",
    status: str = PublicationStatus.DRAFT,
    by: Any,
) -> Survey:
    """A questionnaire of single-choice questions; each choice says whether it counts as
    positive (satisfied / aware / supporting)."""
    _require_office(by)
    errors: dict[str, list[Any]] = {}
    _check_title(title, errors)
    if kind not in SurveyKind.values:
        errors["kind"] = [_("Choose a kind.")]
    if status not in PublicationStatus.values:
        errors["status"] = [_("Unknown status.")]
    if not questions or any(len(choices) < 2 or not text.strip() for text, choices in questions):
        errors["questions"] = [_("Every question needs a text and at least two choices.")]
    elif any(len(text.strip()) > column_length(SurveyQuestion, "text") for text, _c in questions):
        errors["questions"] = [
            _("Each question has at most %(limit)s characters.")
            % {"limit": column_length(SurveyQuestion, "text")}
        ]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        survey = Survey.objects.create(
            title=title.strip(), kind=kind, description=description, status=status
        )
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(
                survey=survey,
                text=text.strip(),
                sort_order=index,
                choices=[{"label": label, "positive": bool(pos)} for label, pos in choices],
            )
            for index, (text, choices) in enumerate(questions)
        )
    return survey


def set_publication_status(obj: Survey | Poll, *, status: str, by: Any) -> None:
    """Open or close a survey or poll."""
    _require_office(by)
    if status not in PublicationStatus.values:
        raise InvalidInput(_("Unknown status."), code="bad_status")
    type(obj).objects.filter(pk=obj.pk).update(status=status, updated_at=timezone.now())
    obj.status = status


def _districts() -> Any:
    """The units a respondent picks from: districts and counties, and development zones."""
    return OrgUnit.objects.filter(kind__in=SURVEY_DISTRICT_KINDS).order_by("code")


def submit_survey(
    survey: Survey,
    *,
    district_id: Any,
    answers: Mapping[int, Any],
    device_id: str,
    now: datetime | None = None,
) -> SurveyResponse:
    """One citizen's answers: every question answered with a valid choice, once per
    device."""
    now = _now(now)
    if survey.status != PublicationStatus.OPEN:
        raise Conflict(_("This survey is not open."), code="survey_closed")
    errors: dict[str, list[Any]] = {}
    district = _districts().filter(pk=_int(district_id)).first()
    if district is None:
        errors["district"] = [_("Choose your district.")]
    questions = list(survey.questions.all())
    chosen: list[tuple[SurveyQuestion, int]] = []
    for question in questions:
        index = _int(answers.get(question.pk))
        if index is None or not 0 <= index < len(question.choices):
            errors[f"q{question.pk}"] = [_("Choose an answer.")]
        else:
            chosen.append((question, index))
    if errors:
        raise InvalidInput(_("Answer every question."), code="incomplete", fields=errors)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey, district=district, device_id=device_id[:64], submitted_at=now
            )
            SurveyAnswer.objects.bulk_create(
                SurveyAnswer(
                    response=response,
                    question=q,
                    choice=i,
                    positive=bool(q.choices[i].get("positive")),
                )
                for q, i in chosen
            )
    except IntegrityError as exc:
        raise Conflict(
            _("This device has already answered the survey."), code="already_answered"
        ) from exc
    return response


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Polls -----------------------------------------------------------------------------------


def create_poll(
    *,
    title: str,
    options: Iterable[str],
    max_choices: int = 1,
    description: str = "",
    status: str = PublicationStatus.DRAFT,
    by: Any,
) -> Poll:
    _require_office(by)
    labels = [o.strip() for o in options if o and o.strip()]
    errors: dict[str, list[Any]] = {}
    _check_title(title, errors)
    if len(labels) < 2:
        errors["options"] = [_("A poll needs at least two options.")]
    longest = column_length(PollOption, "label")
    if any(len(label) > longest for label in labels):
        errors["options"] = [
            _("Each option has at most %(limit)s characters.") % {"limit": longest}
        ]
    if not 1 <= max_choices <= max(len(labels), 1):
        errors["max_choices"] = [_("Between one and the number of options.")]
    if status not in PublicationStatus.values:
        errors["status"] = [_("Unknown status.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        poll = Poll.objects.create(
            title=title.strip(), description=description, max_choices=max_choices, status=status
        )
        PollOption.objects.bulk_create(
            PollOption(poll=poll, label=label, sort_order=i) for i, label in enumerate(labels)
        )
    return poll


def cast_ballot(
    poll: Poll,
    *,
    option_ids: Iterable[Any],
    device_id: str,
    phone: str = "",
    now: datetime | None = None,
) -> PollBallot:
    """One ballot per device and per phone, with 1..max_choices distinct options."""
    now = _now(now)
    if poll.status != PublicationStatus.OPEN:
        raise Conflict(_("This poll is not open."), code="poll_closed")
    if not device_id:
        raise InvalidInput(
            _("Voting needs cookies: allow them and reload the page."), code="no_device"
        )
    phone = clean_phone(phone)
    ids = {i for i in (_int(v) for v in option_ids) if i is not None}
    options = list(PollOption.objects.filter(poll=poll, pk__in=ids))
    if not options or len(options) != len(ids):
        raise InvalidInput(
            _("Choose at least one option."),
            code="no_choice",
            fields={"options": [_("Choose at least one option.")]},
        )
    if len(options) > poll.max_choices:
        raise InvalidInput(
            _("Choose at most %(n)d options.") % {"n": poll.max_choices},
            code="too_many_choices",
            fields={"options": [_("Choose at most %(n)d options.") % {"n": poll.max_choices}]},
        )
    try:
        with transaction.atomic():
            ballot = PollBallot.objects.create(
                poll=poll, device_id=device_id[:64], phone=phone, created_at=now
            )
            ballot.options.set(options)
    except IntegrityError as exc:
        raise Conflict(
            _("This device or phone number has already voted."), code="already_voted"
        ) from exc
    return ballot
