"""Data-key rotation: after it, the old passphrase and recovery key open nothing on disk."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from diary.domain.errors import (
    DiaryError,
    SaveFailed,
    TamperedFile,
    ValidationError,
    WrongPassphrase,
    WrongRecoveryKey,
)
from diary.storage import atomic_write, backups
from diary.storage.backups import list_backups, restore_backup
from diary.storage.container import (
    open_payload,
    read_header,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams
from diary.storage.recovery_key import parse_recovery_key
from tests.storage.conftest import PASSPHRASE, NewDiary

NEW_PASSPHRASE = "a passphrase nobody has seen"


@dataclass(frozen=True)
class Kept:
    """What a backup held before the rotation."""

    generation: int
    db: bytes
    mtime_ns: int


def open_with_passphrase(path: Path, passphrase: str) -> bytes:
    data = path.read_bytes()
    header = read_header(data)
    return open_payload(data, header, unlock_with_passphrase(header, passphrase))


def open_with_recovery_key(path: Path, recovery_key: str) -> bytes:
    data = path.read_bytes()
    header = read_header(data)
    keys = unlock_with_recovery_key(header, parse_recovery_key(recovery_key))
    return open_payload(data, header, keys)


def everything_on_disk(diary_path: Path) -> list[Path]:
    return [diary_path] + [b.path for b in list_backups(diary_path)]


def kept_backups(diary: DiaryFile) -> dict[str, Kept]:
    return {
        b.id: Kept(b.generation, diary.read_backup(b.id), b.path.stat().st_mtime_ns)
        for b in list_backups(diary.path)
    }


@pytest.fixture
def with_backups(new_diary: NewDiary) -> NewDiary:
    """Generation 5 in place, generations 1-4 in backups/."""
    for n in range(2, 6):
        new_diary.file.save(b"entry %d" % n)
    return new_diary


def test_rotation_to_a_new_passphrase_retires_both_old_secrets_everywhere(
    with_backups: NewDiary, fast_kdf: KdfParams
) -> None:
    diary = with_backups.file
    old_copy = with_backups.path.with_name("copied before rotation.tpd")
    shutil.copyfile(with_backups.path, old_copy)

    new_key = diary.rotate_data_key(b"after rotation", NEW_PASSPHRASE, fast_kdf)
    diary.close()

    files = everything_on_disk(with_backups.path)
    assert len(files) == 6  # the diary, generations 1-4, and generation 5 kept by this save
    for path in files:
        with pytest.raises(WrongPassphrase):
            open_with_passphrase(path, PASSPHRASE)
        with pytest.raises(WrongRecoveryKey):
            open_with_recovery_key(path, with_backups.recovery_key)
        assert open_with_passphrase(path, NEW_PASSPHRASE) == open_with_recovery_key(path, new_key)
    assert open_with_passphrase(with_backups.path, NEW_PASSPHRASE) == b"after rotation"
    # Someone who copied the file earlier and knows the old passphrase learns the old data
    # key; it decrypts nothing written now.
    old_data = old_copy.read_bytes()
    old_keys = unlock_with_passphrase(read_header(old_data), PASSPHRASE)
    now = with_backups.path.read_bytes()
    with pytest.raises(TamperedFile):
        open_payload(now, read_header(now), old_keys)


def test_rotation_keeps_each_backup_its_generation_time_and_contents(
    with_backups: NewDiary, fast_kdf: KdfParams
) -> None:
    diary = with_backups.file
    before = kept_backups(diary)
    diary.rotate_data_key(b"after rotation", NEW_PASSPHRASE, fast_kdf)
    after = kept_backups(diary)
    diary.close()
    assert {id: after[id] for id in before} == before
    assert [kept.db for id, kept in after.items() if id not in before] == [b"entry 5"]
    for backup in list_backups(with_backups.path):
        assert read_header(backup.path.read_bytes()).generation == backup.generation


def test_rotation_without_a_new_passphrase_keeps_the_current_one(
    with_backups: NewDiary,
) -> None:
    new_key = with_backups.file.rotate_data_key(b"after rotation")
    with_backups.file.close()
    for path in everything_on_disk(with_backups.path):
        with pytest.raises(WrongRecoveryKey):
            open_with_recovery_key(path, with_backups.recovery_key)
        assert open_with_passphrase(path, PASSPHRASE) == open_with_recovery_key(path, new_key)


def test_a_new_recovery_key_retires_the_old_one_in_backups_too(with_backups: NewDiary) -> None:
    new_key = with_backups.file.new_recovery_key(b"after new key")
    with_backups.file.close()
    for path in everything_on_disk(with_backups.path):
        with pytest.raises(WrongRecoveryKey):
            open_with_recovery_key(path, with_backups.recovery_key)
        assert open_with_passphrase(path, PASSPHRASE) == open_with_recovery_key(path, new_key)


def test_opened_with_the_recovery_key_a_rotation_needs_a_new_passphrase(
    with_backups: NewDiary, fast_kdf: KdfParams
) -> None:
    with_backups.file.close()
    diary, db = DiaryFile.unlock_with_recovery_key(with_backups.path, with_backups.recovery_key)
    before = with_backups.path.read_bytes()
    with pytest.raises(ValidationError, match="choose a new passphrase"):
        diary.rotate_data_key(db)
    with pytest.raises(ValidationError, match="choose a new passphrase"):
        diary.new_recovery_key(db)
    assert with_backups.path.read_bytes() == before
    new_key = diary.rotate_data_key(db, NEW_PASSPHRASE, fast_kdf)
    diary.close()
    assert open_with_recovery_key(with_backups.path, new_key) == b"entry 5"
    with pytest.raises(WrongRecoveryKey):
        open_with_recovery_key(with_backups.path, with_backups.recovery_key)


def test_after_a_passphrase_change_a_rotation_keeps_the_changed_passphrase(
    with_backups: NewDiary, fast_kdf: KdfParams
) -> None:
    with_backups.file.change_passphrase(NEW_PASSPHRASE, b"changed", fast_kdf)
    with_backups.file.new_recovery_key(b"rotated")
    with_backups.file.close()
    for path in everything_on_disk(with_backups.path):
        with pytest.raises(WrongPassphrase):
            open_with_passphrase(path, PASSPHRASE)
        open_with_passphrase(path, NEW_PASSPHRASE)


def test_a_failed_diary_save_changes_nothing(
    with_backups: NewDiary, fast_kdf: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = {path: path.read_bytes() for path in everything_on_disk(with_backups.path)}

    def no_space(source: Path, destination: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write, "replace", no_space)
    with pytest.raises(SaveFailed, match="disk is full"):
        with_backups.file.rotate_data_key(b"never saved", NEW_PASSPHRASE, fast_kdf)
    monkeypatch.undo()
    assert {path: path.read_bytes() for path in everything_on_disk(with_backups.path)} == snapshot
    with_backups.file.save(b"saved with the old keys")
    with_backups.file.close()
    assert open_with_passphrase(with_backups.path, PASSPHRASE) == b"saved with the old keys"


def fail_on_call(number: int) -> Callable[..., None]:
    """A reseal_backup that works until call ``number``, which finds the disk full."""
    real = backups.reseal_backup
    calls = 0

    def reseal(*args: object) -> None:
        nonlocal calls
        calls += 1
        if calls == number:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(*args)  # type: ignore[arg-type]

    return reseal


def test_failure_while_resealing_backups_leaves_every_file_openable_and_a_retry_finishes(
    with_backups: NewDiary, fast_kdf: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    diary = with_backups.file
    before = kept_backups(diary)
    monkeypatch.setattr(backups, "reseal_backup", fail_on_call(3))
    # What the user sees: the diary is re-keyed, the backups are not all done, no recovery
    # key was shown, and trying again finishes the job.
    with pytest.raises(DiaryError, match="opens only with the new keys.*try again") as failed:
        diary.rotate_data_key(b"after rotation", NEW_PASSPHRASE, fast_kdf)
    assert not isinstance(failed.value, SaveFailed)  # the diary itself is saved
    monkeypatch.undo()

    assert open_with_passphrase(with_backups.path, NEW_PASSPHRASE) == b"after rotation"
    with pytest.raises(WrongPassphrase):
        open_with_passphrase(with_backups.path, PASSPHRASE)
    opened_by = {"old": 0, "new": 0}
    for backup in list_backups(with_backups.path):
        try:
            open_with_passphrase(backup.path, NEW_PASSPHRASE)
            opened_by["new"] += 1
        except WrongPassphrase:
            open_with_passphrase(backup.path, PASSPHRASE)
            opened_by["old"] += 1
    assert opened_by == {"new": 2, "old": 3}
    # Still open: saving works, and every backup reads, whichever key it is on.
    diary.save(b"after the failure")
    assert {id: diary.read_backup(id) for id in before} == {id: k.db for id, k in before.items()}

    new_key = diary.new_recovery_key(b"after the retry")
    diary.close()
    files = everything_on_disk(with_backups.path)
    assert len(files) == 8  # nothing deleted: generations 1-7 and the diary
    for path in files:
        with pytest.raises(WrongPassphrase):
            open_with_passphrase(path, PASSPHRASE)
        assert open_with_passphrase(path, NEW_PASSPHRASE) == open_with_recovery_key(path, new_key)


def test_backups_a_failed_rotation_left_are_deleted_once_the_old_key_is_gone(
    with_backups: NewDiary, fast_kdf: KdfParams, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups, "reseal_backup", fail_on_call(3))
    with pytest.raises(DiaryError):
        with_backups.file.rotate_data_key(b"after rotation", NEW_PASSPHRASE, fast_kdf)
    monkeypatch.undo()
    with_backups.file.close()  # the old data key leaves memory with it

    diary, db = DiaryFile.unlock(with_backups.path, NEW_PASSPHRASE)
    new_key = diary.new_recovery_key(db)
    diary.close()
    files = everything_on_disk(with_backups.path)
    assert len(files) == 1 + 2 + 1  # the diary, the two re-sealed, the one kept by this save
    for path in files:
        with pytest.raises(WrongPassphrase):
            open_with_passphrase(path, PASSPHRASE)
        assert open_with_passphrase(path, NEW_PASSPHRASE) == open_with_recovery_key(path, new_key)


def test_rotation_deletes_a_damaged_backup(with_backups: NewDiary) -> None:
    damaged = list_backups(with_backups.path)[1]
    damaged.path.write_bytes(damaged.path.read_bytes()[:300])
    with_backups.file.rotate_data_key(b"after rotation")
    assert not damaged.path.exists()
    assert len(list_backups(with_backups.path)) == 4
    with_backups.file.close()


def test_restore_backup_works_after_rotation(with_backups: NewDiary, fast_kdf: KdfParams) -> None:
    new_key = with_backups.file.rotate_data_key(b"after rotation", NEW_PASSPHRASE, fast_kdf)
    with_backups.file.close()
    oldest = list_backups(with_backups.path)[-1]
    with pytest.raises(WrongPassphrase):
        restore_backup(with_backups.path, oldest.id, PASSPHRASE)
    restore_backup(with_backups.path, oldest.id, NEW_PASSPHRASE)
    diary, db = DiaryFile.unlock_with_recovery_key(with_backups.path, new_key)
    assert db == b"first entry"
    diary.save(b"saved after the restore")
    diary.close()


def test_a_killed_rotation_leaves_no_temp_files_after_the_next_open(
    with_backups: NewDiary,
) -> None:
    folder = backups.backups_folder(with_backups.path)
    some_backup = list_backups(with_backups.path)[0].path
    leftover = atomic_write.temp_path_for(some_backup)
    leftover.write_bytes(b"half a re-encrypted backup")
    unrelated = folder / "notes.txt"
    unrelated.write_bytes(b"keep me")
    with_backups.file.close()
    diary, _ = DiaryFile.unlock(with_backups.path, PASSPHRASE)
    diary.close()
    assert sorted(os.listdir(folder)) == sorted(
        [b.path.name for b in list_backups(with_backups.path)] + ["notes.txt"]
    )
