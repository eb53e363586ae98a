"""Fixtures for service tests: a real encrypted diary in tmp_path, opened through bootstrap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from diary.bootstrap import create_diary, open_diary
from diary.domain.models import Form, RegimenDose
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams

PASSPHRASE = "tapering slowly, one step at a time"
DAY = dt.date(2024, 3, 5)


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    return tmp_path / "diary.tpd"


@pytest.fixture
def opened(diary_path: Path, fast_kdf: KdfParams) -> Iterator[list[DiaryService]]:
    """Every service a test opens on ``diary_path``; all are closed at the end."""
    services: list[DiaryService] = []
    service, _ = create_diary(diary_path, PASSPHRASE, kdf=fast_kdf)
    services.append(service)
    yield services
    for each in services:
        each.close()


@pytest.fixture
def service(opened: list[DiaryService]) -> DiaryService:
    return opened[0]


@pytest.fixture
def reopen(opened: list[DiaryService], diary_path: Path) -> Callable[[], DiaryService]:
    """Close the diary and open it again from disk, as the next session would."""

    def _reopen() -> DiaryService:
        for each in opened:
            each.close()
        fresh = open_diary(diary_path, PASSPHRASE)
        opened.append(fresh)
        return fresh

    return _reopen


@pytest.fixture
def on_lorazepam(service: DiaryService) -> DiaryService:
    """A diary with one lorazepam tablet and a 1 mg + 1 mg regimen from 1 January 2024."""
    service.add_medication("Ativan", "lorazepam", Form.TABLET, strength_mg=1)
    service.set_regimen(
        [RegimenDose("lorazepam", 1, dt.time(8)), RegimenDose("lorazepam", 1, dt.time(20))],
        dt.date(2024, 1, 1),
    )
    return service
