"""Every mutation is on disk when it returns, and says what it touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from diary.bootstrap import open_diary
from diary.domain.changes import Changes
from diary.domain.errors import DiaryError, ValidationError, WrongPassphrase
from diary.domain.models import (
    ChangeKind,
    CheckIn,
    DoseKind,
    EventKind,
    Form,
    Hold,
    Medication,
    RegimenDose,
)
from diary.domain.symptom_catalogue import DEFAULT_SYMPTOMS
from diary.services.diary_service import DiaryService
from tests.services.conftest import DAY, PASSPHRASE

Reopen = Callable[[], DiaryService]


def test_a_new_diary_tracks_the_default_catalogue_in_order_and_uses_ashton(
    service: DiaryService,
) -> None:
    assert [s.name for s in service.symptoms()] == list(DEFAULT_SYMPTOMS)
    assert all(s.tracked and not s.custom for s in service.symptoms())
    assert service.equivalence_table() == "ashton"
    assert service.day_summaries() == []


def test_every_mutation_saves_a_new_generation(service: DiaryService, reopen: Reopen) -> None:
    start = service.generation
    changes = service.add_medication("Valium 5", "Diazepam", strength_mg=5)
    assert changes == Changes("add medication Valium 5", medications=True)
    assert service.generation == start + 1
    again = reopen()
    assert again.medications() == [Medication("Valium 5", "diazepam", Form.TABLET, 5, None, 1)]
    assert again.generation == start + 1


def test_regimen_changes_persist_with_their_tags(
    on_lorazepam: DiaryService, reopen: Reopen
) -> None:
    changes = on_lorazepam.set_regimen(
        [RegimenDose("lorazepam", 0.5, dt.time(8)), RegimenDose("lorazepam", 1, dt.time(20))],
        dt.date(2024, 2, 1),
        ChangeKind.CUT,
        reason="first cut",
        prescriber_involved=True,
    )
    assert changes.regimen and not changes.doses
    again = reopen()
    history = again.regimen_history()
    assert [c.kind for c in history] == [ChangeKind.START, ChangeKind.CUT]
    cut = again.regimen_on(dt.date(2024, 2, 10))
    assert cut is not None and cut.reason == "first cut" and cut.prescriber_involved
    assert [d.mg for d in cut.doses] == [0.5, 1]
    assert again.regimen_on(dt.date(2023, 12, 31)) is None


def test_take_as_planned_records_each_regimen_dose_at_its_time(
    on_lorazepam: DiaryService, reopen: Reopen
) -> None:
    changes = on_lorazepam.take_as_planned(DAY)
    assert changes.doses
    doses = reopen().doses_on(DAY)
    assert [(d.taken_at.hour, d.mg, d.kind, d.medication) for d in doses] == [
        (8, 1, DoseKind.AS_PLANNED, "Ativan"),
        (20, 1, DoseKind.AS_PLANNED, "Ativan"),
    ]
    assert all(d.taken_at.utcoffset() is not None for d in doses)
    assert [d.planned_time for d in doses] == [dt.time(8), dt.time(20)]


def test_take_as_planned_twice_adds_nothing(on_lorazepam: DiaryService) -> None:
    on_lorazepam.take_as_planned(DAY)
    generation = on_lorazepam.generation
    with pytest.raises(ValidationError, match="already recorded"):
        on_lorazepam.take_as_planned(DAY)
    assert on_lorazepam.generation == generation
    assert len(on_lorazepam.doses_on(DAY)) == 2


def test_take_as_planned_needs_a_medication_for_the_drug(service: DiaryService) -> None:
    service.set_regimen([RegimenDose("clonazepam", 0.5, dt.time(9))], dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="add a medication for clonazepam"):
        service.take_as_planned(DAY)


def test_a_dose_keeps_its_utc_offset_and_note(service: DiaryService, reopen: Reopen) -> None:
    service.add_medication("Diazepam solution", "diazepam", Form.LIQUID, concentration_mg_ml=1)
    moment = dt.datetime(2024, 3, 5, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    service.add_dose("diazepam solution", 2.5, moment, ml=2.5, note="shaken first")
    (dose,) = reopen().doses_on(DAY)
    assert dose.taken_at == moment and dose.taken_at.utcoffset() == dt.timedelta(hours=-5)
    assert (dose.mg, dose.ml, dose.note, dose.medication) == (
        2.5,
        2.5,
        "shaken first",
        "Diazepam solution",
    )


def test_delete_dose(on_lorazepam: DiaryService) -> None:
    on_lorazepam.take_as_planned(DAY)
    first = on_lorazepam.doses_on(DAY)[0]
    assert first.id is not None
    assert on_lorazepam.delete_dose(first.id).doses
    assert [d.taken_at.hour for d in on_lorazepam.doses_on(DAY)] == [20]


def test_not_logged_stays_distinct_from_zero(service: DiaryService, reopen: Reopen) -> None:
    service.record_checkin(DAY, {"Tinnitus": 0}, wellbeing=0, sleep_hours=0)
    service.record_checkin(DAY + dt.timedelta(days=1), note="slept badly")
    again = reopen()
    zero = again.checkin(DAY)
    assert zero == CheckIn(DAY, {"Tinnitus": 0}, 0, 0.0, "", False)
    unlogged = again.checkin(DAY + dt.timedelta(days=1))
    assert unlogged is not None and unlogged.ratings == {}
    assert (unlogged.wellbeing, unlogged.sleep_hours) == (None, None)
    assert again.checkin(DAY - dt.timedelta(days=1)) is None
    by_date = {s.date: s for s in again.day_summaries()}
    assert by_date[DAY].burden_percent == 0
    assert by_date[DAY + dt.timedelta(days=1)].burden_percent is None
    assert DAY - dt.timedelta(days=1) not in by_date


def test_record_checkin_merges_and_keeps_what_is_left_out(service: DiaryService) -> None:
    service.record_checkin(DAY, {"Insomnia": 3}, wellbeing=4, note="rough", for_doctor=True)
    changes = service.record_checkin(DAY, {"fatigue": 2}, sleep_hours=5.5)
    assert changes == Changes("check-in for 5 March 2024", checkins=True)
    assert service.checkin(DAY) == CheckIn(
        DAY, {"Insomnia": 3, "Fatigue": 2}, 4, 5.5, "rough", True
    )
    service.record_checkin(DAY, {"Insomnia": 1}, note="")
    merged = service.checkin(DAY)
    assert merged is not None and merged.ratings["Insomnia"] == 1 and merged.note == ""


def test_day_summaries_newest_first_with_burden_holds_and_events(
    on_lorazepam: DiaryService,
) -> None:
    service = on_lorazepam
    service.take_as_planned(DAY)
    service.record_checkin(DAY, {"Insomnia": 4, "Fatigue": 2}, wellbeing=3)
    service.start_hold(DAY - dt.timedelta(days=2), reason="symptoms settling")
    service.add_event(DAY - dt.timedelta(days=1), EventKind.APPOINTMENT, "GP review")
    summaries = service.day_summaries()
    assert [s.date for s in summaries] == [DAY, DAY - dt.timedelta(days=1)]
    today = summaries[0]
    assert today.dose_count == 2 and today.total_mg_by_drug == {"lorazepam": 2}
    assert today.rated_symptoms == 2 and today.burden_percent == 75
    assert today.wellbeing == 3 and today.in_hold
    assert summaries[1].events == ("GP review",) and summaries[1].dose_count == 0
    assert service.day_summaries(start=DAY, end=DAY) == [today]


def test_holds_start_and_end(service: DiaryService, reopen: Reopen) -> None:
    service.start_hold(dt.date(2024, 1, 10), "waiting for sleep to settle")
    service.end_hold(dt.date(2024, 2, 10))
    service.start_hold(dt.date(2024, 3, 1))
    again = reopen()
    assert again.holds() == [
        Hold(dt.date(2024, 1, 10), dt.date(2024, 2, 10), "waiting for sleep to settle", 1),
        Hold(dt.date(2024, 3, 1), None, "", 2),
    ]


def test_symptoms_can_be_added_and_switched_off(service: DiaryService, reopen: Reopen) -> None:
    assert service.add_symptom("  Jaw   clenching ").symptoms
    service.set_symptom_tracked("tinnitus", False)
    again = reopen()
    tracked = [s.name for s in again.symptoms()]
    assert tracked[-1] == "Jaw clenching" and "Tinnitus" not in tracked
    everything = again.symptoms(include_retired=True)
    assert len(everything) == 25
    assert [s for s in everything if s.name == "Jaw clenching"][0].custom


def test_events_persist(service: DiaryService, reopen: Reopen) -> None:
    service.add_event(DAY, EventKind.ILLNESS, "Flu", "three days in bed")
    (event,) = reopen().events()
    assert (event.date, event.kind, event.title, event.note) == (
        DAY,
        EventKind.ILLNESS,
        "Flu",
        "three days in bed",
    )


def test_delete_day_removes_what_was_logged_that_day(on_lorazepam: DiaryService) -> None:
    on_lorazepam.take_as_planned(DAY)
    on_lorazepam.record_checkin(DAY, {"Insomnia": 2})
    changes = on_lorazepam.delete_day(DAY)
    assert changes.doses and changes.checkins
    assert on_lorazepam.checkin(DAY) is None and on_lorazepam.doses_on(DAY) == []
    assert on_lorazepam.counts()["ratings"] == 0


def test_equivalence_table_and_overrides_persist(service: DiaryService, reopen: Reopen) -> None:
    assert service.diazepam_equivalent("lorazepam", 2) == 20
    assert service.set_equivalence_table("VA").settings
    service.set_equivalence_override("Bromazepam", 6)
    again = reopen()
    assert again.equivalence_table() == "va"
    assert again.equivalence_overrides() == {"bromazepam": 6.0}
    assert again.diazepam_equivalent("lorazepam", 2) == 10
    again.set_equivalence_override("bromazepam", None)
    assert again.equivalence_overrides() == {}


def test_counts(on_lorazepam: DiaryService) -> None:
    on_lorazepam.take_as_planned(DAY)
    on_lorazepam.record_checkin(DAY, {"Insomnia": 2, "Fatigue": 1})
    assert on_lorazepam.counts() == {
        "medications": 1,
        "regimen_changes": 1,
        "doses": 2,
        "holds": 0,
        "checkins": 1,
        "ratings": 2,
        "symptoms": 24,
        "events": 0,
        "plans": 0,
    }


def test_passphrase_change_and_new_recovery_key(
    service: DiaryService, diary_path: Path, opened: list[DiaryService]
) -> None:
    service.record_checkin(DAY, wellbeing=6)
    service.change_passphrase("a brand new passphrase")
    key = service.new_recovery_key()
    service.close()
    with pytest.raises(WrongPassphrase):
        open_diary(diary_path, PASSPHRASE)
    by_passphrase = open_diary(diary_path, "a brand new passphrase")
    assert by_passphrase.checkin(DAY) is not None
    by_passphrase.close()
    by_key = open_diary(diary_path, recovery_key=key)
    opened.append(by_key)
    assert by_key.checkin(DAY) is not None


def test_open_needs_exactly_one_secret(diary_path: Path, service: DiaryService) -> None:
    service.close()
    with pytest.raises(ValidationError, match="either the passphrase or the recovery key"):
        open_diary(diary_path)
    with pytest.raises(ValidationError):
        open_diary(diary_path, PASSPHRASE, "ABCD")


def test_a_closed_service_says_so(service: DiaryService) -> None:
    service.close()
    with pytest.raises(DiaryError, match="closed"):
        service.medications()
