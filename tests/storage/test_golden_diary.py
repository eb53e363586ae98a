"""The golden full diary (container 1.0, schema version 1) opens with today's code, every
schema migration runs from version 1, and every record written in 2024 is still there.

The file and its facts come from tests/data/make_diary_v1.py; the records expected below are
written out by hand, so that neither the script nor today's code decides what is right.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import pytest

from diary.bootstrap import open_diary
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
)
from diary.services.diary_service import DiaryService
from diary.storage.diary_file import DiaryFile

DATA = Path(__file__).resolve().parents[1] / "data"
FACTS = json.loads((DATA / "diary_v1.json").read_text(encoding="utf-8"))
CET = dt.timezone(dt.timedelta(hours=1))
VALIUM = "Valium 5 mg"
SOLUTION = "Diazepam oral solution"
R = TypeVar("R", Medication, RegimenChange, Dose, Hold, Event)


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    """A copy: opening migrates and saves, which must never touch tests/data."""
    path = tmp_path / "golden" / "diary.tpd"
    path.parent.mkdir()
    shutil.copyfile(DATA / "diary_v1.tpd", path)
    return path


@pytest.fixture
def service(golden: Path) -> Iterator[DiaryService]:
    opened = open_diary(golden, FACTS["passphrase"])
    yield opened
    opened.close()


def without_id(record: R) -> R:
    return replace(record, id=None)


def test_the_golden_file_is_what_its_facts_say(golden: Path) -> None:
    info = DiaryFile.info(golden)
    assert (info.format_version, info.generation, info.file_id) == (
        FACTS["format_version"],
        FACTS["generation"],
        FACTS["file_id"],
    )
    assert FACTS["schema_version"] == 1


def test_medications_and_regimen(service: DiaryService) -> None:
    assert [without_id(m) for m in service.medications()] == [
        Medication(SOLUTION, "diazepam", Form.LIQUID, None, 1.0),
        Medication(VALIUM, "diazepam", Form.TABLET, 5.0, None),
    ]
    start = RegimenChange(
        dt.date(2024, 1, 8),
        ChangeKind.START,
        (
            RegimenDose("diazepam", 5, dt.time(8, 0), VALIUM),
            RegimenDose("diazepam", 5, dt.time(20, 0), VALIUM),
        ),
        "Plan agreed with Dr Okafor",
        True,
    )
    cut = RegimenChange(
        dt.date(2024, 2, 5),
        ChangeKind.CUT,
        (
            RegimenDose("diazepam", 5, dt.time(8, 0), VALIUM),
            RegimenDose("diazepam", 4, dt.time(20, 0), None),
        ),
        "First cut, evening dose",
        False,
    )
    assert [without_id(c) for c in service.regimen_history()] == [start, cut]
    on_day = service.regimen_on(dt.date(2024, 2, 4))
    assert on_day is not None and without_id(on_day) == start
    on_day = service.regimen_on(dt.date(2025, 1, 1))
    assert on_day is not None and without_id(on_day) == cut


def test_doses_keep_their_moment_offset_kind_and_note(service: DiaryService) -> None:
    def doses(day: dt.date) -> list[Dose]:
        return sorted((without_id(d) for d in service.doses_on(day)), key=lambda d: d.taken_at)

    assert doses(dt.date(2024, 1, 8)) == [
        Dose(
            dt.datetime(2024, 1, 8, 8, 2, tzinfo=CET),
            VALIUM,
            5,
            None,
            "",
            DoseKind.AS_PLANNED,
            dt.time(8, 0),
        ),
        Dose(
            dt.datetime(2024, 1, 8, 20, 15, tzinfo=CET),
            VALIUM,
            5,
            None,
            "",
            DoseKind.AS_PLANNED,
            dt.time(20, 0),
        ),
    ]
    assert doses(dt.date(2024, 2, 6)) == [
        Dose(
            dt.datetime(2024, 2, 6, 21, 30, tzinfo=CET),
            VALIUM,
            4,
            None,
            "late",
            DoseKind.ADJUSTED,
            dt.time(20, 0),
        )
    ]
    assert doses(dt.date(2024, 2, 7)) == [
        Dose(
            dt.datetime(2024, 2, 7, 8, 0, tzinfo=CET),
            VALIUM,
            0,
            None,
            "slept in",
            DoseKind.NOT_TAKEN,
            dt.time(8, 0),
        ),
        Dose(
            dt.datetime(2024, 2, 7, 14, 0, tzinfo=CET),
            SOLUTION,
            0.5,
            0.5,
            "before the dentist",
            DoseKind.EXTRA,
            None,
        ),
    ]


def test_hold_symptoms_checkins_events_and_settings(service: DiaryService) -> None:
    assert [without_id(h) for h in service.holds()] == [
        Hold(dt.date(2024, 2, 20), dt.date(2024, 3, 5), "Stabilising before the next cut")
    ]
    tracked = [s.name for s in service.symptoms()]
    assert tracked[-1] == "Jaw clenching" and "Blurred vision" not in tracked
    everything = {s.name: s for s in service.symptoms(include_retired=True)}
    assert len(everything) == 25
    assert everything["Jaw clenching"].custom and not everything["Blurred vision"].tracked
    assert service.checkin(dt.date(2024, 1, 8)) == CheckIn(
        dt.date(2024, 1, 8),
        {"Anxiety or nervousness": 2, "Insomnia": 3, "Jaw clenching": 1},
        5,
        6.5,
        "First day of the diary. Café, then a walk — ça va.",
        True,
    )
    assert service.checkin(dt.date(2024, 2, 6)) == CheckIn(
        dt.date(2024, 2, 6), {"Tinnitus": 0, "Irritability": 4}, 3
    )
    assert service.checkin(dt.date(2024, 1, 9)) is None  # not logged, not a zero
    assert [without_id(e) for e in service.events()] == [
        Event(dt.date(2024, 1, 15), EventKind.APPOINTMENT, "GP review", "Bring the diary.")
    ]
    assert service.equivalence_overrides() == {"diazepam": 10.0}
    assert service.equivalence_table() == "ashton"


def test_day_summaries_and_counts(service: DiaryService) -> None:
    summaries = service.day_summaries()
    assert [s.date for s in summaries] == [
        dt.date(2024, 2, 7),
        dt.date(2024, 2, 6),
        dt.date(2024, 1, 15),
        dt.date(2024, 1, 8),
    ]
    first_day = summaries[-1]
    assert (first_day.dose_count, first_day.total_mg_by_drug) == (2, {"diazepam": 10})
    assert (first_day.rated_symptoms, first_day.wellbeing, first_day.for_doctor) == (3, 5, True)
    assert summaries[2].events == ("GP review",)
    counts = service.counts()
    assert {name: counts[name] for name in FACTS["counts"]} == FACTS["counts"]


def test_the_migrated_diary_is_saved_at_once_and_carries_on(golden: Path) -> None:
    service = open_diary(golden, recovery_key=FACTS["recovery_key"])
    assert service.generation == FACTS["generation"] + 1  # the upgraded schema, saved
    service.record_checkin(dt.date(2024, 3, 1), wellbeing=7, note="after the upgrade")
    service.close()
    reopened = open_diary(golden, FACTS["passphrase"])
    try:
        assert reopened.generation == FACTS["generation"] + 2  # nothing left to migrate
        assert len(reopened.day_summaries()) == 5
        assert reopened.checkin(dt.date(2024, 1, 8)) is not None
    finally:
        reopened.close()
