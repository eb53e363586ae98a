"""Crossover to diazepam one dose time at a time, then a taper of diazepam alone."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.domain.equivalence import diazepam_equivalent
from diary.domain.errors import NotFound, ValidationError
from diary.domain.models import RegimenDose
from diary.domain.taper.measurable import Product, resolution_mg
from diary.domain.taper.plans import (
    PlanMethod,
    PlanSpec,
    PlanStep,
    StepKind,
    build_crossover,
    cut_percents,
    plan_end,
)

START = dt.date(2025, 1, 6)
TABLETS = [Product("diazepam", (2, 5), split=2)]
WITH_LIQUID = [*TABLETS, Product("diazepam", liquid_mg_per_ml=1.0, syringe_ml=0.1)]
TEN_PERCENT = PlanSpec(PlanMethod.PERCENT, 14, START, percent=10, final_step_mg=0.5)


def clonazepam_three_times() -> list[RegimenDose]:
    return [RegimenDose("clonazepam", 0.5, dt.time(hour)) for hour in (8, 14, 22)]


def by_time(step: PlanStep) -> dict[dt.time, tuple[tuple[str, float], ...]]:
    slots: dict[dt.time, tuple[tuple[str, float], ...]] = {}
    for dose in step.doses:
        slots[dose.time] = (*slots.get(dose.time, ()), (dose.drug, dose.mg))
    return slots


def test_showcase_clonazepam_three_times_a_day_to_diazepam_then_10_percent_cuts() -> None:
    steps = build_crossover(
        clonazepam_three_times(), "diazepam", 14, START, TABLETS, "ashton", {}, TEN_PERCENT
    )
    stages = [s for s in steps if s.kind is StepKind.CROSSOVER]
    # Ashton: 0.5 mg clonazepam = 10 mg diazepam. The night dose goes first.
    assert [[(d.time.hour, d.drug, d.mg) for d in s.doses] for s in stages] == [
        [(8, "clonazepam", 0.5), (14, "clonazepam", 0.5), (22, "diazepam", 10)],
        [(8, "clonazepam", 0.5), (14, "diazepam", 10), (22, "diazepam", 10)],
        [(8, "diazepam", 10), (14, "diazepam", 10), (22, "diazepam", 10)],
    ]
    assert [s.start for s in stages] == [START, dt.date(2025, 1, 20), dt.date(2025, 2, 3)]
    assert all(s.diazepam_mg == 30 for s in stages)
    assert stages[-1].doses[0].how == "2 × 5 mg"

    taper = steps[3:]
    assert taper[0].start == dt.date(2025, 2, 17)  # the day after the last stage ends
    assert taper[0].diazepam_mg == 27 and taper[0].kind is StepKind.CUT
    assert [d.how for d in taper[0].doses] == ["1 × 5 mg + 2 × 2 mg"] * 3
    assert taper[-1].kind is StepKind.FINAL and taper[-1].diazepam_mg == 0
    percents = cut_percents(30, steps)
    assert percents[:3] == [0, 0, 0]
    # With tablets alone the cuts stay near 10% while the dose is high ...
    assert all(8 <= p <= 12 for p in percents[3:12])
    # ... and the half-tablet resolution shows as larger cuts near the end.
    assert max(percents[3:-1]) > 25


def test_showcase_with_a_1_mg_per_ml_liquid_keeps_every_cut_near_10_percent() -> None:
    steps = build_crossover(
        clonazepam_three_times(), "diazepam", 14, START, WITH_LIQUID, "ashton", {}, TEN_PERCENT
    )
    percents = cut_percents(30, steps)
    cuts = list(zip([s.diazepam_mg for s in steps[2:]], percents[3:-1], strict=False))
    # Every cut is within a couple of percent of 10% down to 1 mg a day; below that the
    # 0.1 mL syringe step is itself a noticeable share of the dose.
    assert all(8 <= cut <= 12.5 for before, cut in cuts if before >= 3)
    assert all(5 <= cut <= 17 for _, cut in cuts)
    assert 0.5 <= steps[-2].diazepam_mg < 0.6  # the user's final step of 0.5 mg, then 0
    assert plan_end(steps) == dt.date(2026, 8, 3)  # 30 mg to 0 in 19 months at 10% a fortnight
    assert steps[-3].doses[-1].how == "0.2 mL of 1 mg/mL"


def test_the_crossover_alone_ends_without_a_final_step() -> None:
    steps = build_crossover(clonazepam_three_times(), "Diazepam", 7, START, TABLETS)
    assert len(steps) == 3 and plan_end(steps) is None
    assert steps[0].doses[0].how == "0.5 mg as now"


def test_va_table_halves_the_diazepam_for_the_same_clonazepam() -> None:
    steps = build_crossover(clonazepam_three_times(), "diazepam", 7, START, TABLETS, "va")
    assert steps[-1].diazepam_mg == 15
    assert [d.mg for d in steps[-1].doses] == [5, 5, 5]


def test_rounding_is_carried_so_the_total_stays_near_the_start() -> None:
    lorazepam = [RegimenDose("lorazepam", 0.75, dt.time(h)) for h in (7, 13, 19, 23)]
    whole_5 = [Product("diazepam", (5,), split=2)]  # steps of 2.5 mg
    steps = build_crossover(lorazepam, "diazepam", 7, START, whole_5)
    # 0.75 mg lorazepam = 7.5 mg diazepam, measurable exactly; total 30 throughout.
    assert [s.diazepam_mg for s in steps] == [30] * 4
    alprazolam = [RegimenDose("alprazolam", 0.3, dt.time(h)) for h in (8, 16, 22)]
    steps = build_crossover(alprazolam, "diazepam", 7, START, whole_5)
    # 0.3 mg alprazolam = 6 mg diazepam, which 2.5 mg steps cannot make: 5 at night, then the
    # missing 1 mg is carried into the afternoon (7.5), then the extra 0.5 into the morning.
    assert [[d.mg for d in s.doses if d.drug == "diazepam"] for s in steps] == [
        [5],
        [7.5, 5],
        [5, 7.5, 5],
    ]
    assert [s.diazepam_mg for s in steps] == [17, 18.5, 17.5]  # never more than 1.25 from 18


def test_a_crossover_to_an_unknown_drug_suggests_the_closest_name() -> None:
    with pytest.raises(NotFound, match='"diazepan".*Did you mean "diazepam"'):
        build_crossover(clonazepam_three_times(), "diazepan", 14, START, TABLETS)


def test_a_crossover_to_a_drug_the_table_lacks_asks_for_its_value() -> None:
    with pytest.raises(ValidationError, match="no value for zolpidem"):
        build_crossover(clonazepam_three_times(), "zolpidem", 14, START, [], "va")


def test_a_regimen_already_on_the_target_has_nothing_to_cross_over() -> None:
    regimen = [RegimenDose("diazepam", 5, dt.time(22))]
    with pytest.raises(ValidationError, match="already all diazepam"):
        build_crossover(regimen, "diazepam", 14, START, TABLETS)


def test_stages_shorter_than_a_day_are_refused() -> None:
    with pytest.raises(ValidationError, match="at least 1 day"):
        build_crossover(clonazepam_three_times(), "diazepam", 0, START, TABLETS)


DRUG_AMOUNTS = {  # realistic single doses
    "clonazepam": [0.25, 0.5, 1.0],
    "alprazolam": [0.25, 0.5, 1.0],
    "lorazepam": [0.5, 1.0, 2.0],
    "oxazepam": [10.0, 15.0, 30.0],
    "temazepam": [10.0, 20.0],
    "diazepam": [2.0, 5.0],
}
dose_strategy = st.sampled_from(sorted(DRUG_AMOUNTS)).flatmap(
    lambda drug: st.tuples(st.just(drug), st.sampled_from(DRUG_AMOUNTS[drug]))
)
regimens = st.lists(
    st.tuples(dose_strategy, st.integers(0, 23)), min_size=1, max_size=4, unique_by=lambda d: d[1]
).filter(lambda doses: any(drug != "diazepam" for (drug, _), _ in doses))
product_sets = st.sampled_from([TABLETS, WITH_LIQUID, [Product("diazepam", (5,), split=2)]])


@settings(max_examples=60, deadline=None)
@given(
    doses=regimens,
    table=st.sampled_from(["ashton", "va"]),
    products=product_sets,
    with_taper=st.booleans(),
)
def test_crossover_properties(
    doses: list[tuple[tuple[str, float], int]],
    table: str,
    products: list[Product],
    with_taper: bool,
) -> None:
    current = [RegimenDose(drug, mg, dt.time(hour)) for (drug, mg), hour in doses]
    then = TEN_PERCENT if with_taper else None
    steps = build_crossover(current, "diazepam", 14, START, products, table, {}, then)
    stages = [s for s in steps if s.kind is StepKind.CROSSOVER]
    start_dz = sum(diazepam_equivalent(d.drug, d.mg, table) for d in current)
    half_step = resolution_mg("diazepam", products) / 2

    # DZ-eq stays constant through every stage, within the measurable rounding.
    for stage in stages:
        listed = sum(diazepam_equivalent(d.drug, d.mg, table) for d in stage.doses)
        assert stage.diazepam_mg == pytest.approx(listed)
        assert abs(stage.diazepam_mg - start_dz) <= half_step + 1e-9
        assert stage.ideal_diazepam_mg == pytest.approx(start_dz)

    # Exactly one dose time changes per stage, and it becomes diazepam only.
    before: dict[dt.time, tuple[tuple[str, float], ...]]
    before = {d.time: ((d.drug, d.mg),) for d in current}
    for stage in stages:
        after = by_time(stage)
        changed = [t for t in set(before) | set(after) if before.get(t) != after.get(t)]
        assert len(changed) == 1
        assert all(drug == "diazepam" for drug, _ in after.get(changed[0], ()))
        assert any(drug != "diazepam" for drug, _ in before[changed[0]])
        before = after
    assert all(d.drug == "diazepam" for d in stages[-1].doses)
    assert [s.start for s in stages] == [
        START + dt.timedelta(days=14 * i) for i in range(len(stages))
    ]

    # After the crossover the dose never rises, and the plan ends at 0.
    after_crossover = [s.diazepam_mg for s in steps[len(stages) - 1 :]]
    assert all(b > a for b, a in itertools.pairwise(after_crossover))
    if with_taper:
        assert steps[-1].kind is StepKind.FINAL and steps[-1].diazepam_mg == 0
        # The taper starts the day after the last stage ends (later if its first interval
        # cannot be measured lower and is merged).
        wait = steps[len(stages)].start - stages[-1].start
        assert wait.days >= 14 and wait.days % 14 == 0
