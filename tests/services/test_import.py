"""Export and import through the service: a full round trip, and all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from diary.bootstrap import create_diary
from diary.domain.errors import ValidationError
from diary.domain.models import (
    ChangeKind,
    CheckIn,
    Dose,
    DoseKind,
    EventKind,
    Form,
    Hold,
    Medication,
    RegimenDose,
    ReminderSettings,
    ReportNames,
)
from diary.domain.records import DiaryRecords
from diary.domain.taper.plans import PlanMethod, PlanSpec
from diary.domain.taper.warnings import Thresholds
from diary.services.diary_service import DiaryService
from diary.services.transfer import export_json, parse_export
from diary.storage.keys import KdfParams
from tests.services.conftest import DAY, PASSPHRASE


def _fill(service: DiaryService) -> None:
    service.add_medication("Ativan", "lorazepam", strength_mg=1)
    service.add_medication("Diazepam 1 mg/mL", "diazepam", Form.LIQUID, concentration_mg_ml=1)
    service.set_regimen([RegimenDose("lorazepam", 1, dt.time(8), "Ativan")], dt.date(2024, 1, 1))
    service.set_regimen(
        [RegimenDose("diazepam", 5, dt.time(8))], dt.date(2024, 2, 1), ChangeKind.CROSSOVER
    )
    service.take_as_planned(DAY)
    service.add_dose(
        "Diazepam 1 mg/mL", 0.5, ml=0.5, note="extra", taken_at=dt.datetime(2024, 3, 5, 22)
    )
    service.start_hold(dt.date(2024, 2, 10), "letting things settle")
    service.end_hold(dt.date(2024, 3, 1))
    service.add_symptom("Jaw clenching")
    service.set_symptom_tracked("Tinnitus", False)
    service.record_checkin(DAY, {"Jaw clenching": 2, "Tinnitus": 0}, 6, 7.5, "ok", True)
    service.add_event(DAY, EventKind.APPOINTMENT, "Prescriber")
    service.set_equivalence_override("bromazepam", 5.5)
    # What the Settings page and the taper tools add: nothing of it may be lost either.
    service.add_medication("Valium 2", "diazepam", strength_mg=2, split=2)
    service.update_medication("Diazepam 1 mg/mL", syringe_ml=0.05)
    service.set_medication_retired("Ativan")
    service.move_symptom("Jaw clenching", 0)
    service.set_warning_thresholds(Thresholds(hard_percent=20, soft_percent=8, window_days=21))
    service.set_reminder_settings(ReminderSettings(enabled=True))
    service.set_report_names(ReportNames("Sam Patient", "Dr Rivera"))
    today = dt.date.today()
    service.create_plan(PlanSpec(PlanMethod.STEP, 14, today, step_mg=1))
    service.create_plan(PlanSpec(PlanMethod.PERCENT, 14, today, percent=10, final_step_mg=1))
    service.apply_next_step(today)


@pytest.fixture
def second(tmp_path: Path, fast_kdf: KdfParams) -> DiaryService:
    service, _ = create_diary(tmp_path / "second.tpd", PASSPHRASE, kdf=fast_kdf)
    return service


def _without_ids(records: DiaryRecords) -> dict[str, object]:
    """The records as comparable data, leaving out the ids a new diary assigns afresh."""

    def no_id(item: Any) -> Any:
        has_id = any(f.name == "id" for f in dataclasses.fields(item))
        return dataclasses.replace(item, id=None) if has_id else item

    compared = {
        f.name: [no_id(item) for item in getattr(records, f.name)]
        for f in dataclasses.fields(records)
        if f.name != "settings"
    } | {"settings": records.settings}
    assert all(compared.values()), "every kind of record is filled, so each is compared"
    return compared


def test_everything_exported_imports_into_a_new_diary(
    service: DiaryService, second: DiaryService
) -> None:
    _fill(service)
    records = service.all_records()
    changes = second.import_records(records)
    assert changes.label == "import" and changes.doses and changes.checkins
    assert _without_ids(second.all_records()) == _without_ids(records)
    assert second.undo_label() == "import"
    second.close()


def test_one_bad_record_imports_nothing_and_is_named(
    service: DiaryService, second: DiaryService
) -> None:
    _fill(service)
    good = service.all_records()
    bad_checkin = CheckIn(dt.date(2024, 3, 6), {}, wellbeing=12)
    records = dataclasses.replace(good, checkins=(*good.checkins, bad_checkin))
    generation = second.generation
    with pytest.raises(
        ValidationError, match=r"^Check-in 2024-03-06: wellbeing 12 is outside 0-10\.$"
    ):
        second.import_records(records)
    assert second.generation == generation
    assert second.medications() == [] and second.day_summaries() == []
    second.close()


def test_a_date_that_already_has_a_checkin_is_a_conflict(service: DiaryService) -> None:
    service.record_checkin(DAY, wellbeing=5)
    records = DiaryRecords(checkins=(CheckIn(DAY, wellbeing=3),))
    with pytest.raises(ValidationError, match="Check-in 2024-03-05: the diary already has"):
        service.import_records(records)
    checkin = service.checkin(DAY)
    assert checkin is not None and checkin.wellbeing == 5


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (
            DiaryRecords(doses=(Dose(dt.datetime(2024, 3, 5, 8).astimezone(), "Valium", 5),)),
            r'Dose 1 \(2024-03-05T08:00.*\): the medication "Valium" is neither',
        ),
        (
            DiaryRecords(checkins=(CheckIn(DAY, {"Jaw ache": 2}),)),
            'Check-in 2024-03-05: the symptom "Jaw ache"',
        ),
        (
            DiaryRecords(
                holds=(Hold(dt.date(2024, 1, 1)), Hold(dt.date(2024, 2, 1), dt.date(2024, 2, 5)))
            ),
            "Hold from 2024-02-01: this hold overlaps",
        ),
        (
            DiaryRecords(
                doses=(
                    Dose(dt.datetime(2024, 3, 5, 8).astimezone(), "Ativan", 0, kind=DoseKind.EXTRA),
                )
            ),
            r"Dose 1 .*: the amount must be more than 0 mg",
        ),
        (DiaryRecords(settings={"equivalence_table": "bnf"}), 'Setting "equivalence_table"'),
    ],
)
def test_bad_records_are_named(
    on_lorazepam: DiaryService, records: DiaryRecords, message: str
) -> None:
    generation = on_lorazepam.generation
    with pytest.raises(ValidationError, match=message):
        on_lorazepam.import_records(records)
    assert on_lorazepam.generation == generation


def test_the_json_document_round_trips_everything(
    service: DiaryService, second: DiaryService
) -> None:
    _fill(service)
    records = service.all_records()
    text = export_json(records, dt.datetime(2025, 3, 2, 9, 30).astimezone())
    second.import_records(parse_export(text))
    assert _without_ids(second.all_records()) == _without_ids(records)
    summary = second.plan_summary()
    assert summary is not None and summary.steps_left == len(summary.plan.steps) - 1
    assert second.reminder_settings().enabled
    assert second.report_names() == ReportNames("Sam Patient", "Dr Rivera")
    assert second.symptoms()[0].name == "Jaw clenching"
    second.close()


def _active_plan_records(service: DiaryService) -> DiaryRecords:
    _fill(service)
    return DiaryRecords(plans=service.all_records().plans)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: dataclasses.replace(r, plans=r.plans[1:] * 2),
            r"^Plan made on .*: the file has another active plan\.$",
        ),
        (
            lambda r: dataclasses.replace(r, plans=(dataclasses.replace(r.plans[0], table="bnf"),)),
            r"^Plan made on .*: .*bnf",
        ),
        (
            lambda r: dataclasses.replace(r, settings={"warning_cut_percent": "lots"}),
            r"^The warning settings: they must be numbers\.$",
        ),
        (
            lambda r: dataclasses.replace(r, settings={"warning_cut_percent": "150"}),
            r"^The warning settings: the warning percentage must be between 0 and 100",
        ),
        (
            lambda r: dataclasses.replace(r, settings={"reminders_enabled": "yes"}),
            r'^Setting "reminders_enabled": it must be true or false\.$',
        ),
        (
            lambda r: dataclasses.replace(r, settings={"report_patient_name": "x" * 81}),
            r"^The names for reports: your name is 81 characters long; the most is 80\.$",
        ),
    ],
)
def test_bad_plans_and_settings_are_named_and_import_nothing(
    service: DiaryService,
    second: DiaryService,
    change: Callable[[DiaryRecords], DiaryRecords],
    message: str,
) -> None:
    records = change(_active_plan_records(service))
    generation = second.generation
    with pytest.raises(ValidationError, match=message):
        second.import_records(records)
    assert second.generation == generation and second.plan_summary() is None
    second.close()


def test_an_active_plan_does_not_import_over_the_diary_s_own(service: DiaryService) -> None:
    _fill(service)
    plans = service.all_records().plans
    only_one = r"^Plan made on .*: the diary already has an active plan\.$"
    with pytest.raises(ValidationError, match=only_one):
        service.import_records(DiaryRecords(plans=plans))


def test_a_medication_measured_differently_is_a_conflict(service: DiaryService) -> None:
    service.add_medication("Valium 2", "diazepam", strength_mg=2, split=2)
    whole = Medication("Valium 2", "diazepam", Form.TABLET, 2.0)
    with pytest.raises(ValidationError, match='Medication "Valium 2": .*other tablet splitting'):
        service.import_records(DiaryRecords(medications=(whole,)))
    halves = dataclasses.replace(whole, split=2)
    service.import_records(DiaryRecords(medications=(halves,)))  # the same one: nothing to add
    assert len(service.medications()) == 1
