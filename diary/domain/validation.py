"""Sane limits for what the diary accepts, each with a reason a patient can read.

Every check raises ``ValidationError`` (one plain sentence) and returns the cleaned value.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from diary.domain.equivalence import ASHTON, DIAZEPAM_REFERENCE_MG, canonical_drug
from diary.domain.errors import ValidationError
from diary.domain.models import SEVERITY_WORDS, DoseKind, Form, Hold, Medication, RegimenDose

MAX_SINGLE_DOSE_DZ_EQ_MG = 100.0
MAX_ML = 100.0
MAX_CONCENTRATION_MG_ML = 100.0
MAX_NOTE_CHARS = 10_000
MAX_NAME_CHARS = 100
MAX_SEVERITY = len(SEVERITY_WORDS) - 1
MAX_WELLBEING = 10
MAX_SLEEP_HOURS = 24.0
FUTURE_ALLOWANCE = dt.timedelta(days=1)


def describe_date(day: dt.date) -> str:
    """A date as people write it: 5 March 2024."""
    return f"{day.day} {day:%B %Y}"


def clean_name(text: str, what: str = "name") -> str:
    name = " ".join(text.split())
    if not name:
        raise ValidationError(f"The {what} cannot be empty.", field=what)
    if len(name) > MAX_NAME_CHARS:
        raise ValidationError(
            f"The {what} is {len(name)} characters long; the most is {MAX_NAME_CHARS}.",
            field=what,
        )
    return name


def check_note(text: str, what: str = "note") -> str:
    if len(text) > MAX_NOTE_CHARS:
        raise ValidationError(
            f"The {what} is {len(text):,} characters long; the most is {MAX_NOTE_CHARS:,}.",
            field=what,
        )
    return text


def _check_number(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"The {what} must be a number.", field=what)
    return float(value)


def max_single_dose_mg(drug: str) -> float:
    """The largest single dose accepted: the equivalent of 100 mg diazepam by the Ashton table
    (the upper end where Ashton gives a range), far above any therapeutic single dose."""
    factor = ASHTON.factors[canonical_drug(drug)]
    return MAX_SINGLE_DOSE_DZ_EQ_MG / DIAZEPAM_REFERENCE_MG * factor.high


def check_dose_mg(mg: float, drug: str, kind: DoseKind = DoseKind.EXTRA) -> float:
    mg = _check_number(mg, "amount in mg")
    if kind is DoseKind.NOT_TAKEN:
        if mg != 0:
            raise ValidationError("A dose recorded as not taken has 0 mg.", field="mg")
        return mg
    if mg <= 0:
        raise ValidationError(f"The amount must be more than 0 mg (got {mg:g} mg).", field="mg")
    limit = max_single_dose_mg(drug)
    if mg > limit:
        raise ValidationError(
            f"{mg:g} mg of {canonical_drug(drug)} is more than {limit:g} mg, the equivalent of "
            f"{MAX_SINGLE_DOSE_DZ_EQ_MG:g} mg diazepam by the Ashton table, which is the most "
            "the diary accepts for one dose; please check the amount.",
            field="mg",
        )
    return mg


def check_ml(ml: float | None) -> float | None:
    if ml is None:
        return None
    ml = _check_number(ml, "volume in mL")
    if not 0 < ml <= MAX_ML:
        raise ValidationError(
            f"The volume must be more than 0 mL and at most {MAX_ML:g} mL (got {ml:g} mL).",
            field="ml",
        )
    return ml


def check_severity(severity: int, symptom: str) -> int:
    if isinstance(severity, bool) or not isinstance(severity, int):
        raise ValidationError(f"The rating for {symptom} must be a whole number from 0 to 4.")
    if not 0 <= severity <= MAX_SEVERITY:
        raise ValidationError(
            f"The rating for {symptom} is {severity}, which is outside 0-{MAX_SEVERITY} "
            f"(0 {SEVERITY_WORDS[0]}, {MAX_SEVERITY} {SEVERITY_WORDS[MAX_SEVERITY]}).",
            field="severity",
        )
    return severity


def check_wellbeing(wellbeing: int | None) -> int | None:
    if wellbeing is None:
        return None
    if isinstance(wellbeing, bool) or not isinstance(wellbeing, int):
        raise ValidationError("Wellbeing must be a whole number from 0 to 10.", field="wellbeing")
    if not 0 <= wellbeing <= MAX_WELLBEING:
        raise ValidationError(
            f"Wellbeing {wellbeing} is outside 0-{MAX_WELLBEING}.", field="wellbeing"
        )
    return wellbeing


def check_sleep_hours(hours: float | None) -> float | None:
    if hours is None:
        return None
    hours = _check_number(hours, "hours slept")
    if not 0 <= hours <= MAX_SLEEP_HOURS:
        raise ValidationError(
            f"Hours slept {hours:g} is outside 0-{MAX_SLEEP_HOURS:g}.", field="sleep_hours"
        )
    return hours


def check_not_far_future(moment: dt.datetime, now: dt.datetime, what: str = "A dose") -> None:
    if moment > now + FUTURE_ALLOWANCE:
        raise ValidationError(
            f"{what} cannot be dated more than one day in the future "
            f"({describe_date(moment.date())} was given).",
            field="date",
        )


def check_day_not_far_future(day: dt.date, today: dt.date, what: str) -> None:
    if day > today + FUTURE_ALLOWANCE:
        raise ValidationError(
            f"{what} cannot be for a day after tomorrow ({describe_date(day)} was given).",
            field="date",
        )


def check_aware(moment: dt.datetime) -> dt.datetime:
    """A naive time is taken as local time; the stored value always keeps its UTC offset."""
    return moment if moment.utcoffset() is not None else moment.astimezone()


def check_medication(med: Medication) -> Medication:
    """A medication with a clean name, a known drug and a form that fits its strength."""
    name = clean_name(med.name, "medication name")
    drug = canonical_drug(med.drug)
    form = Form(med.form)
    strength = None if med.strength_mg is None else _check_number(med.strength_mg, "strength")
    concentration = (
        None
        if med.concentration_mg_ml is None
        else _check_number(med.concentration_mg_ml, "concentration")
    )
    if form is Form.LIQUID:
        if concentration is None:
            raise ValidationError(
                "A liquid needs its concentration in mg per mL.", field="concentration_mg_ml"
            )
        if strength is not None:
            raise ValidationError(
                "A liquid has a concentration in mg per mL, not a tablet strength.",
                field="strength_mg",
            )
        if not 0 < concentration <= MAX_CONCENTRATION_MG_ML:
            raise ValidationError(
                f"The concentration must be more than 0 and at most "
                f"{MAX_CONCENTRATION_MG_ML:g} mg per mL (got {concentration:g}).",
                field="concentration_mg_ml",
            )
    else:
        if concentration is not None:
            raise ValidationError(
                f"A {form.value} has a strength in mg, not a concentration in mg per mL.",
                field="concentration_mg_ml",
            )
        if strength is not None:
            if strength <= 0:
                raise ValidationError(
                    f"The strength must be more than 0 mg (got {strength:g} mg).",
                    field="strength_mg",
                )
            check_dose_mg(strength, drug)
    return Medication(name, drug, form, strength, concentration, med.id)


def check_regimen_dose(dose: RegimenDose) -> RegimenDose:
    drug = canonical_drug(dose.drug)
    mg = check_dose_mg(dose.mg, drug)
    medication = None if dose.medication is None else clean_name(dose.medication, "medication")
    time = dose.time.replace(second=0, microsecond=0, tzinfo=None)
    return RegimenDose(drug, mg, time, medication)


def check_regimen(doses: Iterable[RegimenDose]) -> tuple[RegimenDose, ...]:
    """Each dose checked; one drug at most once per time of day. An empty regimen is allowed:
    it records that the person takes nothing from that date."""
    checked = tuple(sorted((check_regimen_dose(d) for d in doses), key=lambda d: d.time))
    seen: set[tuple[str, dt.time]] = set()
    for dose in checked:
        key = (dose.drug, dose.time)
        if key in seen:
            raise ValidationError(
                f"{dose.drug} appears twice at {dose.time:%H:%M}; "
                "give the total for that time once.",
                field="doses",
            )
        seen.add(key)
    return checked


def check_hold_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise ValidationError(
            f"A hold cannot end ({describe_date(end)}) before it starts ({describe_date(start)}).",
            field="end",
        )


def check_no_overlap(hold: Hold, others: Iterable[Hold]) -> None:
    """Holds never overlap: each day is in at most one hold."""
    for other in others:
        if other.id is not None and other.id == hold.id:
            continue
        starts_before_other_ends = other.end is None or hold.start <= other.end
        ends_after_other_starts = hold.end is None or other.start <= hold.end
        if starts_before_other_ends and ends_after_other_starts:
            until = "still going on" if other.end is None else f"to {describe_date(other.end)}"
            raise ValidationError(
                f"This hold overlaps the hold from {describe_date(other.start)} {until}.",
                field="start",
            )


def parse_date(text: str, what: str = "date") -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f'"{text}" is not a valid {what}; write it as YYYY-MM-DD, e.g. 2024-03-05.',
            field=what,
        ) from None


def parse_datetime(text: str, what: str = "time") -> dt.datetime:
    """An ISO-8601 date and time; without a UTC offset it is taken as local time."""
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f'"{text}" is not a valid {what}; write it as YYYY-MM-DDTHH:MM, e.g. 2024-03-05T08:00.',
            field=what,
        ) from None
    return check_aware(moment)
