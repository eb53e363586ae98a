"""The in-memory database: loading checks, schema versions, and keeping temp data in memory."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from diary.bootstrap import open_diary
from diary.domain.errors import DamagedFile, NewerFormat
from diary.storage.database import Database
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams
from diary.storage.schema import LATEST_VERSION, user_version
from diary.storage.stored_diary import StoredDiary

PASSPHRASE = "a long and private passphrase"
SOURCE = Path(__file__).resolve().parents[2] / "diary"


def _bytes_with_version(version: int) -> bytes:
    db = Database.new()
    db.connection.execute(f"PRAGMA user_version = {version:d}")
    return db.to_bytes()


def test_temp_store_reads_back_memory_after_unlock_and_after_restore(
    tmp_path: Path, fast_kdf: KdfParams
) -> None:
    path = tmp_path / "diary.tpd"
    DiaryFile.create(path, PASSPHRASE, Database.new().to_bytes(), fast_kdf)[0].close()
    file, data = DiaryFile.unlock(path, PASSPHRASE)
    store = StoredDiary(Database.from_bytes(data), file, data)
    try:
        assert store.database.temp_store() == 2
        with store.write():
            store.records.put_setting("colour", "dark")
        store.restore(data)
        assert store.database.temp_store() == 2
        assert store.records.setting("colour") is None
        assert store.database.connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
    finally:
        store.close()


def test_a_newer_schema_is_refused_without_writing(tmp_path: Path, fast_kdf: KdfParams) -> None:
    path = tmp_path / "diary.tpd"
    DiaryFile.create(path, PASSPHRASE, _bytes_with_version(LATEST_VERSION + 1), fast_kdf)[0].close()
    on_disk = path.read_bytes()
    with pytest.raises(NewerFormat, match="newer version of Taper Diary"):
        open_diary(path, PASSPHRASE)
    assert path.read_bytes() == on_disk
    with pytest.raises(NewerFormat):  # not "open elsewhere": the lock was released
        open_diary(path, PASSPHRASE)


def test_an_older_schema_is_migrated_and_saved_on_open(tmp_path: Path, fast_kdf: KdfParams) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE made_before_versions (x)")
    version_zero = conn.serialize()  # user_version 0
    path = tmp_path / "diary.tpd"
    file, _ = DiaryFile.create(path, PASSPHRASE, version_zero, fast_kdf)
    generation = file.generation
    file.close()
    service = open_diary(path, PASSPHRASE)
    try:
        assert service.generation == generation + 1
        assert service.counts()["checkins"] == 0
    finally:
        service.close()
    file, data = DiaryFile.unlock(path, PASSPHRASE)
    file.close()
    db = Database.from_bytes(data)
    assert not db.migrated and user_version(db.connection) == LATEST_VERSION


@pytest.mark.parametrize("data", [b"", b"SQLite format 3\x00" + b"\x00" * 200, b"not a db" * 512])
def test_bytes_that_are_not_a_sound_database_are_damaged(data: bytes) -> None:
    with pytest.raises(DamagedFile, match="damaged"):
        Database.from_bytes(data)


def test_a_corrupted_page_is_caught_by_quick_check() -> None:
    db = Database.new()
    db.connection.executemany(
        "INSERT INTO event (date, kind, title) VALUES ('2024-03-05', 'note', ?)",
        [(f"event {i}",) for i in range(2000)],
    )
    data = bytearray(db.to_bytes())
    page_size = db.connection.execute("PRAGMA page_size").fetchone()[0]
    for page in range(2, len(data) // page_size):
        data[page * page_size + 8 : page * page_size + 40] = b"\xff" * 32
    with pytest.raises(DamagedFile):
        Database.from_bytes(bytes(data))


def test_round_trip_keeps_everything() -> None:
    db = Database.new()
    db.connection.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')")
    again = Database.from_bytes(db.to_bytes())
    assert again.connection.execute("SELECT value FROM setting WHERE key = 'x'").fetchone() == (
        "y",
    )
    assert again.connection.execute("SELECT count(*) FROM symptom").fetchone() == (24,)


def test_no_code_writes_the_database_to_a_file() -> None:
    forbidden = re.compile(r"VACUUM\s+INTO|\bATTACH\b|\.backup\(", re.IGNORECASE)
    offenders = [
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if forbidden.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
