"""Export and import through the service: a full round trip, and all or nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
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
    RegimenDose,
)
from diary.domain.records import DiaryRecords
from diary.services.diary_service import DiaryService
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


@pytest.fixture
def second(tmp_path: Path, fast_kdf: KdfParams) -> DiaryService:
    service, _ = create_diary(tmp_path / "second.tpd", PASSPHRASE, kdf=fast_kdf)
    return service


def _without_ids(records: DiaryRecords) -> dict[str, object]:
    """The records as comparable data, leaving out the ids a new diary assigns afresh."""

    def no_id(item: Any) -> Any:
        has_id = any(f.name == "id" for f in dataclasses.fields(item))
        return dataclasses.replace(item, id=None) if has_id else item

    return {
        f.name: [no_id(item) for item in getattr(records, f.name)]
        for f in dataclasses.fields(records)
        if f.name != "settings"
    } | {"settings": records.settings}


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
