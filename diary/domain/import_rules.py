"""Checking a whole import against the diary it goes into, before anything is written.

Every record is checked; the first bad one is named in the message together with what is
wrong, e.g. "Check-in 2024-03-05: wellbeing 12 is outside 0-10.". A record that would clash
with one already in the diary (a second check-in for a date, say) is refused the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from diary.domain.equivalence import (
    SETTING_OVERRIDES,
    SETTING_TABLE,
    canonical_drug,
    get_table,
)
from diary.domain.errors import ValidationError
from diary.domain.models import (
    CheckIn,
    Dose,
    DoseKind,
    Event,
    EventKind,
    Form,
    Hold,
    Medication,
    RegimenChange,
    Symptom,
)
from diary.domain.names import find_name
from diary.domain.records import DiaryRecords
from diary.domain.validation import (
    check_aware,
    check_day_not_far_future,
    check_dose_mg,
    check_hold_dates,
    check_medication,
    check_ml,
    check_no_overlap,
    check_not_far_future,
    check_note,
    check_regimen,
    check_severity,
    check_sleep_hours,
    check_wellbeing,
    clean_name,
)


@dataclass(frozen=True)
class ExistingDiary:
    """What the receiving diary already holds, as far as an import can clash with it."""

    medications: tuple[Medication, ...]
    symptoms: tuple[Symptom, ...]
    regimen_dates: frozenset[dt.date]
    checkin_dates: frozenset[dt.date]
    holds: tuple[Hold, ...]
    dose_keys: frozenset[tuple[dt.datetime, str]]  # (moment, medication name folded)


@dataclass(frozen=True)
class ImportPlan:
    """Checked, cleaned records ready to write."""

    new_medications: tuple[Medication, ...] = ()
    new_symptoms: tuple[Symptom, ...] = ()
    tracked: Mapping[str, bool] = field(default_factory=dict)  # existing symptom -> tracked
    regimen_changes: tuple[RegimenChange, ...] = ()
    doses: tuple[Dose, ...] = ()
    holds: tuple[Hold, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    events: tuple[Event, ...] = ()
    settings: Mapping[str, str] = field(default_factory=dict)


@contextmanager
def about(subject: str) -> Iterator[None]:
    """Prefix any validation message raised inside with the record it is about."""
    try:
        yield
    except ValidationError as error:
        raise ValidationError(f"{subject}: {_lower_first(error.message)}", error.field) from None


def plan_import(records: DiaryRecords, existing: ExistingDiary, now: dt.datetime) -> ImportPlan:
    """Check every record; ValidationError names the first bad one."""
    medications = _medications(records.medications, existing)
    med_by_name = {m.name.casefold(): m for m in (*existing.medications, *medications)}
    new_symptoms, tracked = _symptoms(records.symptoms, existing)
    symptom_names = [s.name for s in (*existing.symptoms, *new_symptoms)]
    return ImportPlan(
        new_medications=medications,
        new_symptoms=new_symptoms,
        tracked=tracked,
        regimen_changes=_regimen_changes(records.regimen_changes, existing, med_by_name),
        doses=_doses(records.doses, existing, med_by_name, now),
        holds=_holds(records.holds, existing),
        checkins=_checkins(records.checkins, existing, symptom_names, now.date()),
        events=tuple(_event(e) for e in records.events),
        settings=_settings(records.settings),
    )


def _medications(records: Iterable[Medication], existing: ExistingDiary) -> tuple[Medication, ...]:
    new: list[Medication] = []
    seen: set[str] = set()
    for record in records:
        with about(f'Medication "{record.name}"'):
            med = check_medication(record)
            key = med.name.casefold()
            if key in seen:
                raise ValidationError("it appears twice in the file.", field="name")
            seen.add(key)
            same = next((m for m in existing.medications if m.name.casefold() == key), None)
            if same is None:
                new.append(replace(med, id=None))
            elif replace(same, id=None) != replace(med, id=None):
                raise ValidationError(
                    "the diary already has a medication with this name but a different drug, "
                    "form or strength.",
                    field="name",
                )
    return tuple(new)


def _symptoms(
    records: Iterable[Symptom], existing: ExistingDiary
) -> tuple[tuple[Symptom, ...], dict[str, bool]]:
    new: list[Symptom] = []
    tracked: dict[str, bool] = {}
    seen: set[str] = set()
    known = [s.name for s in existing.symptoms]
    for record in records:
        with about(f'Symptom "{record.name}"'):
            name = clean_name(record.name, "symptom name")
            if name.casefold() in seen:
                raise ValidationError("it appears twice in the file.", field="name")
            seen.add(name.casefold())
            found = find_name(name, known)
            if found is None:
                new.append(Symptom(name, 0, record.tracked, record.custom))
            else:
                tracked[found] = record.tracked
    return tuple(new), tracked


def _medication_for(name: str, med_by_name: Mapping[str, Medication]) -> Medication:
    med = med_by_name.get(name.strip().casefold())
    if med is None:
        raise ValidationError(
            f'the medication "{name}" is neither in the file nor in the diary.', field="medication"
        )
    return med


def _regimen_changes(
    records: Iterable[RegimenChange],
    existing: ExistingDiary,
    med_by_name: Mapping[str, Medication],
) -> tuple[RegimenChange, ...]:
    changes: list[RegimenChange] = []
    dates = set(existing.regimen_dates)
    for record in records:
        with about(f"Regimen change {record.date.isoformat()}"):
            if record.date in dates:
                raise ValidationError(
                    "there is already a regimen change on this date.", field="date"
                )
            dates.add(record.date)
            doses = check_regimen(record.doses)
            for dose in doses:
                if dose.medication is not None:
                    med = _medication_for(dose.medication, med_by_name)
                    check_same_drug(med, dose.drug)
            changes.append(
                RegimenChange(
                    record.date,
                    record.kind,
                    tuple(
                        replace(d, medication=_stored_name(d.medication, med_by_name))
                        for d in doses
                    ),
                    check_note(record.reason, "reason"),
                    record.prescriber_involved,
                )
            )
    return tuple(changes)


def _stored_name(name: str | None, med_by_name: Mapping[str, Medication]) -> str | None:
    return None if name is None else med_by_name[name.strip().casefold()].name


def check_same_drug(med: Medication, drug: str) -> None:
    if canonical_drug(drug) != med.drug:
        raise ValidationError(
            f'the medication "{med.name}" is {med.drug}, not {canonical_drug(drug)}.',
            field="medication",
        )


def check_dose(dose: Dose, med: Medication, now: dt.datetime) -> Dose:
    """A dose of ``med`` checked and cleaned (the same rules as recording one by hand)."""
    taken_at = check_aware(dose.taken_at)
    check_not_far_future(taken_at, now)
    mg = check_dose_mg(dose.mg, med.drug, DoseKind(dose.kind))
    ml = check_ml(dose.ml)
    if ml is not None and med.form is not Form.LIQUID:
        raise ValidationError(
            f'A volume in mL is only for liquids; "{med.name}" is a {med.form.value}.',
            field="ml",
        )
    planned = None if dose.planned_time is None else dose.planned_time.replace(second=0)
    note = check_note(dose.note)
    return Dose(taken_at, med.name, mg, ml, note, DoseKind(dose.kind), planned)


def _doses(
    records: Iterable[Dose],
    existing: ExistingDiary,
    med_by_name: Mapping[str, Medication],
    now: dt.datetime,
) -> tuple[Dose, ...]:
    doses: list[Dose] = []
    keys = set(existing.dose_keys)
    for index, record in enumerate(records, start=1):
        with about(f"Dose {index} ({record.taken_at.isoformat(timespec='minutes')})"):
            med = _medication_for(record.medication, med_by_name)
            dose = check_dose(record, med, now)
            key = (dose.taken_at, med.name.casefold())
            if key in keys:
                raise ValidationError(
                    "the same medication is already recorded at this moment.", field="taken_at"
                )
            keys.add(key)
            doses.append(dose)
    return tuple(doses)


def _holds(records: Iterable[Hold], existing: ExistingDiary) -> tuple[Hold, ...]:
    holds: list[Hold] = []
    for record in records:
        with about(f"Hold from {record.start.isoformat()}"):
            check_hold_dates(record.start, record.end)
            hold = Hold(record.start, record.end, check_note(record.reason, "reason"))
            check_no_overlap(hold, (*existing.holds, *holds))
            holds.append(hold)
    return tuple(holds)


def check_checkin_fields(checkin: CheckIn) -> None:
    check_wellbeing(checkin.wellbeing)
    check_sleep_hours(checkin.sleep_hours)
    check_note(checkin.note)


def _checkins(
    records: Iterable[CheckIn],
    existing: ExistingDiary,
    symptom_names: list[str],
    today: dt.date,
) -> tuple[CheckIn, ...]:
    checkins: list[CheckIn] = []
    dates = set(existing.checkin_dates)
    for record in records:
        with about(f"Check-in {record.date.isoformat()}"):
            if record.date in dates:
                raise ValidationError(
                    "the diary already has a check-in for this date.", field="date"
                )
            dates.add(record.date)
            check_day_not_far_future(record.date, today, "A check-in")
            check_checkin_fields(record)
            ratings = {}
            for name, severity in record.ratings.items():
                known = find_name(name, symptom_names)
                if known is None:
                    raise ValidationError(
                        f'the symptom "{name}" is neither in the file nor in the diary.',
                        field="ratings",
                    )
                ratings[known] = check_severity(severity, known)
            checkins.append(replace(record, ratings=ratings))
    return tuple(checkins)


def _event(record: Event) -> Event:
    with about(f"Event {record.date.isoformat()}"):
        return Event(
            record.date,
            EventKind(record.kind),
            clean_name(record.title, "title"),
            check_note(record.note),
        )


def check_override(drug: str, mg: float) -> tuple[str, float]:
    """An override of the mg of ``drug`` equal to 10 mg diazepam."""
    drug = canonical_drug(drug)
    if isinstance(mg, bool) or not isinstance(mg, int | float) or not 0 < mg <= 1000:
        raise ValidationError(
            f"The amount of {drug} equal to 10 mg diazepam must be more than 0 and at most "
            f"1000 mg (got {mg}).",
            field="override",
        )
    return drug, float(mg)


def _settings(settings: Mapping[str, str]) -> dict[str, str]:
    checked: dict[str, str] = {}
    checks: dict[str, Callable[[str], str]] = {
        SETTING_TABLE: lambda value: get_table(value).name,
        SETTING_OVERRIDES: _overrides_json,
    }
    for key, value in settings.items():
        check = checks.get(key)
        if check is None:
            continue  # a setting this version does not know: leave it out
        with about(f'Setting "{key}"'):
            checked[key] = check(value)
    return checked


def _overrides_json(value: str) -> str:
    try:
        loaded = json.loads(value)
    except ValueError:
        loaded = None
    if not isinstance(loaded, dict):
        raise ValidationError("it is not a list of drug amounts.", field="settings")
    overrides = dict(check_override(str(drug), mg) for drug, mg in loaded.items())
    return json.dumps(overrides, sort_keys=True)


def _lower_first(message: str) -> str:
    if len(message) > 1 and (message[1].islower() or message[1] == " "):
        return message[0].lower() + message[1:]
    return message
