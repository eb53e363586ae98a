"""Rules for editing what a day already holds: a recorded dose, a check-in's values.

Pure functions on domain records, used by ``DiaryService.update_dose`` and
``DiaryService.clear_checkin_values``; they validate and return the new record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from diary.domain.errors import ValidationError
from diary.domain.import_rules import check_dose
from diary.domain.models import CheckIn, Dose, DoseKind, Form, Medication

ML_DECIMALS = 3  # a volume worked out from an amount: finer than any syringe reads
MG_TOLERANCE = 1e-6


def edited_dose(
    old: Dose,
    med: Medication,
    now: dt.datetime,
    mg: float | None = None,
    taken_at: dt.datetime | None = None,
    ml: float | None = None,
    note: str | None = None,
) -> Dose:
    """``old`` with the given values changed; None keeps what was there.

    For a liquid with a known concentration a volume sets the amount (mL x mg/mL), and a new
    amount alone moves a recorded volume to match. A planned dose whose amount or time
    changes becomes "adjusted"; a dose recorded as not taken that gets an amount was taken.
    """
    if (mg, taken_at, ml, note) == (None, None, None, None):
        raise ValidationError("There is nothing to change in this dose.")
    new_mg, new_ml = _amount_and_volume(old, med, mg, ml)
    moment = old.taken_at if taken_at is None else taken_at
    changed = new_mg != old.mg or moment != old.taken_at
    dose = Dose(
        moment,
        med.name,
        new_mg,
        new_ml,
        old.note if note is None else note,
        _kind_after_edit(old, new_mg, changed),
        old.planned_time,
        old.id,
    )
    return check_dose(dose, med, now)


def _amount_and_volume(
    old: Dose, med: Medication, mg: float | None, ml: float | None
) -> tuple[float, float | None]:
    concentration = med.concentration_mg_ml if med.form is Form.LIQUID else None
    if ml is not None and concentration is not None:
        from_volume = round(ml * concentration, 6)
        if mg is not None and abs(mg - from_volume) > MG_TOLERANCE:
            raise ValidationError(
                f"{ml:g} mL of {med.name} at {concentration:g} mg/mL is {from_volume:g} mg, "
                f"not {mg:g} mg.",
                field="mg",
            )
        return from_volume, ml
    if ml is not None:
        if mg is None and med.form is Form.LIQUID:
            raise ValidationError(
                f"The concentration of {med.name} is not known, so please give the amount "
                "in mg as well as the volume.",
                field="mg",
            )
        return (old.mg if mg is None else mg), ml  # check_dose refuses mL for a tablet
    if mg is not None and concentration is not None and old.ml is not None:
        return mg, round(mg / concentration, ML_DECIMALS)
    return (old.mg if mg is None else mg), old.ml


def _kind_after_edit(old: Dose, mg: float, changed: bool) -> DoseKind:
    if old.kind is DoseKind.NOT_TAKEN:
        return DoseKind.ADJUSTED if mg > 0 else DoseKind.NOT_TAKEN
    if old.kind is DoseKind.AS_PLANNED and changed:
        return DoseKind.ADJUSTED
    return old.kind


def cleared_checkin(
    old: CheckIn, symptoms: Iterable[str], wellbeing: bool, sleep_hours: bool
) -> CheckIn:
    """``old`` with the named symptoms unrated and, if asked, wellbeing or sleep unset."""
    unrated = set(symptoms)
    return CheckIn(
        old.date,
        {name: value for name, value in old.ratings.items() if name not in unrated},
        None if wellbeing else old.wellbeing,
        None if sleep_hours else old.sleep_hours,
        old.note,
        old.for_doctor,
    )


def describe_cleared(symptoms: Iterable[str], wellbeing: bool, sleep_hours: bool) -> str:
    """What was cleared, in words for "Undo clear ...": "the insomnia rating", "wellbeing"."""
    names = list(symptoms)
    parts: list[str] = []
    if len(names) == 1:
        parts.append(f"the {names[0]} rating")
    elif names:
        parts.append(f"{len(names)} symptom ratings")
    if wellbeing:
        parts.append("wellbeing")
    if sleep_hours:
        parts.append("hours slept")
    return " and ".join(parts)
