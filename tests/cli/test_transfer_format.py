"""The export format on its own: JSON round trip, named errors on import, CSV tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import replace

import pytest

from diary.domain.errors import NewerFormat, ValidationError
from diary.domain.models import (
    ChangeKind,
    CheckIn,
    Dose,
    DoseKind,
    Event,
    EventKind,
    Form,
    Hold,
    Medication,
    RegimenChange,
    RegimenDose,
    Symptom,
)
from diary.domain.records import DiaryRecords
from diary.domain.taper.plan_record import PlanRecord, PlanStatus
from diary.domain.taper.plans import PlanMethod, PlannedDose, PlanSpec, PlanStep, StepKind
from diary.services.transfer import export_csv, export_json, parse_export

PLUS_ONE = dt.timezone(dt.timedelta(hours=1))
EXPORTED_AT = dt.datetime(2025, 3, 2, 9, 30, tzinfo=PLUS_ONE)


def sample_records() -> DiaryRecords:
    return DiaryRecords(
        medications=(
            Medication("Diazepam 2 mg", "diazepam", Form.TABLET, strength_mg=2.0),
            Medication("Diazepam 1 mg/mL", "diazepam", Form.LIQUID, concentration_mg_ml=1.0),
        ),
        regimen_changes=(
            RegimenChange(
                dt.date(2025, 1, 1),
                ChangeKind.START,
                (
                    RegimenDose("diazepam", 5.0, dt.time(8, 0), "Diazepam 2 mg"),
                    RegimenDose("diazepam", 5.0, dt.time(22, 0)),
                ),
            ),
            RegimenChange(
                dt.date(2025, 2, 1),
                ChangeKind.UPDOSE,
                (RegimenDose("diazepam", 4.5, dt.time(8, 0), "Diazepam 2 mg"),),
                reason="Went back up to stabilise",
                prescriber_involved=True,
            ),
        ),
        doses=(
            Dose(
                dt.datetime(2025, 3, 1, 8, 5, tzinfo=PLUS_ONE),
                "Diazepam 1 mg/mL",
                2.5,
                ml=2.5,
                note="=cmd|' /C calc'!A0",
                kind=DoseKind.ADJUSTED,
                planned_time=dt.time(8, 0),
            ),
            Dose(dt.datetime(2025, 3, 1, 22, 0, tzinfo=dt.UTC), "Diazepam 2 mg", 2.0),
        ),
        holds=(
            Hold(dt.date(2025, 2, 1), dt.date(2025, 2, 20), "Settling"),
            Hold(dt.date(2025, 3, 1)),
        ),
        symptoms=(Symptom("Insomnia", 0), Symptom("Tinnitus", 1, tracked=False, custom=True)),
        checkins=(
            CheckIn(
                dt.date(2025, 3, 1),
                {"Insomnia": 3},
                wellbeing=4,
                sleep_hours=5.5,
                note="Bad night, «very» tired",
                for_doctor=True,
            ),
            CheckIn(dt.date(2025, 3, 2), {}, wellbeing=None, sleep_hours=None),
        ),
        events=(Event(dt.date(2025, 3, 3), EventKind.APPOINTMENT, "Prescriber review"),),
        settings={"equivalence_table": "ashton"},
    )


def export_document(records: DiaryRecords | None = None) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(export_json(records or sample_records(), EXPORTED_AT))
    return loaded


def test_json_round_trip_keeps_every_record() -> None:
    records = sample_records()
    assert parse_export(export_json(records, EXPORTED_AT)) == records


def test_round_trip_keeps_the_utc_offset_of_each_dose() -> None:
    parsed = parse_export(export_json(sample_records(), EXPORTED_AT))
    assert [d.taken_at.utcoffset() for d in parsed.doses] == [
        dt.timedelta(hours=1),
        dt.timedelta(0),
    ]


def test_document_is_versioned_and_not_logged_stays_null() -> None:
    document = export_document()
    assert document["format"] == "taper-diary-export"
    assert document["version"] == 2
    assert document["exported_at"] == "2025-03-02T09:30:00+01:00"
    checkins = document["checkins"]
    assert isinstance(checkins, list)
    assert checkins[1]["wellbeing"] is None
    assert checkins[1]["sleep_hours"] is None


def bad_document(kind: str, index: int, field: str, value: object) -> str:
    document = export_document()
    records = document[kind]
    assert isinstance(records, list)
    records[index][field] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    ("kind", "index", "field", "value", "message"),
    [
        ("doses", 1, "mg", "two", "Record doses[1]: mg must be a number."),
        ("doses", 0, "mg", True, "Record doses[0]: mg must be a number."),
        ("doses", 0, "taken_at", "yesterday", "Record doses[0]: taken_at must be a date"),
        ("doses", 0, "taken_at", "2025-03-01T08:00", "Record doses[0]: taken_at must include"),
        ("doses", 0, "kind", "skipped", "Record doses[0]: kind must be one of: as_planned"),
        ("checkins", 0, "date", "2025-02-30", "Record checkins[0]: date must be a date"),
        ("checkins", 0, "ratings", {"Insomnia": "bad"}, "Record checkins[0]: ratings['Insomnia']"),
        ("holds", 1, "start", None, "Record holds[1]: start is missing."),
        ("events", 0, "kind", "party", "Record events[0]: kind must be one of"),
        ("medications", 1, "name", "  ", "Record medications[1]: name must be non-empty text."),
    ],
)
def test_a_bad_record_is_named_with_its_field(
    kind: str, index: int, field: str, value: object, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_export(bad_document(kind, index, field, value))
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_bad_regimen_dose_is_named_inside_its_change() -> None:
    document = export_document()
    changes = document["regimen_changes"]
    assert isinstance(changes, list)
    changes[0]["doses"][1]["time"] = "25:00"
    with pytest.raises(ValidationError, match=r"regimen_changes\[0\]\.doses\[1\]: time"):
        parse_export(json.dumps(document))


def test_newer_export_version_is_refused() -> None:
    document = export_document()
    document["version"] = 3
    with pytest.raises(NewerFormat, match="newer version"):
        parse_export(json.dumps(document))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"format": "something-else", "version": 1}', "not a Taper Diary export"),
        ("[1, 2]", "not a Taper Diary export"),
        ('{"format": "taper-diary-export"}', "version is missing"),
    ],
)
def test_files_that_are_not_exports_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_export(text)


def read_table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_file_per_record_kind() -> None:
    tables = export_csv(sample_records())
    assert sorted(tables) == sorted(
        [
            "medications.csv",
            "regimen.csv",
            "doses.csv",
            "holds.csv",
            "checkins.csv",
            "events.csv",
            "plan.csv",
        ]
    )
    assert len(read_table(tables["regimen.csv"])) == 3  # one row per dose time
    assert read_table(tables["holds.csv"])[1]["end"] == ""


def test_csv_checkins_have_one_column_per_symptom_and_blank_means_not_logged() -> None:
    rows = read_table(export_csv(sample_records())["checkins.csv"])
    assert rows[0]["Insomnia"] == "3"
    assert rows[0]["Tinnitus"] == ""
    assert rows[1]["wellbeing"] == ""


def test_csv_text_cannot_run_as_a_spreadsheet_formula() -> None:
    rows = read_table(export_csv(sample_records())["doses.csv"])
    assert rows[0]["note"].startswith("'=")


# Written by export version 1 (before plans and medication handling were exported).
VERSION_1_DOCUMENT = """{
 "format": "taper-diary-export",
 "version": 1,
 "exported_at": "2025-03-02T09:30:00+01:00",
 "medications": [
  {"name": "Diazepam 2 mg", "drug": "diazepam", "form": "tablet", "strength_mg": 2.0,
   "concentration_mg_ml": null}
 ],
 "regimen_changes": [
  {"date": "2025-01-01", "kind": "start", "reason": "", "prescriber_involved": false,
   "doses": [{"drug": "diazepam", "mg": 5.0, "time": "08:00", "medication": "Diazepam 2 mg"}]}
 ],
 "doses": [],
 "holds": [],
 "symptoms": [{"name": "Insomnia", "position": 0, "tracked": true, "custom": false}],
 "checkins": [],
 "events": [],
 "settings": {"equivalence_table": "ashton"}
}
"""


def test_a_version_1_document_still_parses_with_defaults_for_what_it_lacks() -> None:
    records = parse_export(VERSION_1_DOCUMENT)
    (med,) = records.medications
    assert (med.name, med.split, med.syringe_ml, med.retired) == ("Diazepam 2 mg", 1, 0.1, False)
    assert records.plans == ()
    assert records.regimen_changes[0].doses[0].mg == 5.0


def sample_plan() -> PlanRecord:
    dose = PlannedDose("diazepam", dt.time(8), 4.5, 4.5, 4.5, "4.5 mL")
    return PlanRecord(
        spec=PlanSpec(PlanMethod.CUSTOM, 14, dt.date(2025, 3, 1), custom_mg=(4.5, 0.0)),
        table="ashton",
        created=dt.date(2025, 2, 28),
        steps=(
            PlanStep(0, dt.date(2025, 3, 1), StepKind.CUT, (dose,), 4.5, 4.5),
            PlanStep(1, dt.date(2025, 3, 15), StepKind.FINAL, (), 0.0, 0.0),
        ),
        applied=(dt.date(2025, 3, 2), None),
        status=PlanStatus.ACTIVE,
    )


def with_plan_and_handling() -> DiaryRecords:
    records = sample_records()
    tablet, liquid = records.medications
    return replace(
        records,
        medications=(replace(tablet, split=4, retired=True), replace(liquid, syringe_ml=0.05)),
        plans=(sample_plan(),),
        settings={"equivalence_table": "ashton", "reminders_enabled": "true"},
    )


def test_version_2_round_trips_plans_and_medication_handling() -> None:
    records = with_plan_and_handling()
    assert parse_export(export_json(records, EXPORTED_AT)) == records


def test_a_bad_plan_step_is_named_with_its_field() -> None:
    document = export_document(with_plan_and_handling())
    plans = document["plans"]
    assert isinstance(plans, list)
    plans[0]["steps"][1]["kind"] = "jump"
    with pytest.raises(ValidationError, match=r"^Record plans\[0\]\.steps\[1\]: kind must be"):
        parse_export(json.dumps(document))


def test_csv_plan_has_a_row_per_dose_of_each_step_and_medications_their_handling() -> None:
    tables = export_csv(with_plan_and_handling())
    rows = read_table(tables["plan.csv"])
    assert [(r["step"], r["kind"], r["applied_on"], r["mg"]) for r in rows] == [
        ("1", "cut", "2025-03-02", "4.5"),
        ("2", "final", "", ""),
    ]
    assert rows[0]["plan_status"] == "active" and rows[0]["ml"] == "4.5"
    meds = read_table(tables["medications.csv"])
    assert [(m["split"], m["syringe_ml"], m["retired"]) for m in meds] == [
        ("4", "0.1", "True"),
        ("1", "0.05", "False"),
    ]
