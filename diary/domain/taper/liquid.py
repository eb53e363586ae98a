"""Liquid and micro-taper maths (the formulas of domain.md, "Liquid and micro-taper maths").

All amounts are mg and mL. These functions compute; they never suggest a dose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from diary.domain.errors import ValidationError

SHAKE_NOTE = (
    "Diazepam is practically insoluble in water: a tablet in water or milk makes a suspension, "
    "not a solution, so shake it well before every dose."
)

# Float noise (0.1 * 3 == 0.30000000000000004) must not push a volume past a syringe mark.
_EPSILON = 1e-9


@dataclass(frozen=True)
class LiquidDay:
    """One day of a "remove k mL on day k" series."""

    day: int  # day 0 is the whole tablet, before anything is removed
    removed_ml: float
    dose_mg: float
    cut_percent: float | None  # of the day before's dose; None on day 0


@dataclass(frozen=True)
class MeasuredVolume:
    """A volume as the syringe can measure it, and the dose it really holds."""

    ideal_ml: float
    ml: float  # rounded to the syringe's marks
    mg: float  # what ``ml`` actually delivers


def _positive(value: float, what: str) -> float:
    if not math.isfinite(value) or value <= 0:
        raise ValidationError(f"The {what} must be more than 0 (got {value:g}).", field=what)
    return value


def _not_negative(value: float, what: str) -> float:
    if not math.isfinite(value) or value < 0:
        raise ValidationError(f"The {what} cannot be below 0 (got {value:g}).", field=what)
    return value


def suspension_concentration(tablet_mg: float, tablets: float, volume_ml: float) -> float:
    """mg per mL of ``tablets`` tablets of ``tablet_mg`` suspended in ``volume_ml`` mL."""
    _positive(tablet_mg, "tablet strength")
    _positive(tablets, "number of tablets")
    _positive(volume_ml, "volume")
    return tablets * tablet_mg / volume_ml


def volume_for_dose(target_mg: float, concentration_mg_ml: float) -> float:
    """mL of a liquid of ``concentration_mg_ml`` that hold ``target_mg``."""
    _not_negative(target_mg, "dose")
    _positive(concentration_mg_ml, "concentration")
    return target_mg / concentration_mg_ml


def dose_after_removing(
    tablet_mg: float, volume_ml: float, removed_ml: float, tablets: float = 1
) -> float:
    """The dose left when ``removed_ml`` of the suspension is taken out and thrown away."""
    concentration = suspension_concentration(tablet_mg, tablets, volume_ml)
    _not_negative(removed_ml, "volume removed")
    if removed_ml > volume_ml:
        raise ValidationError(
            f"Cannot remove {removed_ml:g} mL from {volume_ml:g} mL.", field="volume removed"
        )
    return concentration * (volume_ml - removed_ml)


def remove_k_ml_series(
    tablet_mg: float, volume_ml: float, step_ml: float = 1.0, tablets: float = 1
) -> list[LiquidDay]:
    """Day k removes k × ``step_ml``, until nothing is left.

    The dose falls by the same mg every day, so each day's cut is a larger share of what is
    left: the last days are very large percentage cuts (50%, then 100%), which the caller shows.
    """
    _positive(step_ml, "daily step")
    full = dose_after_removing(tablet_mg, volume_ml, 0, tablets)
    days = [LiquidDay(0, 0.0, full, None)]
    last_day = math.ceil(volume_ml / step_ml - _EPSILON)
    for day in range(1, last_day + 1):
        removed = min(day * step_ml, volume_ml)
        dose = dose_after_removing(tablet_mg, volume_ml, removed, tablets)
        before = days[-1].dose_mg
        days.append(LiquidDay(day, removed, dose, (before - dose) / before * 100))
    return days


def round_to_syringe(
    target_mg: float, concentration_mg_ml: float, resolution_ml: float = 0.1
) -> MeasuredVolume:
    """The volume nearest to ``target_mg`` that the syringe can measure, and the dose it holds.

    Halfway cases round up (the smaller cut). Computed on decimal fractions so 0.1 mL steps
    stay exact.
    """
    ideal = volume_for_dose(target_mg, concentration_mg_ml)
    _positive(resolution_ml, "syringe resolution")
    resolution = Fraction(str(resolution_ml))
    marks = math.floor(Fraction(ideal) / resolution + Fraction(1, 2) + Fraction(_EPSILON))
    volume = marks * resolution
    return MeasuredVolume(ideal, float(volume), float(volume * Fraction(str(concentration_mg_ml))))
