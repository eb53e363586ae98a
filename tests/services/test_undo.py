"""Undo and redo by snapshot: labels, persistence, batches, and the redo rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from diary.domain.changes import Changes
from diary.domain.errors import NothingToUndo, ValidationError
from diary.domain.models import EventKind
from diary.services.diary_service import DiaryService
from tests.services.conftest import DAY


def ratings_on(service: DiaryService, day: dt.date) -> dict[str, int] | None:
    checkin = service.checkin(day)
    return None if checkin is None else checkin.ratings


def test_nothing_to_undo_in_a_new_diary(service: DiaryService) -> None:
    assert service.undo_label() is None and service.redo_label() is None
    with pytest.raises(NothingToUndo, match="nothing to undo"):
        service.undo()
    with pytest.raises(NothingToUndo, match="nothing to redo"):
        service.redo()


def test_undo_restores_and_saves_a_new_generation(
    service: DiaryService, reopen: Callable[[], DiaryService]
) -> None:
    service.record_checkin(DAY, {"Insomnia": 2})
    assert service.undo_label() == "check-in for 5 March 2024"
    generation = service.generation
    changes = service.undo()
    assert changes == Changes.everything("Undo check-in for 5 March 2024")
    assert service.checkin(DAY) is None
    assert service.generation == generation + 1
    assert reopen().checkin(DAY) is None


def test_redo_brings_the_change_back(service: DiaryService) -> None:
    service.record_checkin(DAY, {"Insomnia": 2})
    service.record_checkin(DAY, {"Insomnia": 3})
    service.undo()
    assert ratings_on(service, DAY) == {"Insomnia": 2}
    assert service.redo_label() == "check-in for 5 March 2024"
    assert service.redo().label == "Redo check-in for 5 March 2024"
    assert ratings_on(service, DAY) == {"Insomnia": 3}
    assert service.redo_label() is None


def test_undo_walks_back_step_by_step(service: DiaryService) -> None:
    service.add_medication("Valium", "diazepam")
    service.add_event(DAY, EventKind.NOTE, "Started the diary")
    service.start_hold(DAY)
    assert service.undo().label == "Undo start a hold on 5 March 2024"
    assert service.undo().label == "Undo add event Started the diary"
    assert service.undo().label == "Undo add medication Valium"
    assert service.medications() == [] and service.events() == [] and service.holds() == []
    assert service.undo_label() is None


def test_a_new_change_clears_redo(service: DiaryService) -> None:
    service.record_checkin(DAY, wellbeing=5)
    service.undo()
    service.record_checkin(DAY, wellbeing=7)
    assert service.redo_label() is None
    with pytest.raises(NothingToUndo):
        service.redo()


def test_a_batch_is_one_transaction_one_save_and_one_undo_step(service: DiaryService) -> None:
    generation = service.generation
    with service.batch("add a week of check-ins"):
        for offset in range(7):
            service.record_checkin(DAY + dt.timedelta(days=offset), wellbeing=offset)
    assert service.generation == generation + 1
    assert len(service.day_summaries()) == 7
    assert service.undo_label() == "add a week of check-ins"
    service.undo()
    assert service.day_summaries() == []
    assert service.undo_label() is None


def test_a_failing_batch_changes_nothing(service: DiaryService) -> None:
    generation = service.generation
    with pytest.raises(RuntimeError), service.batch("import by hand"):
        service.record_checkin(DAY, wellbeing=5)
        raise RuntimeError("the generator stopped")
    assert service.generation == generation
    assert service.checkin(DAY) is None and service.undo_label() is None


def test_a_bad_record_caught_inside_a_batch_leaves_the_rest(service: DiaryService) -> None:
    with service.batch("demo"):
        service.record_checkin(DAY, wellbeing=5)
        with pytest.raises(ValidationError):
            service.record_checkin(DAY, wellbeing=50)
    checkin = service.checkin(DAY)
    assert checkin is not None and checkin.wellbeing == 5


def test_history_is_bounded(service: DiaryService) -> None:
    with service.batch("setup"):
        pass
    for offset in range(55):
        service.record_checkin(DAY + dt.timedelta(days=offset), wellbeing=1)
    undone = 0
    while service.undo_label() is not None:
        service.undo()
        undone += 1
    assert undone == 50
    assert len(service.day_summaries()) == 5
