"""Export, import (all or nothing) and the demo diary, through the real CLI."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

from diary import bootstrap
from diary.domain.models import EventKind, Form, RegimenDose, ReminderSettings
from diary.domain.taper.plans import PlanMethod, PlanSpec
from diary.storage.keys import KdfParams
from tests.cli.conftest import PASSPHRASE, Diary, Run, assert_fails

LINE = PASSPHRASE + "\n"


def counts(path: Path, passphrase: str = PASSPHRASE) -> dict[str, int]:
    service = bootstrap.open_diary(path, passphrase=passphrase)
    try:
        return service.counts()
    finally:
        service.close()


def fill(diary: Diary) -> None:
    """A little of everything, written in-process (the commands have their own tests)."""
    service = bootstrap.open_diary(diary.path, passphrase=PASSPHRASE)
    try:
        service.add_medication("Diazepam 2 mg", "diazepam", Form.TABLET, strength_mg=2.0)
        service.add_dose("Diazepam 2 mg", 2.0, taken_at=dt.datetime(2025, 3, 1, 8, tzinfo=dt.UTC))
        service.add_dose("Diazepam 2 mg", 1.5, taken_at=dt.datetime(2025, 3, 2, 8).astimezone())
        service.record_checkin(dt.date(2025, 3, 1), {"Insomnia": 2}, wellbeing=6)
        service.record_checkin(dt.date(2025, 3, 2), note="=SUM(A1)", for_doctor=True)
        service.start_hold(dt.date(2025, 3, 2), "Settling")
        service.add_event(dt.date(2025, 3, 3), EventKind.APPOINTMENT, "Prescriber review")
        service.add_medication(
            "Diazepam liquid", "diazepam", Form.LIQUID, concentration_mg_ml=1, syringe_ml=0.05
        )
        service.set_regimen([RegimenDose("diazepam", 5, dt.time(8))], dt.date(2025, 1, 1))
        service.create_plan(PlanSpec(PlanMethod.STEP, 14, dt.date.today(), step_mg=1))
        service.set_medication_retired("Diazepam 2 mg")
        service.set_reminder_settings(ReminderSettings(enabled=True, show_details=True))
    finally:
        service.close()


def new_diary(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    service, _key = bootstrap.create_diary(path, PASSPHRASE, kdf=KdfParams.MINIMUM)
    service.close()
    return path


def export_json(run_cli: Run, diary: Diary, out: Path) -> None:
    result = run_cli(diary.path, "export", "--format", "json", "--out", str(out), stdin=LINE)
    assert result.code == 0, result.err
    assert "NOT encrypted" in result.err


def everything(path: Path) -> dict[str, object]:
    """All records of a diary, without the ids a new diary assigns afresh."""
    service = bootstrap.open_diary(path, passphrase=PASSPHRASE)
    try:
        records = service.all_records()
    finally:
        service.close()

    def no_id(item: Any) -> Any:
        return dataclasses.replace(item, id=None) if hasattr(item, "id") else item

    return {
        f.name: [no_id(item) for item in getattr(records, f.name)]
        for f in dataclasses.fields(records)
        if f.name != "settings"
    } | {"settings": records.settings}


def test_json_export_then_import_into_a_fresh_diary_keeps_everything(
    diary: Diary, run_cli: Run, tmp_path: Path
) -> None:
    fill(diary)
    out = tmp_path / "export.json"
    export_json(run_cli, diary, out)
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    fresh = new_diary(tmp_path, "fresh.tpd")
    imported = run_cli(fresh, "import", str(out), stdin=LINE)
    assert imported.code == 0, imported.err
    assert "1 plan" in imported.out
    assert counts(fresh) == counts(diary.path)
    assert everything(fresh) == everything(diary.path)


def test_csv_export_writes_one_private_file_per_kind(
    diary: Diary, run_cli: Run, tmp_path: Path
) -> None:
    fill(diary)
    folder = tmp_path / "csv"
    result = run_cli(diary.path, "export", "--format", "csv", "--out", str(folder), stdin=LINE)
    assert result.code == 0, result.err
    assert "NOT encrypted" in result.err
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "doses.csv",
        "checkins.csv",
        "regimen.csv",
        "holds.csv",
        "events.csv",
        "medications.csv",
        "plan.csv",
    }
    assert all(os.stat(p).st_mode & 0o777 == 0o600 for p in folder.iterdir())
    with open(folder / "checkins.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    header = {name.lower() for name in rows[0]}
    assert {"date", "wellbeing", "insomnia", "tinnitus"} <= header
    assert len(rows) == 2


def test_import_with_one_bad_record_imports_nothing(
    diary: Diary, run_cli: Run, tmp_path: Path
) -> None:
    fill(diary)
    out = tmp_path / "export.json"
    export_json(run_cli, diary, out)
    document = json.loads(out.read_text())
    document["doses"][1]["mg"] = "lots"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))

    before = counts(diary.path)
    assert_fails(run_cli(diary.path, "import", str(bad), stdin=LINE), 2, "doses[1]", "mg")
    assert counts(diary.path) == before


def test_import_a_record_the_diary_rejects_imports_nothing(
    diary: Diary, run_cli: Run, tmp_path: Path
) -> None:
    fill(diary)
    out = tmp_path / "export.json"
    export_json(run_cli, diary, out)
    document = json.loads(out.read_text())
    document["checkins"][-1]["wellbeing"] = 42  # well-formed, but outside 0-10
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))

    fresh = new_diary(tmp_path, "fresh.tpd")
    before = counts(fresh)
    assert_fails(run_cli(fresh, "import", str(bad), stdin=LINE), 2)
    assert counts(fresh) == before


def test_import_from_a_newer_version_is_refused(diary: Diary, run_cli: Run, tmp_path: Path) -> None:
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"format": "taper-diary-export", "version": 99}))
    assert_fails(run_cli(diary.path, "import", str(newer), stdin=LINE), 2, "newer version")


def test_import_of_a_missing_or_foreign_file(diary: Diary, run_cli: Run, tmp_path: Path) -> None:
    assert_fails(run_cli(diary.path, "import", str(tmp_path / "nope.json"), stdin=LINE), 2)
    foreign = tmp_path / "notes.txt"
    foreign.write_text("shopping list")
    assert_fails(run_cli(diary.path, "import", str(foreign), stdin=LINE), 2, "not valid JSON")


def test_ten_year_demo_then_verify(tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "demo.tpd"
    started = time.perf_counter()
    made = run_cli(None, "demo", "--out", str(out), "--days", "3650")
    seconds = time.perf_counter() - started
    assert made.code == 0, made.err
    assert "'demo'" in made.out
    assert seconds < 60, seconds  # target < 20 s on a normal machine; generous for slow CI

    verified = run_cli(out, "verify", stdin="demo\n")
    assert verified.code == 0, verified.err
    found = {
        parts[0]: int(parts[1])
        for parts in (line.split() for line in verified.out.splitlines())
        if len(parts) == 2 and parts[1].isdigit()
    }
    assert found["doses"] > 8000 and found["checkins"] > 3000
    assert found["holds"] == 2


def test_demo_refuses_to_overwrite(tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "taken.tpd"
    out.write_bytes(b"something precious")
    assert_fails(run_cli(None, "demo", "--out", str(out), "--days", "10"), 2, "already exists")
    assert out.read_bytes() == b"something precious"
