"""The demo diary, written through the real service, is a diary someone could be living in."""

from __future__ import annotations

import datetime as dt

from diary.domain.taper.plans import StepKind
from diary.services.demo import write_demo
from diary.services.diary_service import DiaryService


def test_the_demo_ends_with_a_plan_ahead_that_the_person_controls(service: DiaryService) -> None:
    today = dt.date.today()
    generation = service.generation

    write_demo(service, days=400, end=today)

    assert service.generation == generation + 1  # one batch, one save
    summary = service.plan_summary()
    assert summary is not None
    steps = summary.schedule
    assert steps[0].start > today  # nothing is applied by itself
    assert steps[-1].kind is StepKind.FINAL and steps[-1].diazepam_mg == 0
    now_mg = service.status(today).dz_total
    assert now_mg is not None
    assert all(step.diazepam_mg < now_mg for step in steps)
