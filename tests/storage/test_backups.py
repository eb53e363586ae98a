"""Backups: kept on every save, pruned by schedule, readable, and restorable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from diary.domain.errors import DiaryOpenElsewhere, NotFound, WrongPassphrase
from diary.storage.backups import (
    backups_folder,
    list_backups,
    prune,
    restore_backup,
)
from diary.storage.diary_file import DiaryFile
from tests.storage.conftest import PASSPHRASE, NewDiary


def test_each_save_keeps_the_previous_generation(new_diary: NewDiary) -> None:
    for n in range(2, 6):
        new_diary.file.save(b"entry %d" % n)
    found = list_backups(new_diary.path)
    assert [b.generation for b in found] == [4, 3, 2, 1]  # newest first
    assert all(b.path.name.startswith("my diary.") for b in found)
    assert new_diary.file.read_backup(found[-1].id) == b"first entry"
    assert new_diary.file.read_backup(found[0].id) == b"entry 4"


def test_unknown_backup_id_is_not_found(new_diary: NewDiary) -> None:
    with pytest.raises(NotFound):
        new_diary.file.read_backup("12-20250101T000000Z")


def test_restore_puts_the_old_generation_back_and_keeps_the_current(
    new_diary: NewDiary,
) -> None:
    new_diary.file.save(b"second")
    new_diary.file.save(b"third")
    first = next(b for b in list_backups(new_diary.path) if b.generation == 1)
    new_diary.file.close()
    restore_backup(new_diary.path, first.id, PASSPHRASE)
    diary, db = DiaryFile.unlock(new_diary.path, PASSPHRASE)
    assert db == b"first entry"
    assert diary.generation == 4  # generations only go up, even after a restore
    kept = list_backups(new_diary.path)[0]
    assert diary.read_backup(kept.id) == b"third"
    diary.save(b"after restore")
    diary.close()


def test_restore_works_when_the_diary_file_is_damaged(new_diary: NewDiary) -> None:
    new_diary.file.save(b"second")
    backup = list_backups(new_diary.path)[0]
    new_diary.file.close()
    damaged = new_diary.path.read_bytes()[:500]
    new_diary.path.write_bytes(damaged)
    restore_backup(new_diary.path, backup.id, PASSPHRASE)
    diary, db = DiaryFile.unlock(new_diary.path, PASSPHRASE)
    assert db == b"first entry"
    diary.close()
    kept_damaged = [b for b in list_backups(new_diary.path) if b.path.read_bytes() == damaged]
    assert len(kept_damaged) == 1


def test_restore_works_when_the_diary_file_is_gone(new_diary: NewDiary) -> None:
    new_diary.file.save(b"second")
    backup = list_backups(new_diary.path)[0]
    new_diary.file.close()
    new_diary.path.unlink()
    restore_backup(new_diary.path, backup.id, PASSPHRASE)
    diary, db = DiaryFile.unlock(new_diary.path, PASSPHRASE)
    assert db == b"first entry"
    diary.close()


def test_restore_with_a_wrong_passphrase_or_id_changes_nothing(new_diary: NewDiary) -> None:
    new_diary.file.save(b"second")
    backup = list_backups(new_diary.path)[0]
    new_diary.file.close()
    before = new_diary.path.read_bytes()
    with pytest.raises(WrongPassphrase):
        restore_backup(new_diary.path, backup.id, "not the passphrase")
    with pytest.raises(NotFound):
        restore_backup(new_diary.path, "999-20200101T000000Z", PASSPHRASE)
    assert new_diary.path.read_bytes() == before
    assert len(list_backups(new_diary.path)) == 1


def test_restore_is_refused_while_the_diary_is_open(new_diary: NewDiary) -> None:
    new_diary.file.save(b"second")
    backup = list_backups(new_diary.path)[0]
    with pytest.raises(DiaryOpenElsewhere):
        restore_backup(new_diary.path, backup.id, PASSPHRASE)


def test_saves_keep_only_the_last_twenty_of_one_day(new_diary: NewDiary) -> None:
    for n in range(30):
        new_diary.file.save(b"entry %d" % n)
    found = list_backups(new_diary.path)
    assert len(found) == 20
    assert found[0].generation == new_diary.file.generation - 1


def _fake_backups(diary_path: Path, times: list[dt.datetime]) -> None:
    folder = backups_folder(diary_path)
    folder.mkdir(parents=True, exist_ok=True)
    for generation, saved_at in enumerate(sorted(times), start=1):
        name = f"{diary_path.stem}.{generation}-{saved_at:%Y%m%dT%H%M%SZ}{diary_path.suffix}"
        (folder / name).write_bytes(b"")


def test_prune_keeps_twenty_saves_a_month_of_days_and_a_year_of_months(tmp_path: Path) -> None:
    diary_path = tmp_path / "diary.tpd"
    now = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)
    times = [now - dt.timedelta(hours=11 * k) for k in range(1, 2 * 24 * 365 // 11)]  # 2 years
    _fake_backups(diary_path, times)
    everything = list_backups(diary_path)
    prune(diary_path, now)
    kept = list_backups(diary_path)
    kept_ids = {b.id for b in kept}

    assert {b.id for b in everything[:20]} <= kept_ids
    for days_ago in range(30):
        day = (now - dt.timedelta(days=days_ago)).date()
        newest_that_day = next(b for b in everything if b.saved_at.date() == day)
        assert newest_that_day.id in kept_ids
    months = {(b.saved_at.year, b.saved_at.month) for b in kept}
    assert len(months) == 12
    assert all(now - b.saved_at <= dt.timedelta(days=366) for b in kept)
    assert len(kept) <= 20 + 30 + 12
    print(f"\nFIGURE prune: {len(everything)} backups over 2 years -> {len(kept)} kept")


def test_backups_of_another_diary_in_the_same_folder_are_left_alone(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "ours.tpd", tmp_path / "theirs.tpd"
    now = dt.datetime(2025, 6, 15, tzinfo=dt.UTC)
    old = [now - dt.timedelta(days=400 + k) for k in range(30)]
    _fake_backups(ours, old)
    _fake_backups(theirs, old)
    prune(ours, now)
    assert len(list_backups(ours)) == 20  # only the last 20 saves: all are over a year old
    assert len(list_backups(theirs)) == 30
