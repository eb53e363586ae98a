"""Fixtures for the file-layer tests: a real encrypted diary in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams

PASSPHRASE = "correct horse battery staple"


@dataclass
class NewDiary:
    path: Path
    file: DiaryFile
    recovery_key: str


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    return tmp_path / "diaries" / "my diary.tpd"


@pytest.fixture
def new_diary(diary_path: Path, fast_kdf: KdfParams) -> Iterator[NewDiary]:
    """An open diary holding b"first entry", generation 1."""
    diary, recovery_key = DiaryFile.create(diary_path, PASSPHRASE, b"first entry", fast_kdf)
    yield NewDiary(diary_path, diary, recovery_key)
    diary.close()
