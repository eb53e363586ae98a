"""Files written by released versions must keep opening: the golden format-v1 container."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from diary.storage.diary_file import DiaryFile

DATA = Path(__file__).resolve().parents[1] / "data"
FACTS = json.loads((DATA / "container_v1.json").read_text(encoding="utf-8"))


@pytest.fixture
def golden(tmp_path: Path) -> Path:
    """A copy, so opening (which takes a lock file beside it) never touches tests/data."""
    path = tmp_path / "golden.tpd"
    shutil.copyfile(DATA / "container_v1.tpd", path)
    return path


def test_golden_v1_header_reads_without_a_key(golden: Path) -> None:
    info = DiaryFile.info(golden)
    assert (info.format_version, info.generation, info.file_id) == (
        FACTS["format_version"],
        FACTS["generation"],
        FACTS["file_id"],
    )


def test_golden_v1_opens_with_its_passphrase(golden: Path) -> None:
    diary, db = DiaryFile.unlock(golden, FACTS["passphrase"])
    diary.close()
    assert hashlib.sha256(db).hexdigest() == FACTS["payload_sha256"]
    assert db.startswith(b"Taper Diary golden container v1, generation 2\n")


def test_golden_v1_opens_with_its_recovery_key_and_saves_on(golden: Path) -> None:
    diary, db = DiaryFile.unlock_with_recovery_key(golden, FACTS["recovery_key"])
    diary.save(db + b"one more line")
    diary.close()
    diary, db = DiaryFile.unlock(golden, FACTS["passphrase"])
    assert db.endswith(b"one more line")
    assert diary.generation == FACTS["generation"] + 1
    diary.close()
