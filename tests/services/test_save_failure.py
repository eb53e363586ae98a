"""A save that fails leaves memory equal to disk, says so plainly, and can be retried."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from diary.domain.errors import DiskFull
from diary.services.diary_service import DiaryService
from tests.services.conftest import DAY


def _disk_full(fd: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_failed_save_keeps_memory_equal_to_disk_and_a_retry_works(
    service: DiaryService,
    reopen: Callable[[], DiaryService],
    diary_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service.record_checkin(DAY, wellbeing=4)
    on_disk = diary_path.read_bytes()
    generation = service.generation

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", _disk_full)
        with pytest.raises(DiskFull, match="NOT saved: the disk is full"):
            service.record_checkin(DAY, wellbeing=8, note="better day")

    assert diary_path.read_bytes() == on_disk
    assert service.generation == generation
    checkin = service.checkin(DAY)
    assert checkin is not None and (checkin.wellbeing, checkin.note) == (4, "")
    assert service.undo_label() == "check-in for 5 March 2024"  # the failed change is no step

    service.record_checkin(DAY, wellbeing=8, note="better day")  # the retry
    assert service.generation == generation + 1
    again = reopen()
    checkin = again.checkin(DAY)
    assert checkin is not None and (checkin.wellbeing, checkin.note) == (8, "better day")


def test_a_failed_undo_keeps_the_change(
    service: DiaryService, diary_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service.record_checkin(DAY, wellbeing=4)
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", _disk_full)
        with pytest.raises(DiskFull):
            service.undo()
    assert service.checkin(DAY) is not None
    assert service.undo_label() == "check-in for 5 March 2024"
    service.undo()
    assert service.checkin(DAY) is None


def test_a_failed_batch_save_rolls_back_the_whole_batch(
    service: DiaryService, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", _disk_full)
        with pytest.raises(DiskFull), service.batch("a week"):
            service.record_checkin(DAY, wellbeing=1)
            service.add_symptom("Jaw clenching")
    assert service.day_summaries() == []
    assert len(service.symptoms()) == 24
