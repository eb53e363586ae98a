"""Taper plans of one drug: methods, measurable rounding, the final step, holds, rebasing."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.domain.errors import ValidationError
from diary.domain.models import RegimenDose
from diary.domain.taper.measurable import Product, resolution_mg
from diary.domain.taper.plans import (
    MAX_STEPS,
    PlanMethod,
    PlanSpec,
    PlanStep,
    StepKind,
    build_plan,
    cut_percents,
    level_down,
    plan_end,
    rebase,
    shift_for_hold,
    validate_spec,
)

START = dt.date(2025, 3, 3)
TABLETS = [Product("diazepam", (2, 5), split=2)]
WITH_LIQUID = [*TABLETS, Product("diazepam", liquid_mg_per_ml=1.0, syringe_ml=0.1)]


def diazepam(*doses: tuple[float, int]) -> list[RegimenDose]:
    return [RegimenDose("diazepam", mg, dt.time(hour)) for mg, hour in doses]


def percent(p: float, final: float = 0.5, interval: int = 14) -> PlanSpec:
    return PlanSpec(PlanMethod.PERCENT, interval, START, percent=p, final_step_mg=final)


def totals(steps: list[PlanStep]) -> list[float]:
    return [round(sum(d.mg for d in s.doses), 9) for s in steps]


def test_a_10_percent_plan_from_10_mg_with_a_liquid_follows_the_hyperbolic_curve() -> None:
    steps = build_plan(diazepam((10, 22)), percent(10, final=1), WITH_LIQUID)
    assert totals(steps)[:4] == [9, 8.1, 7.3, 6.6]  # 7.29 and 6.561 rounded to 0.1 mL
    assert [s.start for s in steps[:3]] == [START, dt.date(2025, 3, 17), dt.date(2025, 3, 31)]
    assert steps[1].doses[0].how == "4 × 2 mg + 0.1 mL of 1 mg/mL"
    assert steps[-1].kind is StepKind.FINAL and steps[-1].diazepam_mg == 0
    assert steps[-2].diazepam_mg >= 1  # below the final step of 1 mg, the next step is 0
    assert all(s.kind is StepKind.CUT for s in steps[:-1])


def test_each_step_shows_the_ideal_and_the_measurable_amount() -> None:
    steps = build_plan(diazepam((10, 22)), percent(10), TABLETS)
    second = steps[1]
    assert second.ideal_diazepam_mg == pytest.approx(8.1)
    assert (second.doses[0].ideal_mg, second.doses[0].mg) == (pytest.approx(8.1), 8)


def test_when_tablets_cannot_measure_a_lower_dose_the_interval_is_merged_into_the_step_before() -> (
    None
):
    steps = build_plan(diazepam((5, 22)), percent(10), [Product("diazepam", (2,), split=2)])
    # Ideal 4.5 rounds back to 5 mg, so the first cut (to 4 mg) waits one interval.
    assert steps[0].start == START + dt.timedelta(days=14)
    assert totals(steps)[0] == 4
    assert all(b > a for b, a in itertools.pairwise(totals(steps)))


def test_a_fixed_step_plan_goes_down_by_the_step_to_zero() -> None:
    spec = PlanSpec(PlanMethod.STEP, 7, START, step_mg=2.5)
    steps = build_plan(diazepam((10, 22)), spec, TABLETS)
    assert totals(steps) == [7.5, 5, 2.5, 0]
    assert plan_end(steps) == START + dt.timedelta(days=21)


def test_a_custom_plan_follows_the_given_amounts() -> None:
    spec = PlanSpec(PlanMethod.CUSTOM, 28, START, custom_mg=(9, 7.5, 5, 2, 0))
    steps = build_plan(diazepam((10, 22)), spec, TABLETS)
    assert totals(steps) == [9, 7.5, 5, 2, 0]
    assert steps[-1].start == START + dt.timedelta(days=4 * 28)


def test_a_custom_amount_the_products_cannot_measure_names_the_nearest() -> None:
    spec = PlanSpec(PlanMethod.CUSTOM, 28, START, custom_mg=(9, 6.2, 0))
    with pytest.raises(ValidationError, match="6.2 mg a day .* nearest daily amounts are 6 mg"):
        build_plan(diazepam((10, 22)), spec, TABLETS)


def test_the_cut_comes_off_the_largest_dose_first() -> None:
    steps = build_plan(diazepam((2, 8), (10, 22)), percent(10), TABLETS)
    first = {d.time.hour: d.mg for d in steps[0].doses}
    assert first == {8: 2, 22: 9}  # 12 -> 10.8: all of the cut from the 10 mg dose
    assert level_down([2, 10], 10.8) == [2, pytest.approx(8.8)]
    assert level_down([3, 3, 3], 6) == [2, 2, 2]


def test_a_plan_for_several_dose_times_keeps_the_night_dose_longest() -> None:
    two_mg_halves = [Product("diazepam", (2,), split=2)]
    steps = build_plan(diazepam((5, 8), (5, 22)), percent(10), two_mg_halves)
    first = {d.time.hour: d.mg for d in steps[0].doses}
    assert first == {8: 4, 22: 5}  # ideal 4.5 each: one must go down, the earlier one


def test_a_dose_time_that_reaches_0_leaves_the_regimen_and_the_final_step_is_empty() -> None:
    steps = build_plan(diazepam((1, 8), (1, 22)), percent(25, final=0.5), TABLETS)
    assert [[d.time.hour for d in s.doses] for s in steps] == [[22], []]
    assert steps[-1].regimen() == ()


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        (percent(0), "more than 0 and less than 100"),
        (percent(100), "more than 0 and less than 100"),
        (percent(10, interval=0), "at least 1 day"),
        (PlanSpec(PlanMethod.PERCENT, 14, START, percent=10), "Choose the final step"),
        (PlanSpec(PlanMethod.STEP, 14, START, step_mg=0), "step must be more than 0 mg"),
        (PlanSpec(PlanMethod.CUSTOM, 14, START), "Enter the daily amounts"),
        (
            PlanSpec(PlanMethod.CUSTOM, 14, START, custom_mg=(8, 9, 0)),
            "8 mg is followed by 9 mg: a plan never increases the dose; only a reinstatement may",
        ),
        (PlanSpec(PlanMethod.CUSTOM, 14, START, custom_mg=(8, 8, 0)), "lower than the one before"),
        (PlanSpec(PlanMethod.CUSTOM, 14, START, custom_mg=(8, 4)), "last step .* must be 0 mg"),
        (
            PlanSpec(PlanMethod.CUSTOM, 14, START, custom_mg=(12, 0)),
            r"first step \(12 mg\) is not below the current daily amount \(10 mg\)",
        ),
    ],
)
def test_a_spec_that_cannot_make_a_plan_is_refused_in_one_sentence(
    spec: PlanSpec, match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        build_plan(diazepam((10, 22)), spec, TABLETS)


def test_validate_spec_alone_checks_the_shape() -> None:
    validate_spec(percent(10))
    with pytest.raises(ValidationError):
        validate_spec(percent(150))


def test_a_plan_of_more_than_500_steps_is_refused() -> None:
    spec = PlanSpec(PlanMethod.STEP, 1, START, step_mg=0.01)
    with pytest.raises(ValidationError, match=f"more than {MAX_STEPS} steps"):
        build_plan(diazepam((10, 22)), spec, [])


def test_a_plan_needs_one_drug_and_a_dose() -> None:
    mixed = [*diazepam((5, 22)), RegimenDose("clonazepam", 0.5, dt.time(8))]
    with pytest.raises(ValidationError, match="one drug.*clonazepam and diazepam"):
        build_plan(mixed, percent(10), TABLETS)
    with pytest.raises(ValidationError, match="no current dose"):
        build_plan([], percent(10), TABLETS)


def test_a_hold_moves_every_later_step_by_its_length_and_the_end_date_with_it() -> None:
    steps = build_plan(diazepam((10, 22)), percent(10, final=2), TABLETS)
    held = shift_for_hold(steps, steps[2].start, 30)
    assert held[:2] == steps[:2]
    assert [h.start - s.start for h, s in zip(held[2:], steps[2:], strict=True)] == [
        dt.timedelta(days=30)
    ] * (len(steps) - 2)
    assert plan_end(held) == plan_end(steps) + dt.timedelta(days=30)  # type: ignore[operator]


def test_rebase_after_a_reinstatement_starts_from_the_new_dose_after_the_chosen_hold() -> None:
    spec = percent(10, final=1)
    reinstated_on = dt.date(2025, 6, 1)
    steps = rebase(spec, diazepam((8, 22)), reinstated_on, 28, TABLETS)
    assert steps[0].start == reinstated_on + dt.timedelta(days=28)
    assert steps[0].ideal_diazepam_mg == pytest.approx(7.2)
    custom = PlanSpec(PlanMethod.CUSTOM, 14, START, custom_mg=(9, 8, 7, 6, 0))
    assert totals(rebase(custom, diazepam((7.5, 22)), reinstated_on, 14, TABLETS)) == [7, 6, 0]
    with pytest.raises(ValidationError, match="whole number of days"):
        rebase(spec, diazepam((8, 22)), reinstated_on, -1, TABLETS)


def test_plan_end_is_none_without_a_final_step() -> None:
    assert plan_end([]) is None


dose_lists = st.lists(
    st.tuples(st.sampled_from([1, 2, 2.5, 5, 7.5, 10, 15]), st.integers(0, 23)),
    min_size=1,
    max_size=4,
    unique_by=lambda d: d[1],
)
product_sets = st.sampled_from([TABLETS, WITH_LIQUID, [Product("diazepam", (5,))], []])


@settings(max_examples=60, deadline=None)
@given(
    doses=dose_lists,
    p=st.floats(3, 60),
    final=st.floats(0.1, 5),
    products=product_sets,
)
def test_every_plan_falls_at_every_step_rounds_within_resolution_and_ends_at_zero(
    doses: list[tuple[float, int]], p: float, final: float, products: list[Product]
) -> None:
    current = diazepam(*doses)
    steps = build_plan(current, percent(p, final=final), products)
    resolution = resolution_mg("diazepam", products)
    start_total = sum(d.mg for d in current)
    assert all(b > a for b, a in itertools.pairwise([start_total, *totals(steps)]))
    assert steps[-1].kind is StepKind.FINAL and steps[-1].diazepam_mg == 0
    assert all(s.kind is StepKind.CUT for s in steps[:-1])
    assert [s.index for s in steps] == list(range(len(steps)))
    for step in steps:
        for dose in step.doses:
            assert abs(dose.mg - dose.ideal_mg) <= resolution + 1e-9
    # No single dose time ever rises.
    previous = {d.time: d.mg for d in current}
    for step in steps:
        now = {d.time: d.mg for d in step.doses}
        assert all(now.get(time, 0) <= mg + 1e-9 for time, mg in previous.items())
        assert set(now) <= set(previous)
        previous = now
    percents = cut_percents(start_total, steps)
    for before, step, cut in zip([start_total, *totals(steps)], steps, percents, strict=False):
        assert cut == pytest.approx((before - step.diazepam_mg) / before * 100)


@settings(max_examples=40, deadline=None)
@given(
    steps_count=st.integers(2, 12),
    hold_at=st.integers(0, 11),
    hold_days=st.integers(0, 120),
)
def test_holds_shift_exactly_the_later_steps_by_exactly_their_length(
    steps_count: int, hold_at: int, hold_days: int
) -> None:
    spec = PlanSpec(PlanMethod.STEP, 10, START, step_mg=10 / steps_count)
    steps = build_plan(diazepam((10, 22)), spec, [])
    hold_start = START + dt.timedelta(days=hold_at * 10 - 3)
    held = shift_for_hold(steps, hold_start, hold_days)
    for before, after in zip(steps, held, strict=True):
        moved = before.start >= hold_start
        assert after.start - before.start == dt.timedelta(days=hold_days if moved else 0)
        assert (after.doses, after.diazepam_mg) == (before.doses, before.diazepam_mg)
