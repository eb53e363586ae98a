"""A diary written with schema v1 (the v1 script only) opens, migrates to v2, keeps its data,
and gains the taper toolkit."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from diary.bootstrap import open_diary
from diary.domain.models import ChangeKind, Form
from diary.domain.taper.plans import PlanMethod, PlanSpec
from diary.domain.taper.products import Handling
from diary.storage import schema
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams

PASSPHRASE = "written by version one"


def v1_database() -> bytes:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for statement in schema._statements(schema.MIGRATIONS[0]):  # noqa: SLF001
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.executescript(
        """
        INSERT INTO medication (name, drug, form, strength_mg) VALUES
            ('Valium 2', 'diazepam', 'tablet', 2);
        INSERT INTO medication (name, drug, form, concentration_mg_ml) VALUES
            ('Diazepam liquid', 'diazepam', 'liquid', 1);
        INSERT INTO regimen_change (date, kind, reason) VALUES ('2024-01-01', 'start', 'v1');
        INSERT INTO regimen_dose (change_id, drug, mg, time, medication_id) VALUES
            (1, 'diazepam', 6, '08:00', 1), (1, 'diazepam', 4, '22:00', 1);
        INSERT INTO hold (start, "end", reason) VALUES ('2024-02-01', '2024-02-10', 'flu');
        INSERT INTO setting (key, value) VALUES ('equivalence_table', 'ashton'),
            ('equivalence_overrides', '{}');
        """
    )
    data = conn.serialize()
    conn.close()
    return data


def test_a_v1_diary_migrates_to_v2_with_its_data_intact(tmp_path: Path) -> None:
    path = tmp_path / "old.tpd"
    DiaryFile.create(path, PASSPHRASE, v1_database(), KdfParams.MINIMUM)[0].close()
    service = open_diary(path, PASSPHRASE)
    try:
        assert [m.name for m in service.medications()] == ["Diazepam liquid", "Valium 2"]
        change = service.regimen_on(dt.date(2024, 6, 1))
        assert change is not None and change.kind is ChangeKind.START and change.reason == "v1"
        assert [(d.mg, d.medication) for d in change.doses] == [(6, "Valium 2"), (4, "Valium 2")]
        assert [(h.start, h.end) for h in service.holds()] == [
            (dt.date(2024, 2, 1), dt.date(2024, 2, 10))
        ]
        # Old medications get the v2 defaults: whole tablets, a 0.1 mL syringe.
        assert set(service.medication_handling().values()) == {Handling(1, 0.1)}
        service.add_medication("Valium 5", "diazepam", Form.TABLET, strength_mg=5, split=4)
        service.create_plan(PlanSpec(PlanMethod.STEP, 14, dt.date.today(), step_mg=1))
    finally:
        service.close()
    # The upgraded file was saved at once: it reopens as v2 with the new rows.
    service = open_diary(path, PASSPHRASE)
    try:
        assert service.medication_handling()["Valium 5"] == Handling(4, 0.1)
        assert service.plan_summary() is not None
        assert service.integrity_problems() == []
    finally:
        service.close()
