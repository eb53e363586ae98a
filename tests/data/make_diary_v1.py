"""Writes the golden full diary ``diary_v1.tpd`` (container format 1.0, schema version 1)
and its facts ``diary_v1.json``.

Run once, when the first diary schema was released; never again: the point of a golden file
is that today's code must open yesterday's bytes. tests/storage/test_golden_diary.py checks
every record written here, so a change to this script does not change what is checked.

How: the known content goes in through ``diary.bootstrap`` and ``DiaryService``. Schema
version 2 (plans and product settings) landed before this file was made and the version-1
repository was never kept, so the script then steps the database back to version 1: it drops
what migration 2 added, checks that the result matches the frozen migration 1 statement for
statement, and saves it through ``DiaryFile``. Opening the file therefore runs every
migration from version 1 on.

    .venv/bin/python tests/data/make_diary_v1.py
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

from diary.bootstrap import create_diary
from diary.domain.models import ChangeKind, DoseKind, EventKind, Form, RegimenDose
from diary.services.diary_service import DiaryService
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams
from diary.storage.schema import MIGRATIONS

V1_COUNTS = (
    "medications",
    "regimen_changes",
    "doses",
    "holds",
    "checkins",
    "ratings",
    "symptoms",
    "events",
)
_SCHEMA = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"

HERE = Path(__file__).resolve().parent
PASSPHRASE = "golden diary v1: Zoë's ☕ & 7 tapers"
CET = dt.timezone(dt.timedelta(hours=1))


def write_known_content(service: DiaryService) -> None:
    service.add_medication("Valium 5 mg", "diazepam", Form.TABLET, strength_mg=5)
    service.add_medication("Diazepam oral solution", "diazepam", Form.LIQUID, concentration_mg_ml=1)
    service.set_regimen(
        [
            RegimenDose("diazepam", 5, dt.time(8, 0), "Valium 5 mg"),
            RegimenDose("diazepam", 5, dt.time(20, 0), "Valium 5 mg"),
        ],
        dt.date(2024, 1, 8),
        ChangeKind.START,
        reason="Plan agreed with Dr Okafor",
        prescriber_involved=True,
    )
    service.set_regimen(
        [
            RegimenDose("diazepam", 5, dt.time(8, 0), "Valium 5 mg"),
            RegimenDose("diazepam", 4, dt.time(20, 0)),
        ],
        dt.date(2024, 2, 5),
        ChangeKind.CUT,
        reason="First cut, evening dose",
    )
    moments = [
        (dt.datetime(2024, 1, 8, 8, 2, tzinfo=CET), 5, None, "", DoseKind.AS_PLANNED, 8),
        (dt.datetime(2024, 1, 8, 20, 15, tzinfo=CET), 5, None, "", DoseKind.AS_PLANNED, 20),
        (dt.datetime(2024, 2, 6, 21, 30, tzinfo=CET), 4, None, "late", DoseKind.ADJUSTED, 20),
        (dt.datetime(2024, 2, 7, 8, 0, tzinfo=CET), 0, None, "slept in", DoseKind.NOT_TAKEN, 8),
    ]
    for taken_at, mg, ml, note, kind, hour in moments:
        service.add_dose("Valium 5 mg", mg, taken_at, ml, note, kind, dt.time(hour, 0))
    service.add_dose(
        "Diazepam oral solution",
        0.5,
        dt.datetime(2024, 2, 7, 14, 0, tzinfo=CET),
        ml=0.5,
        note="before the dentist",
    )
    service.start_hold(dt.date(2024, 2, 20), reason="Stabilising before the next cut")
    service.end_hold(dt.date(2024, 3, 5))
    service.add_symptom("Jaw clenching")
    service.set_symptom_tracked("Blurred vision", False)
    service.record_checkin(
        dt.date(2024, 1, 8),
        ratings={"Anxiety or nervousness": 2, "Insomnia": 3, "Jaw clenching": 1},
        wellbeing=5,
        sleep_hours=6.5,
        note="First day of the diary. Café, then a walk — ça va.",
        for_doctor=True,
    )
    service.record_checkin(
        dt.date(2024, 2, 6), ratings={"Tinnitus": 0, "Irritability": 4}, wellbeing=3
    )
    service.add_event(
        dt.date(2024, 1, 15), EventKind.APPOINTMENT, "GP review", note="Bring the diary."
    )
    service.set_equivalence_override("diazepam", 10)


def schema_v1() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for statement in sqlite3_statements(MIGRATIONS[0]):
        conn.execute(statement)
    return conn


def sqlite3_statements(script: str) -> list[str]:
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return statements


def step_back_to_v1(data: bytes) -> bytes:
    """The same records in exactly the version-1 schema (asserted)."""
    v1 = schema_v1()
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.deserialize(data)
    conn.execute("PRAGMA temp_store = MEMORY")
    v1_tables = {name for (name,) in v1.execute("SELECT name FROM sqlite_master")}
    later = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if name not in v1_tables
    ]
    for name in later:
        assert conn.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,), name
        conn.execute(f"DROP TABLE {name}")
    for table in sorted(v1_tables):
        v1_columns = {row[1] for row in v1.execute(f"PRAGMA table_info({table})")}
        for row in conn.execute(f"PRAGMA table_info({table})").fetchall():
            if row[1] not in v1_columns:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {row[1]}")
    conn.execute("PRAGMA user_version = 1")
    assert conn.execute(_SCHEMA).fetchall() == v1.execute(_SCHEMA).fetchall()
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    return conn.serialize()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diary.tpd"
        service, recovery_key = create_diary(path, PASSPHRASE, kdf=KdfParams.MINIMUM)
        write_known_content(service)
        counts = service.counts()
        service.close()
        diary, data = DiaryFile.unlock(path, PASSPHRASE)
        diary.save(step_back_to_v1(data))
        diary.close()
        info = DiaryFile.info(path)
        shutil.copyfile(path, HERE / "diary_v1.tpd")
    facts = {
        "passphrase": PASSPHRASE,
        "recovery_key": recovery_key,
        "format_version": info.format_version,
        "schema_version": 1,
        "generation": info.generation,
        "file_id": info.file_id,
        "counts": {name: counts[name] for name in V1_COUNTS},
    }
    text = json.dumps(facts, indent=2, ensure_ascii=False) + "\n"
    (HERE / "diary_v1.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
