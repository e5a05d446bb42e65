"""The recent weeks of the demo ledger, played through the services in time order.

All lives advance together, step by step in time order, so a merge finds its original
open, a recurrence finds the closed problem it repeats, and the deadline sweeper runs at
every reminder, deadline and escalation moment, exactly when it would have in production.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangwei.core.errors import DomainError
from chuangwei.places.models import Site
from chuangwei.problems import services, sweeper
from chuangwei.problems.choices import PhotoKind
from chuangwei.problems.choices import ProblemAction as A
from chuangwei.problems.models import Problem
from chuangwei.problems.services import Upload

from .plan import Clock, Life, Plan, Step, World, life

PHOTO_SIZE = (640, 480)


@dataclass
class LiveResult:
    problems: int = 0
    photos: int = 0
    sweeps: int = 0
    refused: int = 0  # steps a service refused (logged, the life stops there)


class _Player:
    def __init__(self, world: World, plans: list[Plan], *, now: datetime, photo_from: int) -> None:
        self.world, self.now, self.photo_from = world, now, photo_from
        self.problems: dict[int, Problem] = {}
        self.sites = Site.objects.in_bulk({p.site_id for p in plans if p.site_id})
        self.moments: list[datetime] = []
        self.swept: datetime | None = None
        self.result = LiveResult()

    # Photos ------------------------------------------------------------------------------

    def _photo(self, plan: Plan, kind: str, at: datetime, far: bool = False) -> Upload:
        from chuangwei.problems.tests.images import scene_jpeg

        label = timezone.localtime(at).strftime("%Y-%m-%d %H:%M")
        data = scene_jpeg(plan.index * 7919 + 17, "before" if kind == PhotoKind.BEFORE else "after",
                          label, width=PHOTO_SIZE[0], height=PHOTO_SIZE[1])  # fmt: skip
        rng = random.Random(f"{plan.index}:{kind}:{at.timestamp()}")
        metres = 400 if far else 12
        lng = plan.lng + rng.uniform(-metres, metres) / 92_000
        lat = plan.lat + rng.uniform(-metres, metres) / 111_000
        self.result.photos += 1
        return Upload(
            SimpleUploadedFile(f"{kind}.jpg", data, content_type="image/jpeg"), kind, lng, lat
        )

    # Steps -------------------------------------------------------------------------------

    def _user(self, key: str | None) -> Any:
        return self.world.users.get(key or "")

    def _schedule(self, problem: Problem) -> Clock:
        """Sweep at the reminder, the deadline and every escalation moment of ``problem``."""
        for moment in (problem.warn_at, problem.due_at):
            if moment is not None:
                heapq.heappush(self.moments, moment)
        for level in range(3):
            moment = sweeper.next_escalation_at(problem.due_at, level)
            if moment is not None:
                heapq.heappush(self.moments, moment)
        return problem.due_at, problem.warn_at, problem.deadline_unit

    def apply(self, plan: Plan, step: Step) -> Clock:  # noqa: C901
        by, at, note = self._user(step.by), step.at, step.note
        if step.action == A.REPORT:
            uploads = (
                [self._photo(plan, PhotoKind.BEFORE, at)] if plan.index >= self.photo_from else []
            )
            self.problems[plan.index] = services.report_problem(
                source=plan.source, category=plan.category, lng=plan.lng, lat=plan.lat, by=by,
                description=plan.description, address=plan.address,
                site=self.sites.get(plan.site_id or 0), uploads=uploads,
                points_lost=plan.points_lost, reporter_name=plan.reporter_name,
                reporter_phone=plan.reporter_phone, now=at,
            )  # fmt: skip
            self.result.problems += 1
            return None
        p = self.problems[plan.index]
        if step.action == A.CONFIRM_REPORT:
            services.confirm_report(p, by=by, note=note, now=at)
        elif step.action == A.ACCEPT:
            services.accept_problem(p, by=by, now=at)
        elif step.action == A.VOID:
            services.void_problem(p, by=by, note=note, now=at)
        elif step.action == A.MERGE:
            original = self.problems.get(plan.duplicate_of if plan.duplicate_of is not None else -1)
            if original is None or not original.is_open:
                services.void_problem(p, by=by, note="重复上报，原工单已办结", now=at)
            else:
                services.merge_problem(p, into=original, by=by, note=note, now=at)
        elif step.action == A.DISPATCH:
            services.dispatch_problem(p, by=by, now=at)
            return self._schedule(p)
        elif step.action == A.REQUEST_PAUSE:
            services.request_pause(p, by=by, note=note, now=at)
        elif step.action == A.APPROVE_PAUSE:
            services.approve_pause(p, by=by, now=at)
        elif step.action == A.RESUME:
            services.resume_problem(p, by=by, note=note, now=at)
            return self._schedule(p)
        elif step.action == A.REQUEST_EXTENSION:
            services.request_extension(p, by=by, requested_due_at=step.due_at, note=note, now=at)
        elif step.action == A.APPROVE_EXTENSION:
            services.approve_extension(p, by=by, note=note, now=at)
            return self._schedule(p)
        elif step.action == A.SUBMIT:
            # One after-photo in a hundred is taken far from the spot (the office's check).
            far = p.rework_count == 0 and random.Random(f"{plan.key}:far").random() < 0.01
            services.submit_rectification(p, by=by, note=note, now=at,
                                          uploads=[self._photo(plan, PhotoKind.AFTER, at, far)])  # fmt: skip
        elif step.action == A.VERIFY_FAIL:
            services.verify_fail(p, by=by, note=note, now=at)
            self._schedule(p)
        elif step.action == A.VERIFY_PASS:
            services.verify_pass(p, by=by, now=at)
        return None

    def sweep_until(self, until: datetime) -> None:
        while self.moments and self.moments[0] <= until:
            moment = heapq.heappop(self.moments)
            if self.swept is None or moment > self.swept:
                sweeper.sweep(moment)
                self.swept = moment
                self.result.sweeps += 1

    def play(self, plans: list[Plan]) -> LiveResult:
        queue: list[tuple[datetime, int, int]] = []
        lives: dict[int, tuple[Life, Step]] = {}
        for plan in plans:
            steps = life(self.world, plan)
            lives[plan.index] = (steps, next(steps))
            heapq.heappush(queue, (plan.reported_at, plan.index, 0))
        by_index = {plan.index: plan for plan in plans}
        order = 0
        while queue:
            at, index, _order = heapq.heappop(queue)
            steps, step = lives.pop(index)
            if at > self.now:
                steps.close()
                continue
            self.sweep_until(at)
            try:
                reply = self.apply(by_index[index], step)
            except DomainError:
                self.result.refused += 1
                steps.close()
                continue
            try:
                following = steps.send(reply)
            except StopIteration:
                continue
            order += 1
            lives[index] = (steps, following)
            heapq.heappush(queue, (following.at, index, order))
        self.sweep_until(self.now)
        return self.result


def play_recent(world: World, plans: list[Plan], *, now: datetime, photos: int) -> LiveResult:
    """Play ``plans`` through the services; the last ``photos`` get a before-photo."""
    photo_from = plans[-1].index - photos + 1 if plans and photos > 0 else 1 << 62
    return _Player(world, plans, now=now, photo_from=photo_from).play(plans)
