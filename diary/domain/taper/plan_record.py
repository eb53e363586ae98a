"""A plan as the diary keeps it: the spec, its steps as computed on the day it was made, and
which steps have become regimen changes.

Holds never rewrite a stored plan. When the plan is read, every step not yet applied is
shifted by the holds that began on or after the plan's first day: a finished hold (or one
with its end already set) by its whole length, an open hold by the days it has lasted so far,
so the dates keep moving while it lasts and stay put once it ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from diary.domain.models import Hold
from diary.domain.taper.plans import PlanSpec, PlanStep, shift_for_hold


class PlanStatus(StrEnum):
    ACTIVE = "active"
    REPLACED = "replaced"  # a newer plan (e.g. re-based after a reinstatement) took over
    FINISHED = "finished"  # every step was applied


@dataclass(frozen=True)
class PlanRecord:
    spec: PlanSpec
    table: str
    created: dt.date
    steps: tuple[PlanStep, ...]
    applied: tuple[dt.date | None, ...]  # per step: the date it became a regimen change
    crossover_to: str | None = None
    stage_days: int | None = None
    status: PlanStatus = PlanStatus.ACTIVE
    id: int | None = None

    def next_index(self) -> int | None:
        """The position of the first step not yet applied; None when all are."""
        return next((i for i, day in enumerate(self.applied) if day is None), None)


def hold_shift_days(hold: Hold, today: dt.date) -> int:
    """How many days a hold pushes later steps: its length, or so far while it lasts."""
    end = hold.end if hold.end is not None else today
    return max(0, (end - hold.start).days + 1)


def scheduled_steps(record: PlanRecord, holds: Sequence[Hold], today: dt.date) -> list[PlanStep]:
    """The plan's steps with the dates they fall on now: applied steps show the day they were
    applied; the others move later by every hold that began on or after the plan's first day
    and on or before the step's date."""
    applied = [
        replace(step, start=day)
        for step, day in zip(record.steps, record.applied, strict=True)
        if day is not None
    ]
    pending = [step for step, day in zip(record.steps, record.applied, strict=True) if day is None]
    for hold in sorted(holds, key=lambda h: h.start):
        if hold.start >= record.spec.start:
            pending = shift_for_hold(pending, hold.start, hold_shift_days(hold, today))
    return applied + pending
