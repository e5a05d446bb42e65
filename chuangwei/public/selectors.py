"""Reads of the public side: the citizen's view of a problem, statistics, survey and poll
results. Nothing here returns reporter data (name, phone, device) to public callers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangwei.problems.choices import PhotoKind, ProblemStatus
from chuangwei.problems.models import Problem, ProblemPhoto

from .choices import PUBLIC_SOURCES, SATISFIED_LEVELS, SURVEY_DISTRICT_KINDS
from .models import Poll, PollOption, SatisfactionRating, Survey, SurveyAnswer, SurveyResponse

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class Stage:
    key: str
    label: Any
    step: int  # 1..4 on the progress bar; 0 for ends outside it


SUBMITTED = Stage("submitted", pgettext_lazy("public stage", "Submitted"), 1)
ACCEPTED = Stage("accepted", pgettext_lazy("public stage", "Accepted"), 2)
HANDLING = Stage("handling", pgettext_lazy("public stage", "Being handled"), 3)
DONE = Stage("done", pgettext_lazy("public stage", "Completed"), 4)
NOT_ACCEPTED = Stage("not_accepted", pgettext_lazy("public stage", "Not accepted"), 0)
MERGED = Stage("merged", pgettext_lazy("public stage", "Merged with an earlier report"), 0)
# Public events that do not change the stage, named for the citizen.
EVENT_LABELS: dict[str, Any] = {
    "submit": _("Fixed; being checked"),
    "self_fix": _("Fixed; being checked"),
    "reopen": _("Sent back to the office for review"),
}
STAGES = (SUBMITTED, ACCEPTED, HANDLING, DONE)

_STAGE_OF: dict[str, Stage] = {
    ProblemStatus.VERIFYING_REPORT: SUBMITTED,
    ProblemStatus.REPORTED: SUBMITTED,
    ProblemStatus.ACCEPTED: ACCEPTED,
    ProblemStatus.DISPATCHED: HANDLING,
    ProblemStatus.PAUSED: HANDLING,
    ProblemStatus.SUBMITTED: HANDLING,
    ProblemStatus.CLOSED: DONE,
    ProblemStatus.VOIDED: NOT_ACCEPTED,
    ProblemStatus.MERGED: MERGED,
}


def public_stage(status: str) -> Stage:
    """The citizen's four steps (已提交 → 已受理 → 处理中 → 已办结) for a ledger status."""
    return _STAGE_OF.get(status, SUBMITTED)


def public_problems() -> Any:
    """Problems a citizen may see: those from public-facing sources (PUBLIC_SOURCES), never
    the findings of internal inspections (暗访, 督查, 交叉检查 …)."""
    return Problem.objects.filter(source__in=PUBLIC_SOURCES)


def problem_by_tracking_code(code: str) -> Problem | None:
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return None
    return (
        public_problems()
        .select_related("category", "unit", "category__public")
        .filter(tracking_code=code)
        .first()
    )


def public_duplicates(category_id: int, lng: float, lat: float, now: datetime) -> list[Any]:
    """The ledger's nearby open problems of the category (``find_duplicates``), keeping only
    those from public-facing sources: an internal inspection's finding is never offered."""
    from chuangwei.problems.selectors import find_duplicates

    found = find_duplicates(category_id, lng, lat, now)
    allowed = set(
        public_problems().filter(pk__in=[f.pk for f in found]).values_list("pk", flat=True)
    )
    return [f for f in found if f.pk in allowed]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    stage: Stage
    label: Any
    note: str
    photos: list[ProblemPhoto]


def public_timeline(problem: Problem) -> list[TimelineEntry]:
    """Newest first: each change of public stage, and the unit's public notes and photos.

    Staff names and internal notes are not shown; only events marked public keep their
    note (the unit's reply when it submits the fix, the citizen's own reopen note).
    """
    photos = defaultdict(list)
    for photo in problem.photos.exclude(kind=PhotoKind.BEFORE).order_by("created_at", "id"):
        photos[photo.event_id].append(photo)
    entries: list[TimelineEntry] = []
    for event in problem.events.order_by("created_at", "id"):
        stage_changed = bool(event.to_status) and (
            public_stage(event.to_status) != public_stage(event.from_status)
            or not event.from_status
        )
        if not (stage_changed or event.is_public):
            continue
        stage = public_stage(event.to_status or problem.status)
        note = event.note if event.is_public and event.action != "report" else ""
        label = EVENT_LABELS.get(event.action, stage.label)
        entries.append(
            TimelineEntry(event.created_at, stage, label, note, photos.get(event.pk, []))
        )
    return list(reversed(entries))


def public_photos(problem: Problem, kind: str) -> list[ProblemPhoto]:
    return list(problem.photos.filter(kind=kind).order_by("created_at", "id"))


# Progress statistics ------------------------------------------------------------------------


def month_bounds(now: datetime) -> tuple[datetime, datetime]:
    local = now.astimezone(SHANGHAI)
    start = datetime.combine(local.date().replace(day=1), time.min, tzinfo=SHANGHAI)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def rate(part: int, whole: int) -> float | None:
    """Percentage with one decimal, or None when there is nothing to divide (shown as --)."""
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class ProgressStats:
    by_stage: list[tuple[Stage, int]]
    reported_month: int
    closed_month: int
    on_time_rate: float | None
    ratings_month: int
    satisfaction_rate: float | None
    citizen_month: int


def progress_stats(now: datetime | None = None) -> ProgressStats:
    """City-wide progress of the problems from public-facing sources (internal inspections
    are left out): problems per public stage; this month's reports and closures, the
    on-time rate (closed on time / closed with a deadline) and the satisfaction rate
    ((满意 + 基本满意) / ratings)."""
    now = now or timezone.now()
    start, end = month_bounds(now)
    problems = public_problems()
    counts: dict[str, int] = defaultdict(int)
    for row in problems.values("status").annotate(n=Count("id")).order_by():
        counts[public_stage(row["status"]).key] += row["n"]
    month = problems.filter(reported_at__gte=start, reported_at__lt=end)
    closed = problems.filter(
        status=ProblemStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
    ).aggregate(
        n=Count("id"),
        timed=Count("id", filter=Q(closed_on_time__isnull=False)),
        on_time=Count("id", filter=Q(closed_on_time=True)),
    )
    ratings = SatisfactionRating.objects.filter(
        created_at__gte=start, created_at__lt=end, problem__source__in=PUBLIC_SOURCES
    ).aggregate(n=Count("id"), good=Count("id", filter=Q(level__in=SATISFIED_LEVELS)))
    return ProgressStats(
        by_stage=[(s, counts[s.key]) for s in (*STAGES, NOT_ACCEPTED)],
        reported_month=month.count(),
        closed_month=closed["n"],
        on_time_rate=rate(closed["on_time"], closed["timed"]),
        ratings_month=ratings["n"],
        satisfaction_rate=rate(ratings["good"], ratings["n"]),
        citizen_month=month.filter(source="citizen").count(),
    )


# Survey and poll results -------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictResult:
    district_id: int
    district: str
    responses: int
    answers: int
    positive: int
    rate: float | None
    by_question: dict[int, tuple[int, int, float | None]]  # question pk → (positive, answers, %)


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    start: date | None
    end: date | None
    rows: list[DistrictResult]
    total: DistrictResult
    questions: list[Any]


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def survey_results(
    survey: Survey, *, start: date | None = None, end: date | None = None
) -> SurveyResults:
    """Per district (and overall), in the period [start, end] (Shanghai days, inclusive):
    responses, answers, positive answers and the rate positive / answers — the
    satisfaction, awareness (知晓率) or support rate (支持率) of the survey's kind."""
    responses = SurveyResponse.objects.filter(survey=survey)
    answers = SurveyAnswer.objects.filter(response__survey=survey)
    if start:
        responses = responses.filter(submitted_at__gte=_day_start(start))
        answers = answers.filter(response__submitted_at__gte=_day_start(start))
    if end:
        limit = _day_start(end + timedelta(days=1))
        responses = responses.filter(submitted_at__lt=limit)
        answers = answers.filter(response__submitted_at__lt=limit)
    names: dict[int, str] = {}
    response_counts: dict[int, int] = {}
    for row in responses.values("district_id", "district__name").annotate(n=Count("id")).order_by():
        names[row["district_id"]] = row["district__name"]
        response_counts[row["district_id"]] = row["n"]
    cells: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for cell_row in (
        answers.values("response__district_id", "question_id")
        .annotate(n=Count("id"), good=Count("id", filter=Q(positive=True)))
        .order_by()
    ):
        cell = cells[cell_row["response__district_id"]][cell_row["question_id"]]
        cell[0] += cell_row["good"]
        cell[1] += cell_row["n"]
    questions = list(survey.questions.all())

    def cell_of(per_q: dict[int, list[int]], pk: int) -> tuple[int, int, float | None]:
        good, n = per_q.get(pk, [0, 0])
        return good, n, rate(good, n)

    def build(did: int, name: str, n: int, per_q: dict[int, list[int]]) -> DistrictResult:
        good = sum(c[0] for c in per_q.values())
        total = sum(c[1] for c in per_q.values())
        return DistrictResult(
            did,
            name,
            n,
            total,
            good,
            rate(good, total),
            {q.pk: cell_of(per_q, q.pk) for q in questions},
        )

    # Every district and development zone (by code), answered or not; then any other unit.
    from chuangwei.org.models import OrgUnit

    units = list(
        OrgUnit.objects.filter(kind__in=SURVEY_DISTRICT_KINDS)
        .order_by("code")
        .values_list("pk", "name")
    )
    known = {pk for pk, _name in units}
    units += sorted(((d, names[d]) for d in names if d not in known), key=lambda u: u[1])
    rows = [build(did, name, response_counts.get(did, 0), cells[did]) for did, name in units]
    overall: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for per_q in cells.values():
        for qid, (good, n) in per_q.items():
            overall[qid][0] += good
            overall[qid][1] += n
    total = build(0, str(_("Total")), sum(response_counts.values()), overall)
    return SurveyResults(survey, start, end, rows, total, questions)


@dataclass(frozen=True)
class PollResult:
    option: PollOption
    votes: int
    share: float | None
    rank: int


def poll_results(poll: Poll) -> tuple[int, list[PollResult]]:
    """Ballots cast and, per option, votes and share of ballots, most votes first."""
    ballots = poll.ballots.count()
    options = list(poll.options.annotate(votes=Count("ballots")).order_by("-votes", "sort_order"))
    return ballots, [
        PollResult(o, o.votes, rate(o.votes, ballots), i + 1) for i, o in enumerate(options)
    ]


@dataclass(frozen=True)
class SatisfactionFigure:
    rate: float | None
    responses: int


def satisfaction_between(problems: Any, start: date, end: date) -> SatisfactionFigure:
    """Ratings given from ``start`` to ``end`` (Shanghai days, inclusive) on ``problems``;
    满意 and 基本满意 count as satisfied."""
    # EXISTS per rating, not ``problem IN (problems)``: SQLite drove the IN from the
    # problems side and visited every problem of the city (130 ms at 1M) for a few ratings.
    counts = dict(
        SatisfactionRating.objects.filter(
            Exists(problems.filter(pk=OuterRef("problem_id"))),
            created_at__gte=_day_start(start),
            created_at__lt=_day_start(end + timedelta(days=1)),
        )
        .values_list("level")
        .annotate(n=Count("id"))
    )
    total = sum(counts.values())
    satisfied = sum(n for level, n in counts.items() if level in SATISFIED_LEVELS)
    return SatisfactionFigure(rate(satisfied, total), total)


OUTLINES_SECONDS = 600


def district_outlines() -> dict[str, Any]:
    """The top-level grids (districts) as GeoJSON with their names only, for the public map
    picker; kept ten minutes in the cache."""
    from django.core.cache import cache

    from chuangwei.lib import geo
    from chuangwei.places.models import Grid

    key = "public:district-outlines"
    found = cache.get(key)
    if found is None:
        rows = Grid.objects.filter(level=1).order_by("code").values_list("geometry", "name")
        found = geo.feature_collection((geometry, {"name": name}) for geometry, name in rows)
        cache.set(key, found, OUTLINES_SECONDS)
    return found
