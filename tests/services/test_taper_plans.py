"""Plans, cuts and reinstatements through a real encrypted diary, reopened from disk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from diary.domain.errors import ValidationError
from diary.domain.models import ChangeKind, Form, RegimenDose
from diary.domain.taper.plan_record import PlanStatus
from diary.domain.taper.plans import PlanMethod, PlanSpec, StepKind
from diary.services.diary_service import DiaryService

TODAY = dt.date.today()
DAYS = dt.timedelta(days=1)
Reopen = Callable[[], DiaryService]


@pytest.fixture
def on_diazepam(service: DiaryService) -> DiaryService:
    """Diazepam 2 mg tablets that may be halved; 5 mg + 5 mg a day for a year."""
    service.add_medication("Valium 2", "diazepam", Form.TABLET, strength_mg=2, split=2)
    service.set_regimen(
        [RegimenDose("diazepam", 5, dt.time(8)), RegimenDose("diazepam", 5, dt.time(22))],
        TODAY - 365 * DAYS,
    )
    return service


def ten_percent(start: dt.date = TODAY) -> PlanSpec:
    return PlanSpec(PlanMethod.PERCENT, 14, start, percent=10, final_step_mg=1)


def test_a_plan_persists_with_its_steps_as_computed(
    on_diazepam: DiaryService, reopen: Reopen
) -> None:
    on_diazepam.create_plan(ten_percent())
    before = on_diazepam.plan_summary()
    assert before is not None
    service = reopen()
    after = service.plan_summary()
    assert after is not None
    assert after.plan.steps == before.plan.steps
    assert after.plan.status is PlanStatus.ACTIVE and after.steps_left == len(after.plan.steps)
    assert after.schedule[-1].kind is StepKind.FINAL and after.schedule[-1].diazepam_mg == 0
    # Halves of 2 mg tablets: every planned amount is a whole mg.
    assert all(d.mg == int(d.mg) for s in after.schedule for d in s.doses)


def test_a_later_change_of_products_does_not_alter_a_stored_plan(
    on_diazepam: DiaryService, reopen: Reopen
) -> None:
    on_diazepam.create_plan(ten_percent())
    stored = on_diazepam.plan_summary()
    on_diazepam.add_medication("Diazepam liquid", "diazepam", Form.LIQUID, concentration_mg_ml=1)
    assert on_diazepam.preview_plan(ten_percent()) != list(stored.plan.steps)  # type: ignore[union-attr]
    assert reopen().plan_summary().plan.steps == stored.plan.steps  # type: ignore[union-attr]


def test_apply_next_creates_the_regimen_change_and_never_applies_itself(
    on_diazepam: DiaryService, reopen: Reopen
) -> None:
    on_diazepam.create_plan(ten_percent(TODAY - 30 * DAYS))
    assert on_diazepam.regimen_on(TODAY).date == TODAY - 365 * DAYS  # type: ignore[union-attr]
    first = on_diazepam.plan_summary().schedule[0]  # type: ignore[union-attr]
    on_diazepam.apply_next_step(TODAY)
    service = reopen()
    change = service.regimen_on(TODAY)
    assert change is not None and change.date == TODAY and change.kind is ChangeKind.CUT
    assert [(d.mg, d.time) for d in change.doses] == [(d.mg, d.time) for d in first.doses]
    summary = service.plan_summary()
    assert summary is not None and summary.plan.applied[0] == TODAY
    assert summary.schedule[0].start == TODAY
    assert summary.next_step == summary.schedule[1]


def test_applying_every_step_finishes_the_plan(service: DiaryService) -> None:
    service.add_medication("Valium 2", "diazepam", Form.TABLET, strength_mg=2)
    service.set_regimen([RegimenDose("diazepam", 4, dt.time(8))], TODAY - 100 * DAYS)
    service.create_plan(PlanSpec(PlanMethod.STEP, 7, TODAY - 60 * DAYS, step_mg=2))
    for offset in (20, 10):
        service.apply_next_step(TODAY - offset * DAYS)
    assert service.regimen_on(TODAY).doses == ()  # type: ignore[union-attr]
    assert service.plan_summary() is None
    with pytest.raises(ValidationError, match="no active plan"):
        service.apply_next_step()


def test_an_ended_hold_shifts_later_steps_by_exactly_its_length(
    on_diazepam: DiaryService, reopen: Reopen
) -> None:
    start = TODAY - 60 * DAYS
    on_diazepam.create_plan(ten_percent(start))
    planned = [s.start for s in on_diazepam.plan_summary().schedule]  # type: ignore[union-attr]
    on_diazepam.apply_next_step(start)
    on_diazepam.start_hold(start + 3 * DAYS, "settling")
    on_diazepam.end_hold(start + 12 * DAYS)  # 10 days
    shown = [s.start for s in reopen().plan_summary().schedule]  # type: ignore[union-attr]
    assert shown[0] == planned[0]  # already applied: stays where it was applied
    assert shown[1:] == [day + 10 * DAYS for day in planned[1:]]


def test_an_open_hold_keeps_moving_later_steps(on_diazepam: DiaryService) -> None:
    start = TODAY - 20 * DAYS
    on_diazepam.create_plan(ten_percent(start))
    planned = [s.start for s in on_diazepam.plan_summary().schedule]  # type: ignore[union-attr]
    on_diazepam.start_hold(TODAY - 4 * DAYS)
    shown = on_diazepam.plan_summary().schedule  # type: ignore[union-attr]
    # Steps due before the hold began stay; later ones move by the 5 days it has lasted.
    assert [s.start for s in shown[:2]] == planned[:2]
    assert planned[1] < TODAY - 4 * DAYS < planned[2]
    assert [s.start for s in shown[2:]] == [day + 5 * DAYS for day in planned[2:]]
    assert on_diazepam.status().active_hold is not None


def test_a_cut_and_its_bad_inputs(on_diazepam: DiaryService) -> None:
    on_diazepam.record_cut("Valium 2", 4, time=dt.time(22), date=TODAY - DAYS)
    assert [d.mg for d in on_diazepam.regimen_on(TODAY).doses] == [5, 4]  # type: ignore[union-attr]
    before = on_diazepam.generation
    with pytest.raises(ValidationError, match="nearest amounts are 3 mg and 4 mg"):
        on_diazepam.record_cut("Valium 2", 3.5, time=dt.time(8))
    with pytest.raises(ValidationError, match="only a reinstatement may"):
        on_diazepam.record_cut("Valium 2", 6, time=dt.time(8))
    with pytest.raises(ValidationError, match="08:00, 22:00"):
        on_diazepam.record_cut("Valium 2", 4)
    with pytest.raises(ValidationError, match='Did you mean "Valium 2"'):
        on_diazepam.record_cut("Valium2x", 4, time=dt.time(8))
    assert on_diazepam.generation == before


def test_reinstatement_rebases_the_plan_after_a_stabilising_hold(
    on_diazepam: DiaryService, reopen: Reopen
) -> None:
    start = TODAY - 40 * DAYS
    on_diazepam.create_plan(ten_percent(start))
    on_diazepam.apply_next_step(start)
    on_diazepam.apply_next_step(start + 14 * DAYS)
    old_plan = on_diazepam.plan_summary().plan  # type: ignore[union-attr]
    back_on = TODAY - 2 * DAYS
    on_diazepam.reinstate(
        "Valium 2",
        5,
        "The last cut was too fast for me",
        time=dt.time(8),
        date=back_on,
        prescriber_involved=True,
        rebase_hold_days=21,
    )
    service = reopen()
    change = service.regimen_on(TODAY)
    assert change is not None and change.kind is ChangeKind.UPDOSE and change.prescriber_involved
    assert change.reason == "The last cut was too fast for me"
    hold = service.status().active_hold
    assert hold is not None and (hold.start, hold.end) == (back_on, back_on + 20 * DAYS)
    summary = service.plan_summary()
    assert summary is not None and summary.plan.id != old_plan.id
    assert summary.schedule[0].start == back_on + 21 * DAYS  # not shifted twice by the hold
    total_now = sum(d.mg for d in change.doses)
    assert summary.schedule[0].diazepam_mg < total_now
    statuses = {p.id: p.status for p in service._records.plans()}  # noqa: SLF001
    assert statuses[old_plan.id] is PlanStatus.REPLACED
    assert service.status().figures.reinstatements == 1


def test_reinstatement_refuses_a_lower_dose_and_overlapping_holds(
    on_diazepam: DiaryService,
) -> None:
    on_diazepam.create_plan(ten_percent())
    with pytest.raises(ValidationError, match="record a cut"):
        on_diazepam.reinstate("Valium 2", 4, "reason", time=dt.time(8))
    on_diazepam.start_hold(TODAY - 5 * DAYS)
    before = on_diazepam.generation
    with pytest.raises(ValidationError, match="overlaps"):
        on_diazepam.reinstate("Valium 2", 6, "reason", time=dt.time(8), rebase_hold_days=14)
    assert on_diazepam.generation == before
    assert on_diazepam.regimen_on(TODAY).kind is ChangeKind.START  # type: ignore[union-attr]


def test_plan_bad_inputs_change_nothing(on_diazepam: DiaryService) -> None:
    before = on_diazepam.generation
    bad = [
        (PlanSpec(PlanMethod.PERCENT, 14, TODAY, percent=100, final_step_mg=1), "less than 100"),
        (PlanSpec(PlanMethod.PERCENT, 0, TODAY, percent=10, final_step_mg=1), "at least 1 day"),
        (PlanSpec(PlanMethod.CUSTOM, 14, TODAY, custom_mg=(12, 6, 0)), "only a reinstatement"),
        (PlanSpec(PlanMethod.CUSTOM, 14, TODAY, custom_mg=(9.5, 0)), "nearest daily amounts"),
    ]
    for spec, words in bad:
        with pytest.raises(ValidationError, match=words):
            on_diazepam.create_plan(spec)
    with pytest.raises(ValidationError, match="range of 5-6 mg bromazepam"):
        on_diazepam.create_plan(ten_percent(), crossover_to="bromazepam")
    on_diazepam.set_equivalence_table("va")
    with pytest.raises(ValidationError, match="no value for clobazam"):
        on_diazepam.create_plan(ten_percent(), crossover_to="clobazam")
    assert on_diazepam.generation == before + 1  # only the table change was saved
    assert on_diazepam.plan_summary() is None


def test_undo_removes_a_plan_step_application(on_diazepam: DiaryService) -> None:
    on_diazepam.create_plan(ten_percent(TODAY))
    on_diazepam.apply_next_step()
    on_diazepam.undo()
    summary = on_diazepam.plan_summary()
    assert summary is not None and summary.plan.applied[0] is None
    assert on_diazepam.regimen_on(TODAY).kind is ChangeKind.START  # type: ignore[union-attr]
