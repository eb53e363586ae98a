"""Medications as the Settings page edits them: products, renaming and retiring, through a real
encrypted diary reopened from disk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from diary.domain.errors import NotFound, ValidationError
from diary.domain.models import Form, Medication, RegimenDose
from diary.domain.taper.measurable import Product
from diary.domain.taper.products import Handling
from diary.services.diary_service import DiaryService
from tests.services.conftest import DAY

Reopen = Callable[[], DiaryService]


@pytest.fixture
def with_doses(on_lorazepam: DiaryService) -> DiaryService:
    """Ativan 1 mg tablets taken as planned on DAY (08:00 and 20:00)."""
    on_lorazepam.take_as_planned(DAY)
    return on_lorazepam


def test_a_medication_carries_its_splitting_and_syringe(
    service: DiaryService, reopen: Reopen
) -> None:
    service.add_medication("Valium 2", "diazepam", Form.TABLET, strength_mg=2, split=4)
    service.add_medication(
        "Diazepam liquid", "diazepam", Form.LIQUID, concentration_mg_ml=1, syringe_ml=0.05
    )
    again = reopen()
    liquid, tablet = again.medications()
    assert (tablet.split, tablet.syringe_ml, tablet.retired) == (4, 0.1, False)
    assert (liquid.split, liquid.syringe_ml) == (1, 0.05)
    # The older view of the same facts still answers the same.
    assert again.medication_handling() == {
        "Valium 2": Handling(4, 0.1),
        "Diazepam liquid": Handling(1, 0.05),
    }


def test_update_medication_changes_the_product_and_keeps_the_rest(
    with_doses: DiaryService, reopen: Reopen
) -> None:
    changes = with_doses.update_medication("ativan", strength_mg=0.5, split=2)
    assert changes.medications and changes.label == "change medication Ativan"
    again = reopen()
    (med,) = again.medications()
    assert (med.name, med.drug, med.strength_mg, med.split) == ("Ativan", "lorazepam", 0.5, 2)
    assert again.products() == [Product("lorazepam", (0.5,), 2)]
    assert [d.mg for d in again.doses_on(DAY)] == [1, 1]  # recorded doses are untouched
    assert again.undo_label() is None  # a new session starts with no undo steps


def test_update_medication_refuses_impossible_products(on_lorazepam: DiaryService) -> None:
    generation = on_lorazepam.generation
    with pytest.raises(ValidationError, match="whole, in halves or in quarters"):
        on_lorazepam.update_medication("Ativan", split=3)
    on_lorazepam.add_medication("Drops", "diazepam", Form.LIQUID, concentration_mg_ml=1)
    generation = on_lorazepam.generation
    with pytest.raises(ValidationError, match="Only tablets can be split"):
        on_lorazepam.update_medication("Drops", split=2)
    with pytest.raises(ValidationError, match="syringe"):
        on_lorazepam.update_medication("Drops", syringe_ml=0)
    with pytest.raises(NotFound, match='no medication called "Valium"'):
        on_lorazepam.update_medication("Valium", strength_mg=5)
    assert on_lorazepam.generation == generation


def test_an_update_that_changes_nothing_saves_nothing(on_lorazepam: DiaryService) -> None:
    generation = on_lorazepam.generation
    assert not on_lorazepam.update_medication("Ativan", strength_mg=1).medications
    assert on_lorazepam.generation == generation


def test_renaming_keeps_doses_and_regimen_pointing_at_it(
    with_doses: DiaryService, reopen: Reopen
) -> None:
    with_doses.set_regimen([RegimenDose("lorazepam", 1, dt.time(8), "Ativan")], DAY)
    changes = with_doses.rename_medication("Ativan", "Lorazepam 1 mg")
    assert changes.label == "rename Ativan to Lorazepam 1 mg" and changes.medications
    again = reopen()
    assert [m.name for m in again.medications()] == ["Lorazepam 1 mg"]
    assert {d.medication for d in again.doses_on(DAY)} == {"Lorazepam 1 mg"}
    regimen = again.regimen_on(DAY)
    assert regimen is not None and regimen.doses[0].medication == "Lorazepam 1 mg"
    again.add_dose("lorazepam 1 mg", 0.5, dt.datetime(2024, 3, 6, 9).astimezone())


def test_renaming_to_a_name_in_use_is_refused(on_lorazepam: DiaryService) -> None:
    on_lorazepam.add_medication("Valium 5", "diazepam", strength_mg=5)
    with pytest.raises(ValidationError, match='already have a medication called "Valium 5"'):
        on_lorazepam.rename_medication("Ativan", "valium 5")
    with pytest.raises(ValidationError, match="cannot be empty"):
        on_lorazepam.rename_medication("Ativan", "   ")
    assert on_lorazepam.rename_medication("ativan", "ATIVAN").medications  # only the case


def test_retiring_hides_a_medication_but_keeps_its_history(
    with_doses: DiaryService, reopen: Reopen
) -> None:
    with_doses.add_medication("Valium 2", "diazepam", strength_mg=2)
    changes = with_doses.set_medication_retired("Ativan")
    assert changes.label == "retire Ativan" and changes.medications
    again = reopen()
    assert [m.name for m in again.medications()] == ["Valium 2"]
    retired = [m for m in again.medications(include_retired=True) if m.retired]
    assert [m.name for m in retired] == ["Ativan"]
    assert [d.medication for d in again.doses_on(DAY)] == ["Ativan", "Ativan"]
    assert again.day_summaries()[0].total_mg_by_drug == {"lorazepam": 2}
    assert [p.drug for p in again.products()] == ["diazepam"]  # plans no longer measure with it
    # A past day can still be corrected with it, and it can come back.
    again.add_dose("Ativan", 0.5, dt.datetime(2024, 3, 6, 9).astimezone())
    assert again.set_medication_retired("Ativan", retired=False).label == "bring back Ativan"
    assert len(again.medications()) == 2


def test_retiring_is_undoable(on_lorazepam: DiaryService) -> None:
    on_lorazepam.set_medication_retired("Ativan")
    assert on_lorazepam.undo().label == "Undo retire Ativan"
    assert on_lorazepam.medications() == [
        Medication("Ativan", "lorazepam", Form.TABLET, 1.0, None, 1)
    ]


def test_take_as_planned_prefers_the_medication_in_use(on_lorazepam: DiaryService) -> None:
    """A regimen naming only the drug: with two products of it, the retired one is not meant."""
    on_lorazepam.add_medication("Lorazepam 0.5", "lorazepam", strength_mg=0.5)
    with pytest.raises(ValidationError, match="more than one medication for lorazepam"):
        on_lorazepam.take_as_planned(DAY)
    on_lorazepam.set_medication_retired("Ativan")
    on_lorazepam.take_as_planned(DAY)
    assert {d.medication for d in on_lorazepam.doses_on(DAY)} == {"Lorazepam 0.5"}
