"""Schema v3 (retired medications): a v2 diary migrates with its products intact, and a v2
snapshot restored into an open diary is saved, and held as the snapshot, already migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from diary.bootstrap import open_diary
from diary.storage import schema
from diary.storage.database import Database
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams
from diary.storage.stored_diary import StoredDiary

PASSPHRASE = "written by version two"


def v2_database() -> bytes:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for script in schema.MIGRATIONS[:2]:
        for statement in schema._statements(script):  # noqa: SLF001
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute(
        "INSERT INTO medication (name, drug, form, strength_mg, split) VALUES"
        " ('Valium 2', 'diazepam', 'tablet', 2, 4)"
    )
    data = conn.serialize()
    conn.close()
    return data


def test_a_v2_diary_migrates_to_v3_keeping_its_products(tmp_path: Path) -> None:
    path = tmp_path / "v2.tpd"
    DiaryFile.create(path, PASSPHRASE, v2_database(), KdfParams.MINIMUM)[0].close()
    service = open_diary(path, PASSPHRASE)
    try:
        (med,) = service.medications()
        assert (med.name, med.split, med.syringe_ml, med.retired) == ("Valium 2", 4, 0.1, False)
        service.set_medication_retired("Valium 2")
    finally:
        service.close()
    service = open_diary(path, PASSPHRASE)
    try:
        assert service.medications() == []
        assert [m.retired for m in service.medications(include_retired=True)] == [True]
        assert service.integrity_problems() == []
    finally:
        service.close()


def test_restoring_an_older_schema_holds_the_migrated_bytes(tmp_path: Path) -> None:
    path = tmp_path / "diary.tpd"
    db = Database.new()
    data = db.to_bytes()
    file, _key = DiaryFile.create(path, PASSPHRASE, data, KdfParams.MINIMUM)
    store = StoredDiary(db, file, data)
    try:
        store.restore(v2_database())
        snapshot = store.snapshot()
        loaded = Database.from_bytes(snapshot)
        loaded.close()
        assert not loaded.migrated  # the snapshot is already at the latest version
        assert [m.split for m in store.records.medications(include_retired=True)] == [4]
    finally:
        store.close()
    reopened, on_disk = DiaryFile.unlock(path, PASSPHRASE)
    reopened.close()
    assert on_disk == snapshot  # memory and disk hold the same bytes
