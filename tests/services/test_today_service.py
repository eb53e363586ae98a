"""The service methods behind the Today page: editing a dose, not-taken doses, clearing values."""

from __future__ import annotations

import datetime as dt

import pytest

from diary.domain.errors import ValidationError
from diary.domain.models import DoseKind, Form, RegimenDose
from diary.services.diary_service import DiaryService
from tests.services.conftest import DAY


def test_changing_an_amount_is_saved_and_marks_the_planned_dose_adjusted(on_lorazepam, reopen):
    on_lorazepam.take_as_planned(DAY)
    morning = on_lorazepam.doses_on(DAY)[0]
    assert morning.id is not None

    changes = on_lorazepam.update_dose(morning.id, mg=0.75)

    assert changes.doses
    assert on_lorazepam.undo_label() == "change the dose of Ativan at 08:00"
    stored = reopen().doses_on(DAY)[0]
    assert (stored.mg, stored.kind, stored.planned_time) == (0.75, DoseKind.ADJUSTED, dt.time(8))


def test_moving_a_dose_to_another_time_keeps_it_on_its_new_day(on_lorazepam):
    on_lorazepam.add_dose("Ativan", 0.5, dt.datetime.combine(DAY, dt.time(23, 30)).astimezone())
    dose = on_lorazepam.doses_on(DAY)[0]
    assert dose.id is not None
    after_midnight = dt.datetime.combine(DAY + dt.timedelta(days=1), dt.time(0, 15)).astimezone()

    on_lorazepam.update_dose(dose.id, taken_at=after_midnight)

    assert on_lorazepam.doses_on(DAY) == []
    assert on_lorazepam.doses_on(DAY + dt.timedelta(days=1))[0].taken_at == after_midnight


def test_an_impossible_amount_is_refused_and_nothing_changes(on_lorazepam):
    on_lorazepam.take_as_planned(DAY)
    dose = on_lorazepam.doses_on(DAY)[0]
    assert dose.id is not None
    generation = on_lorazepam.generation

    with pytest.raises(ValidationError, match="more than 0 mg"):
        on_lorazepam.update_dose(dose.id, mg=0)

    assert on_lorazepam.doses_on(DAY)[0] == dose
    assert on_lorazepam.generation == generation


def _liquid(service: DiaryService) -> DiaryService:
    service.add_medication("Diazepam liquid", "diazepam", Form.LIQUID, concentration_mg_ml=1)
    return service


def test_a_liquid_volume_sets_the_amount_by_the_concentration(service):
    _liquid(service).add_dose(
        "Diazepam liquid", 5, dt.datetime.combine(DAY, dt.time(9)).astimezone(), ml=5
    )
    dose = service.doses_on(DAY)[0]
    assert dose.id is not None

    service.update_dose(dose.id, ml=4.2)
    assert (service.doses_on(DAY)[0].mg, service.doses_on(DAY)[0].ml) == (4.2, 4.2)

    service.update_dose(dose.id, mg=3.5)  # the recorded volume follows the new amount
    assert (service.doses_on(DAY)[0].mg, service.doses_on(DAY)[0].ml) == (3.5, 3.5)


def test_a_volume_that_disagrees_with_the_amount_is_refused(service):
    _liquid(service).add_dose(
        "Diazepam liquid", 5, dt.datetime.combine(DAY, dt.time(9)).astimezone(), ml=5
    )
    dose = service.doses_on(DAY)[0]
    assert dose.id is not None

    with pytest.raises(ValidationError, match="is 4 mg, not 6 mg"):
        service.update_dose(dose.id, mg=6, ml=4)


def test_a_planned_dose_recorded_as_not_taken(on_lorazepam, reopen):
    changes = on_lorazepam.record_not_taken(DAY, dt.time(20), "lorazepam")

    assert changes.label == "record the 20:00 dose of Ativan as not taken"
    on_lorazepam.take_as_planned(DAY)  # takes the morning dose only
    doses = reopen().doses_on(DAY)
    assert [(d.planned_time, d.kind, d.mg) for d in doses] == [
        (dt.time(8), DoseKind.AS_PLANNED, 1.0),
        (dt.time(20), DoseKind.NOT_TAKEN, 0.0),
    ]


def test_not_taken_needs_a_planned_dose_at_that_time(on_lorazepam):
    with pytest.raises(ValidationError, match="no planned lorazepam dose at 12:00"):
        on_lorazepam.record_not_taken(DAY, dt.time(12), "lorazepam")


def test_a_not_taken_dose_given_an_amount_was_taken_after_all(on_lorazepam):
    on_lorazepam.record_not_taken(DAY, dt.time(20), "lorazepam")
    dose = on_lorazepam.doses_on(DAY)[0]
    assert dose.id is not None

    on_lorazepam.update_dose(dose.id, mg=1)

    assert on_lorazepam.doses_on(DAY)[0].kind is DoseKind.ADJUSTED


def test_clearing_a_rating_leaves_it_unrated_and_keeps_the_rest(service, reopen):
    service.record_checkin(DAY, ratings={"insomnia": 3, "anxiety": 2}, wellbeing=5, note="Tired.")

    changes = service.clear_checkin_values(DAY, ["insomnia"], wellbeing=True)

    assert changes.label == "clear the Insomnia rating and wellbeing for 5 March 2024"
    checkin = reopen().checkin(DAY)
    assert checkin is not None
    assert checkin.ratings == {"Anxiety or nervousness": 2}
    assert (checkin.wellbeing, checkin.note) == (None, "Tired.")


def test_clearing_hours_slept_is_one_undo_step(service):
    service.record_checkin(DAY, sleep_hours=6.5)
    service.clear_checkin_values(DAY, sleep_hours=True)
    assert service.checkin(DAY).sleep_hours is None

    service.undo()

    assert service.checkin(DAY).sleep_hours == 6.5


def test_a_regimen_with_two_drugs_at_one_time_names_the_right_one(service):
    service.add_medication("Ativan", "lorazepam", Form.TABLET, strength_mg=1)
    service.add_medication("Valium", "diazepam", Form.TABLET, strength_mg=2)
    service.set_regimen(
        [RegimenDose("lorazepam", 0.5, dt.time(8)), RegimenDose("diazepam", 4, dt.time(8))],
        DAY,
    )

    service.record_not_taken(DAY, dt.time(8), "diazepam")

    assert [d.medication for d in service.doses_on(DAY)] == ["Valium"]


def test_one_planned_dose_taken_leaves_the_others_waiting(on_lorazepam, reopen):
    changes = on_lorazepam.take_planned_dose(DAY, dt.time(20))

    assert changes.doses
    assert on_lorazepam.undo_label() == "take the 20:00 dose on 5 March 2024"
    doses = reopen().doses_on(DAY)
    assert [(d.planned_time, d.kind, d.mg) for d in doses] == [
        (dt.time(20), DoseKind.AS_PLANNED, 1.0)
    ]


def test_a_dose_taken_today_is_named_by_its_time_alone(on_lorazepam):
    today = dt.date.today()
    on_lorazepam.take_planned_dose(today, dt.time(8))
    assert on_lorazepam.undo_label() == "take the 08:00 dose"
    on_lorazepam.undo()
    assert on_lorazepam.doses_on(today) == []


def test_taking_one_dose_time_records_every_drug_planned_then(service):
    service.add_medication("Ativan", "lorazepam", Form.TABLET, strength_mg=1)
    service.add_medication("Valium", "diazepam", Form.TABLET, strength_mg=2)
    service.set_regimen(
        [
            RegimenDose("lorazepam", 0.5, dt.time(8)),
            RegimenDose("diazepam", 4, dt.time(8)),
            RegimenDose("diazepam", 2, dt.time(20)),
        ],
        DAY,
    )
    service.record_not_taken(DAY, dt.time(8), "diazepam")

    service.take_planned_dose(DAY, dt.time(8))  # the diazepam at 08:00 is recorded already

    doses = [(d.medication, d.kind, d.planned_time) for d in service.doses_on(DAY)]
    assert sorted(doses) == [
        ("Ativan", DoseKind.AS_PLANNED, dt.time(8)),
        ("Valium", DoseKind.NOT_TAKEN, dt.time(8)),
    ]


def test_a_dose_time_not_planned_or_already_recorded_is_refused(on_lorazepam):
    with pytest.raises(ValidationError, match="no planned dose at 14:00 on 5 March 2024"):
        on_lorazepam.take_planned_dose(DAY, dt.time(14))
    on_lorazepam.take_planned_dose(DAY, dt.time(8))
    with pytest.raises(ValidationError, match="08:00 dose of 5 March 2024 is already recorded"):
        on_lorazepam.take_planned_dose(DAY, dt.time(8))
    assert len(on_lorazepam.doses_on(DAY)) == 1
