"""Symptoms and reminders as the Settings page changes them, kept in the encrypted file."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from diary.domain.errors import NotFound, ValidationError
from diary.domain.models import ReminderSettings
from diary.domain.symptom_catalogue import DEFAULT_SYMPTOMS
from diary.services.diary_service import DiaryService
from tests.services.conftest import DAY

Reopen = Callable[[], DiaryService]


def names(service: DiaryService, include_retired: bool = True) -> list[str]:
    return [s.name for s in service.symptoms(include_retired=include_retired)]


def test_move_symptom_reorders_and_persists(service: DiaryService, reopen: Reopen) -> None:
    last = DEFAULT_SYMPTOMS[-1]
    changes = service.move_symptom(last, 0)
    assert changes.symptoms and changes.label == f"move {last}"
    service.move_symptom(DEFAULT_SYMPTOMS[0], 2)
    again = reopen()
    assert names(again)[:4] == [last, DEFAULT_SYMPTOMS[1], DEFAULT_SYMPTOMS[0], DEFAULT_SYMPTOMS[2]]
    assert [s.position for s in again.symptoms(include_retired=True)] == list(range(24))
    assert sorted(names(again)) == sorted(DEFAULT_SYMPTOMS)


def test_move_symptom_counts_retired_ones_and_checks_the_position(service: DiaryService) -> None:
    service.set_symptom_tracked(DEFAULT_SYMPTOMS[0], False)
    service.move_symptom(DEFAULT_SYMPTOMS[2], 0)
    assert names(service)[:3] == [DEFAULT_SYMPTOMS[2], DEFAULT_SYMPTOMS[0], DEFAULT_SYMPTOMS[1]]
    assert names(service, include_retired=False)[0] == DEFAULT_SYMPTOMS[2]
    generation = service.generation
    with pytest.raises(ValidationError, match="from 0 to 23"):
        service.move_symptom("Insomnia", 24)
    with pytest.raises(NotFound):
        service.move_symptom("Hiccups", 0)
    assert not service.move_symptom(DEFAULT_SYMPTOMS[2], 0).symptoms  # already there
    assert service.generation == generation


def test_only_custom_symptoms_can_be_renamed_and_ratings_follow(
    service: DiaryService, reopen: Reopen
) -> None:
    service.add_symptom("Jaw clenching")
    service.record_checkin(DAY, {"Jaw clenching": 3})
    changes = service.rename_symptom("jaw clenching", "Jaw and teeth clenching")
    assert changes.symptoms and changes.checkins
    with pytest.raises(ValidationError, match="standard list"):
        service.rename_symptom("Tinnitus", "Ringing ears")
    with pytest.raises(ValidationError, match='"Tinnitus" is already in your list'):
        service.rename_symptom("Jaw and teeth clenching", "tinnitus")
    again = reopen()
    assert names(again)[-1] == "Jaw and teeth clenching"
    checkin = again.checkin(DAY)
    assert checkin is not None and checkin.ratings == {"Jaw and teeth clenching": 3}


def test_a_retired_symptom_keeps_its_ratings_in_the_history(
    service: DiaryService, reopen: Reopen
) -> None:
    service.record_checkin(DAY, {"Tinnitus": 2, "Insomnia": 1})
    service.set_symptom_tracked("Tinnitus", False)
    again = reopen()
    assert "Tinnitus" not in names(again, include_retired=False)
    checkin = again.checkin(DAY)
    assert checkin is not None and checkin.ratings == {"Insomnia": 1, "Tinnitus": 2}
    assert again.day_summaries()[0].rated_symptoms == 2


def test_reminders_are_off_by_default_and_persist(service: DiaryService, reopen: Reopen) -> None:
    assert service.reminder_settings() == ReminderSettings(enabled=False, show_details=False)
    changes = service.set_reminder_settings(ReminderSettings(enabled=True))
    assert changes.settings and changes.label == "turn dose reminders on"
    label = service.set_reminder_settings(ReminderSettings(True, show_details=True)).label
    assert label == "change the reminder settings"
    again = reopen()
    assert again.reminder_settings() == ReminderSettings(enabled=True, show_details=True)
    assert again.set_reminder_settings(ReminderSettings()).label == "turn dose reminders off"
    assert again.undo().label == "Undo turn dose reminders off"
    assert again.reminder_settings().enabled
