"""Taper plans: future steps that the person controls. A plan never applies itself.

How a plan is built (single drug, possibly several dose times):

- The *ideal* daily totals come from the method: a percentage of the most recent ideal total
  (hyperbolic: the cuts shrink in mg as the dose falls; the user's final step ends it), a
  fixed mg step, or the user's own list. One ideal total per interval.
- The cut comes off the largest dose first: doses above a common level are brought down to
  it, so unequal doses even out before they all fall together.
- Each dose is then rounded to what the products measure (``measure``): per dose, the
  amount just below or just above its ideal, chosen so the day's total is as close as
  possible to the ideal total (ties: the larger total, i.e. the gentler cut), keeping later
  doses of the day larger where there is a choice (the night dose is kept longest). No dose
  ever rises from one step to the next.
- The ideal curve is never rebased on rounded amounts, so rounding does not compound. When
  the products cannot measure a lower total for an interval, that interval is merged into
  the step before (the dose simply lasts one interval longer): listed steps always fall.
- The last step is 0 mg (kind FINAL). Plans are capped at ``MAX_STEPS`` intervals.

Crossover (``build_crossover``): the night dose time is replaced first, then the earlier ones,
one dose time per stage, each by its diazepam-equivalent amount of the target drug rounded to
the products. The rounding error is carried into the next stage, so the day's total DZ-eq
stays within half the target's finest measurable step of where it started.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from diary.domain.equivalence import (
    DEFAULT_TABLE,
    DIAZEPAM_REFERENCE_MG,
    canonical_drug,
    diazepam_equivalent,
    factor_for,
)
from diary.domain.errors import ValidationError
from diary.domain.models import RegimenDose
from diary.domain.names import same_name
from diary.domain.taper.measurable import Product, has_products, measure, nearest_measurable

MAX_STEPS = 500
_TOLERANCE_MG = 1e-9  # amounts closer than this are the same amount
NEVER_INCREASES = "a plan never increases the dose; only a reinstatement may"


class PlanMethod(StrEnum):
    PERCENT = "percent"
    STEP = "step"
    CUSTOM = "custom"


class StepKind(StrEnum):
    CROSSOVER = "crossover"
    CUT = "cut"
    FINAL = "final"


@dataclass(frozen=True)
class PlanSpec:
    method: PlanMethod
    interval_days: int
    start: dt.date  # the first step starts on this day
    percent: float | None = None  # PERCENT: of the most recent daily dose, 0 < p < 100
    step_mg: float | None = None  # STEP: fixed mg per step (daily total)
    custom_mg: tuple[float, ...] = ()  # CUSTOM: daily totals, strictly decreasing, ending in 0
    final_step_mg: float | None = None  # PERCENT: below this daily amount, the next step is 0


@dataclass(frozen=True)
class PlannedDose:
    drug: str
    time: dt.time
    ideal_mg: float
    mg: float  # what the products measure
    ml: float | None
    how: str


@dataclass(frozen=True)
class PlanStep:
    index: int
    start: dt.date
    kind: StepKind
    doses: tuple[PlannedDose, ...]  # dose times at 0 mg are left out; FINAL has none
    diazepam_mg: float  # daily DZ-eq of the measurable amounts
    ideal_diazepam_mg: float

    def regimen(self) -> tuple[RegimenDose, ...]:
        """The regimen this step sets, for "apply next step"."""
        return tuple(RegimenDose(d.drug, d.mg, d.time) for d in self.doses)


def validate_spec(spec: PlanSpec, current_mg: float | None = None) -> None:
    """ValidationError (one sentence) for a spec that cannot make a plan; ``current_mg`` is
    the current daily total of the drug, when known."""
    if isinstance(spec.interval_days, bool) or not isinstance(spec.interval_days, int):
        raise ValidationError("The interval must be a whole number of days.", field="interval")
    if spec.interval_days < 1:
        raise ValidationError(
            f"The interval between steps must be at least 1 day (got {spec.interval_days}).",
            field="interval",
        )
    if spec.method is PlanMethod.PERCENT:
        _validate_percent(spec)
    elif spec.method is PlanMethod.STEP:
        _validate_step(spec)
    else:
        _validate_custom(spec, current_mg)


def build_plan(
    current: Sequence[RegimenDose],
    spec: PlanSpec,
    products: Sequence[Product],
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> list[PlanStep]:
    """The steps from the ``current`` single-drug regimen down to 0 mg."""
    doses = _taken(current)
    drug = _single_drug(doses)
    start_amounts = [d.mg for d in doses]
    start_total = sum(start_amounts)
    validate_spec(spec, start_total)
    to_dz = DIAZEPAM_REFERENCE_MG / factor_for(drug, table, overrides)

    steps: list[PlanStep] = []
    previous = start_amounts
    for interval, ideal_total in enumerate(_ideal_totals(spec, start_total)):
        if interval >= MAX_STEPS:
            raise ValidationError(
                f"This plan would take more than {MAX_STEPS} steps; please check the "
                "percentage, the step size and the final step.",
                field="method",
            )
        ideals = level_down(start_amounts, ideal_total)
        amounts = _measurable_split(drug, ideals, previous, ideal_total, products)
        total = sum(amounts)
        if spec.method is PlanMethod.CUSTOM and abs(total - ideal_total) > _TOLERANCE_MG:
            raise _cannot_measure_daily(drug, ideal_total, ideals, previous, products)
        if total >= sum(previous) - _TOLERANCE_MG:
            continue  # not measurably lower: this interval is merged into the step before
        planned = tuple(
            _planned(drug, d.time, ideal, mg, products)
            for d, ideal, mg in zip(doses, ideals, amounts, strict=True)
            if mg > _TOLERANCE_MG
        )
        kind = StepKind.CUT if planned else StepKind.FINAL
        day = spec.start + dt.timedelta(days=interval * spec.interval_days)
        steps.append(PlanStep(len(steps), day, kind, planned, total * to_dz, ideal_total * to_dz))
        if kind is StepKind.FINAL:
            break
        previous = amounts
    return steps


def build_crossover(
    current: Sequence[RegimenDose],
    target_drug: str,
    stage_days: int,
    start: dt.date,
    products: Sequence[Product],
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
    then: PlanSpec | None = None,
) -> list[PlanStep]:
    """Stages that move ``current`` (one or more drugs) to ``target_drug`` one dose time at a
    time, every ``stage_days`` from ``start``; then, if given, the ``then`` taper of the target
    drug alone, starting the day after the last stage ends (``then.start`` is ignored)."""
    target = canonical_drug(target_drug)
    to_target = factor_for(target, table, overrides) / DIAZEPAM_REFERENCE_MG
    if isinstance(stage_days, bool) or not isinstance(stage_days, int) or stage_days < 1:
        raise ValidationError("Each crossover stage must last at least 1 day.", field="stage")
    slots = _slots(_taken(current))
    order = [
        time
        for time in sorted(slots, reverse=True)
        if any(not same_name(d.drug, target) for d in slots[time])
    ]
    if not order:
        raise ValidationError(
            f"The regimen is already all {target}; there is nothing to cross over.",
            field="drug",
        )

    def dz(dose: RegimenDose) -> float:
        return diazepam_equivalent(dose.drug, dose.mg, table, overrides)

    original_dz = sum(dz(d) for doses in slots.values() for d in doses)
    planned = {time: tuple(_unchanged(d, products) for d in doses) for time, doses in slots.items()}
    drift_dz = 0.0  # measured total minus the original, carried into the next stage
    steps: list[PlanStep] = []
    for stage, time in enumerate(order):
        slot_dz = sum(dz(d) for d in slots[time])
        ideal_mg = slot_dz * to_target
        measured = measure(target, max(0.0, slot_dz - drift_dz) * to_target, products)
        drift_dz += measured.mg / to_target - slot_dz
        planned[time] = (
            (PlannedDose(target, time, ideal_mg, measured.mg, measured.ml, measured.how),)
            if measured.mg > _TOLERANCE_MG
            else ()
        )
        doses = tuple(dose for slot in sorted(planned) for dose in planned[slot])
        day = start + dt.timedelta(days=stage * stage_days)
        steps.append(
            PlanStep(stage, day, StepKind.CROSSOVER, doses, original_dz + drift_dz, original_dz)
        )
    if then is None:
        return steps
    after = start + dt.timedelta(days=len(order) * stage_days)
    taper = build_plan(steps[-1].regimen(), replace(then, start=after), products, table, overrides)
    return steps + [replace(step, index=step.index + len(steps)) for step in taper]


def shift_for_hold(
    steps: Sequence[PlanStep], hold_start: dt.date, hold_days: int
) -> list[PlanStep]:
    """Every step starting on or after ``hold_start`` moves later by exactly ``hold_days``."""
    _check_days(hold_days, "hold")
    delay = dt.timedelta(days=hold_days)
    return [replace(s, start=s.start + delay) if s.start >= hold_start else s for s in steps]


def rebase(
    spec: PlanSpec,
    new_regimen: Sequence[RegimenDose],
    changed_on: dt.date,
    hold_days: int,
    products: Sequence[Product],
    table: str = DEFAULT_TABLE,
    overrides: Mapping[str, float] | None = None,
) -> list[PlanStep]:
    """After a reinstatement on ``changed_on``: the same method from the new dose, its first
    step after a stabilising hold of ``hold_days`` (the user's choice). A custom plan keeps
    only its steps below the new daily total."""
    _check_days(hold_days, "stabilising hold")
    new_total = sum(d.mg for d in _taken(new_regimen))
    rebased = replace(
        spec,
        start=changed_on + dt.timedelta(days=hold_days),
        custom_mg=tuple(mg for mg in spec.custom_mg if mg < new_total),
    )
    return build_plan(new_regimen, rebased, products, table, overrides)


def plan_end(steps: Sequence[PlanStep]) -> dt.date | None:
    """The day the plan reaches 0 mg; None when it has no final step (e.g. a crossover only)."""
    finals = [s.start for s in steps if s.kind is StepKind.FINAL]
    return finals[-1] if finals else None


def cut_percents(start_diazepam_mg: float, steps: Sequence[PlanStep]) -> list[float]:
    """Each step's change as a percentage of the daily DZ-eq just before it (10.0 for a 10%
    cut, about 0 for a crossover stage), starting from ``start_diazepam_mg``."""
    percents: list[float] = []
    before = start_diazepam_mg
    for step in steps:
        percents.append((before - step.diazepam_mg) / before * 100 if before else 0.0)
        before = step.diazepam_mg
    return percents


def level_down(amounts: Sequence[float], total: float) -> list[float]:
    """``amounts`` cut to ``total`` by bringing the largest down first: every amount above a
    common level is lowered to it, amounts below it stay."""
    if total >= sum(amounts):
        return list(amounts)
    if total <= 0:
        return [0.0 for _ in amounts]
    remaining, count = total, len(amounts)
    for amount in sorted(amounts):
        level = remaining / count
        if amount >= level:
            return [min(a, level) for a in amounts]
        remaining -= amount
        count -= 1
    return list(amounts)  # not reached: the largest amount is always at or above the level


# ---- internals --------------------------------------------------------------------------


def _check_number(value: float | None, message: str, field: str) -> float:
    if value is None or isinstance(value, bool) or not math.isfinite(value):
        raise ValidationError(message, field=field)
    return float(value)


def _validate_percent(spec: PlanSpec) -> None:
    percent = _check_number(spec.percent, "Enter the percentage to cut at each step.", "percent")
    if not 0 < percent < 100:
        raise ValidationError(
            f"The percentage must be more than 0 and less than 100 (got {percent:g}).",
            field="percent",
        )
    final = _check_number(
        spec.final_step_mg,
        "Choose the final step: the daily amount below which the next step is 0 mg, "
        "because a percentage taper never reaches 0 by itself.",
        "final_step",
    )
    if final <= 0:
        raise ValidationError(
            f"The final step must be more than 0 mg (got {final:g} mg).", field="final_step"
        )


def _validate_step(spec: PlanSpec) -> None:
    step = _check_number(spec.step_mg, "Enter the mg to cut at each step.", "step")
    if step <= 0:
        raise ValidationError(f"The step must be more than 0 mg (got {step:g} mg).", field="step")


def _validate_custom(spec: PlanSpec, current_mg: float | None) -> None:
    if not spec.custom_mg:
        raise ValidationError("Enter the daily amounts of the custom plan.", field="steps")
    if len(spec.custom_mg) > MAX_STEPS:
        raise ValidationError(
            f"A custom plan has at most {MAX_STEPS} steps (got {len(spec.custom_mg)}).",
            field="steps",
        )
    for mg in spec.custom_mg:
        amount = _check_number(mg, "Each step must be an amount in mg.", "steps")
        if amount < 0:
            raise ValidationError(f"A step cannot be below 0 mg (got {mg:g} mg).", field="steps")
    if current_mg is not None and spec.custom_mg[0] >= current_mg:
        raise ValidationError(
            f"The first step ({spec.custom_mg[0]:g} mg) is not below the current daily "
            f"amount ({current_mg:g} mg): {NEVER_INCREASES}.",
            field="steps",
        )
    for before, after in itertools.pairwise(spec.custom_mg):
        if after >= before:
            raise ValidationError(
                f"Each step must be lower than the one before, but {before:g} mg is followed "
                f"by {after:g} mg: {NEVER_INCREASES}.",
                field="steps",
            )
    if spec.custom_mg[-1] != 0:
        raise ValidationError(
            f"The last step of a custom plan must be 0 mg (it is {spec.custom_mg[-1]:g} mg).",
            field="steps",
        )


def _check_days(days: int, what: str) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValidationError(f"The {what} must be a whole number of days, 0 or more.", field=what)


def _taken(regimen: Sequence[RegimenDose]) -> list[RegimenDose]:
    """The doses actually taken (above 0 mg), in time order."""
    return sorted((d for d in regimen if d.mg > 0), key=lambda d: d.time)


def _single_drug(doses: Sequence[RegimenDose]) -> str:
    if not doses:
        raise ValidationError("There is no current dose to plan from.", field="regimen")
    drugs = sorted({canonical_drug(d.drug) for d in doses})
    if len(drugs) > 1:
        raise ValidationError(
            f"A taper plan works on one drug, and this regimen has {' and '.join(drugs)}; "
            "a crossover plan can move it to one drug first.",
            field="regimen",
        )
    return drugs[0]


def _slots(doses: Sequence[RegimenDose]) -> dict[dt.time, list[RegimenDose]]:
    slots: dict[dt.time, list[RegimenDose]] = {}
    for dose in doses:
        slots.setdefault(dose.time, []).append(dose)
    return slots


def _ideal_totals(spec: PlanSpec, start_total: float) -> Iterator[float]:
    """One ideal daily total per interval, the last one 0."""
    if spec.method is PlanMethod.CUSTOM:
        yield from spec.custom_mg
        return
    total = start_total
    while True:
        if spec.method is PlanMethod.PERCENT:
            total *= 1 - (spec.percent or 0) / 100
            below_final = total < (spec.final_step_mg or 0)
        else:
            total -= spec.step_mg or 0
            below_final = total <= _TOLERANCE_MG
        if below_final:
            yield 0.0
            return
        yield total


def _measurable_split(
    drug: str,
    ideals: Sequence[float],
    ceilings: Sequence[float],
    ideal_total: float,
    products: Sequence[Product],
) -> list[float]:
    """Per dose, the measurable amount just below or above its ideal (never above its
    ``ceiling``, the amount of the step before), with the day's total nearest the ideal."""
    choices = _choices(drug, ideals, ceilings, products)

    def preference(amounts: tuple[float, ...]) -> tuple[float, ...]:
        total = sum(amounts)
        later_doses_larger = (-a for a in reversed(amounts))
        return (abs(total - ideal_total), -total, *later_doses_larger)

    best: tuple[float, ...] = min(itertools.product(*choices), key=preference)
    return list(best)


def _choices(
    drug: str, ideals: Sequence[float], ceilings: Sequence[float], products: Sequence[Product]
) -> list[list[float]]:
    pairs = zip(ideals, ceilings, strict=True)
    return [_around(drug, ideal, ceiling, products) for ideal, ceiling in pairs]


def _around(drug: str, ideal: float, ceiling: float, products: Sequence[Product]) -> list[float]:
    below, above = nearest_measurable(drug, ideal, products)
    lower = below if below is not None else 0.0
    options = {lower} | ({above} if above is not None else set())
    allowed = sorted(a for a in options if a <= ceiling + _TOLERANCE_MG)
    return allowed or [lower]


def _cannot_measure_daily(
    drug: str,
    total: float,
    ideals: Sequence[float],
    ceilings: Sequence[float],
    products: Sequence[Product],
) -> ValidationError:
    choices = _choices(drug, ideals, ceilings, products)
    totals = {round(sum(c), 9) for c in itertools.product(*choices)}
    nearest = [max((t for t in totals if t <= total), default=None)]
    nearest.append(min((t for t in totals if t >= total), default=None))
    named = " and ".join(f"{t:g} mg" for t in nearest if t is not None)
    return ValidationError(
        f"{total:g} mg a day of {drug} cannot be measured with the products entered; "
        f"the nearest daily amounts are {named}.",
        field="steps",
    )


def _planned(
    drug: str, time: dt.time, ideal_mg: float, mg: float, products: Sequence[Product]
) -> PlannedDose:
    """A dose of ``mg``, an amount the products measure, with how to take it."""
    measured = measure(drug, mg, products)
    return PlannedDose(drug, time, ideal_mg, measured.mg, measured.ml, measured.how)


def _unchanged(dose: RegimenDose, products: Sequence[Product]) -> PlannedDose:
    """A dose the crossover has not reached yet: kept exactly as it is now."""
    measured = measure(dose.drug, dose.mg, products)
    if has_products(dose.drug, products) and abs(measured.mg - dose.mg) <= _TOLERANCE_MG:
        return PlannedDose(dose.drug, dose.time, dose.mg, dose.mg, measured.ml, measured.how)
    return PlannedDose(dose.drug, dose.time, dose.mg, dose.mg, None, f"{dose.mg:g} mg as now")
