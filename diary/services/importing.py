"""What an import checks beyond ``diary.domain.import_rules``: how each medication is measured
and whether it is retired, stored plans, the settings the service owns (warning thresholds,
reminders and the names kept for reports), and the order of the symptoms.

Like the rest of an import, every check runs before anything is written, and the first bad
record is named, e.g. "Plan made on 2024-03-01: the diary already has an active plan.".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from diary.domain.equivalence import get_table
from diary.domain.errors import ValidationError
from diary.domain.import_rules import about
from diary.domain.models import (
    DEFAULT_SYRINGE_ML,
    SETTING_REMINDERS_ENABLED,
    SETTING_REMINDERS_SHOW_DETAILS,
    Medication,
    ReportNames,
    Symptom,
    is_flag_text,
)
from diary.domain.names import find_name
from diary.domain.records import DiaryRecords
from diary.domain.taper.plan_record import PlanRecord, PlanStatus
from diary.domain.taper.plans import PlanStep, validate_spec
from diary.domain.taper.warnings import Thresholds
from diary.services.medication_rules import checked_medication, handling_of

THRESHOLD_SETTINGS = frozenset(Thresholds().as_settings())
REMINDER_SETTINGS = frozenset((SETTING_REMINDERS_ENABLED, SETTING_REMINDERS_SHOW_DETAILS))
REPORT_NAME_SETTINGS = frozenset(ReportNames().as_settings())


@dataclass(frozen=True)
class ImportExtras:
    """Checked records that ``import_rules.plan_import`` does not cover."""

    medications: Mapping[str, Medication] = field(default_factory=dict)  # by folded name
    plans: tuple[PlanRecord, ...] = ()
    settings: Mapping[str, str] = field(default_factory=dict)
    symptom_order: tuple[str, ...] = ()  # the file's symptoms, first to last, as named there


def as_compared_by_import_rules(med: Medication) -> Medication:
    """``med`` with the fields ``import_rules`` does not know set to their defaults, so it
    compares a file's medication with the diary's by name, drug, form and strength only."""
    return replace(med, split=1, syringe_ml=DEFAULT_SYRINGE_ML, retired=False)


def check_extras(
    records: DiaryRecords,
    existing_medications: Sequence[Medication],
    has_active_plan: bool,
    current_settings: Mapping[str, str],
) -> ImportExtras:
    return ImportExtras(
        medications=_medications(records.medications, existing_medications),
        plans=_plans(records.plans, has_active_plan),
        settings=_settings(records.settings, current_settings),
        symptom_order=tuple(s.name for s in sorted(records.symptoms, key=lambda s: s.position)),
    )


def with_file_handling(med: Medication, extras: ImportExtras) -> Medication:
    """A new medication as ``import_rules`` cleaned it, with the file's handling and status."""
    source = extras.medications[med.name.casefold()]
    return replace(med, split=source.split, syringe_ml=source.syringe_ml, retired=source.retired)


def symptom_order(order: Sequence[str], symptoms: Iterable[Symptom]) -> list[str]:
    """The diary's spelling of each symptom of the file, in the file's order."""
    known = [s.name for s in symptoms]
    found = (find_name(name, known) for name in order)
    return [name for name in found if name is not None]


def _medications(
    records: Iterable[Medication], existing: Sequence[Medication]
) -> dict[str, Medication]:
    checked: dict[str, Medication] = {}
    for record in records:
        with about(f'Medication "{record.name}"'):
            med = checked_medication(record)
            same = next((m for m in existing if m.name.casefold() == med.name.casefold()), None)
            if same is not None and handling_of(same) != handling_of(med):
                raise ValidationError(
                    "the diary already has a medication with this name but other tablet "
                    "splitting or syringe marks.",
                    field="name",
                )
            checked[med.name.casefold()] = med
    return checked


def _plans(records: Sequence[PlanRecord], has_active_plan: bool) -> tuple[PlanRecord, ...]:
    active_seen = has_active_plan
    holder = "the diary already has an" if has_active_plan else "the file has another"
    for record in records:
        with about(f"Plan made on {record.created.isoformat()}"):
            _check_plan(record)
            if record.status is PlanStatus.ACTIVE:
                if active_seen:
                    raise ValidationError(f"{holder} active plan.", field="plans")
                active_seen = True
    return tuple(replace(record, id=None) for record in records)


def _check_plan(record: PlanRecord) -> None:
    get_table(record.table)
    validate_spec(record.spec)
    if not record.steps:
        raise ValidationError("it has no steps.", field="steps")
    if record.stage_days is not None and record.stage_days < 1:
        raise ValidationError("its crossover stages must be at least 1 day.", field="stage_days")
    for number, step in enumerate(record.steps, start=1):
        _check_step(number, step)


def _check_step(number: int, step: PlanStep) -> None:
    amounts = [step.diazepam_mg, step.ideal_diazepam_mg]
    for dose in step.doses:
        amounts += [dose.ideal_mg, dose.mg]
        if dose.ml is not None and not (math.isfinite(dose.ml) and dose.ml > 0):
            raise ValidationError(f"step {number} has a volume that is not above 0 mL.")
    if not all(math.isfinite(mg) and mg >= 0 for mg in amounts):
        raise ValidationError(f"step {number} has an amount below 0 mg.", field="steps")


def _settings(settings: Mapping[str, str], current: Mapping[str, str]) -> dict[str, str]:
    checked: dict[str, str] = {}
    given = {key: value for key, value in settings.items() if key in THRESHOLD_SETTINGS}
    if given:
        with about("The warning settings"):
            try:
                thresholds = Thresholds.from_settings({**current, **given})
            except ValueError:
                raise ValidationError("they must be numbers.", field="settings") from None
        checked.update(thresholds.as_settings())
    for key in REMINDER_SETTINGS & settings.keys():
        if not is_flag_text(settings[key]):
            raise ValidationError(f'Setting "{key}": it must be true or false.', field="settings")
        checked[key] = settings[key]
    if REPORT_NAME_SETTINGS & settings.keys():
        with about("The names for reports"):
            names = ReportNames.from_settings(settings).checked()
        checked.update(names.as_settings())
    return checked
