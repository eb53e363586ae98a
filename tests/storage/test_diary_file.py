"""DiaryFile on real files: create, unlock, keys, locking, external changes, no plaintext."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
import unicodedata
import uuid
from pathlib import Path

import pytest

from diary.domain.errors import (
    ChangedOnDisk,
    DamagedFile,
    DiaryOpenElsewhere,
    NotFound,
    RecoveryKeyTypo,
    ValidationError,
    WrongPassphrase,
    WrongRecoveryKey,
)
from diary.storage.backups import list_backups
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams
from diary.storage.recovery_key import new_recovery_key
from tests.storage.conftest import PASSPHRASE, NewDiary

ROOT = Path(__file__).resolve().parents[2]


def test_create_makes_the_folder_and_a_private_file(new_diary: NewDiary) -> None:
    assert new_diary.path.parent.is_dir()
    assert stat.S_IMODE(new_diary.path.stat().st_mode) == 0o600
    assert new_diary.file.generation == 1
    info = DiaryFile.info(new_diary.path)
    assert (info.format_version, info.generation) == ("1.0", 1)
    assert info.file_id == new_diary.file.file_id
    assert info.size_bytes == new_diary.path.stat().st_size


def test_create_refuses_an_existing_file(new_diary: NewDiary, fast_kdf: KdfParams) -> None:
    new_diary.file.close()
    before = new_diary.path.read_bytes()
    with pytest.raises(ValidationError, match="already exists"):
        DiaryFile.create(new_diary.path, "another passphrase", b"new", fast_kdf)
    assert new_diary.path.read_bytes() == before


def test_create_refuses_an_empty_passphrase(diary_path: Path, fast_kdf: KdfParams) -> None:
    with pytest.raises(ValidationError):
        DiaryFile.create(diary_path, "  ", b"x", fast_kdf)
    assert not diary_path.exists()


def test_unlock_with_passphrase_nfd_and_recovery_key(diary_path: Path, fast_kdf: KdfParams) -> None:
    passphrase = "Zoë's naïve passphrase"
    diary, recovery_key = DiaryFile.create(diary_path, passphrase, b"entry", fast_kdf)
    diary.save(b"entry two")
    diary.close()
    for opener in (
        lambda: DiaryFile.unlock(diary_path, passphrase),
        lambda: DiaryFile.unlock(diary_path, unicodedata.normalize("NFD", passphrase)),
        lambda: DiaryFile.unlock_with_recovery_key(diary_path, recovery_key),
    ):
        reopened, db = opener()
        assert (db, reopened.generation) == (b"entry two", 2)
        reopened.close()


def test_wrong_secrets_are_told_apart(new_diary: NewDiary) -> None:
    new_diary.file.close()
    with pytest.raises(WrongPassphrase):
        DiaryFile.unlock(new_diary.path, "correct horse battery stapler")
    with pytest.raises(WrongRecoveryKey) as wrong:
        DiaryFile.unlock_with_recovery_key(new_diary.path, new_recovery_key()[1])
    assert type(wrong.value) is WrongRecoveryKey  # a well-formed key, just not this diary's
    typo = new_diary.recovery_key[:-1] + ("0" if new_diary.recovery_key[-1] != "0" else "1")
    with pytest.raises(RecoveryKeyTypo):
        DiaryFile.unlock_with_recovery_key(new_diary.path, typo)
    # A failed unlock leaves the lock free for the next try.
    diary, _ = DiaryFile.unlock(new_diary.path, PASSPHRASE)
    diary.close()


def test_missing_diary_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        DiaryFile.unlock(tmp_path / "nope.tpd", PASSPHRASE)


def test_truncated_diary_opens_as_damaged(new_diary: NewDiary) -> None:
    new_diary.file.close()
    data = new_diary.path.read_bytes()
    new_diary.path.write_bytes(data[:-1])
    with pytest.raises(DamagedFile):
        DiaryFile.unlock(new_diary.path, PASSPHRASE)


def test_change_passphrase_keeps_the_recovery_key(new_diary: NewDiary, fast_kdf: KdfParams) -> None:
    new_diary.file.change_passphrase("a brand new passphrase", b"after change", fast_kdf)
    new_diary.file.close()
    with pytest.raises(WrongPassphrase):
        DiaryFile.unlock(new_diary.path, PASSPHRASE)
    diary, db = DiaryFile.unlock(new_diary.path, "a brand new passphrase")
    assert db == b"after change"
    diary.close()
    diary, db = DiaryFile.unlock_with_recovery_key(new_diary.path, new_diary.recovery_key)
    assert db == b"after change"
    diary.close()


def test_new_recovery_key_retires_the_old_one(new_diary: NewDiary) -> None:
    new_key = new_diary.file.new_recovery_key(b"rotated")
    assert new_key != new_diary.recovery_key
    new_diary.file.close()
    with pytest.raises(WrongRecoveryKey):
        DiaryFile.unlock_with_recovery_key(new_diary.path, new_diary.recovery_key)
    diary, db = DiaryFile.unlock_with_recovery_key(new_diary.path, new_key)
    assert db == b"rotated"
    diary.close()


def test_save_after_close_is_refused_plainly(new_diary: NewDiary) -> None:
    new_diary.file.close()
    with pytest.raises(Exception, match="NOT saved"):
        new_diary.file.save(b"late")


# ---- one writer ------------------------------------------------------------------------


def test_second_open_in_the_same_process_is_blocked(new_diary: NewDiary) -> None:
    with pytest.raises(DiaryOpenElsewhere, match="already open"):
        DiaryFile.unlock_with_recovery_key(new_diary.path, new_diary.recovery_key)
    new_diary.file.close()
    diary, _ = DiaryFile.unlock_with_recovery_key(new_diary.path, new_diary.recovery_key)
    diary.close()


def _python(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


OPEN_AND_REPORT = """
    import sys
    from pathlib import Path
    from diary.domain.errors import DiaryError
    from diary.storage.diary_file import DiaryFile
    try:
        diary, db = DiaryFile.unlock_with_recovery_key(Path(sys.argv[1]), sys.argv[2])
    except DiaryError as error:
        print(type(error).__name__, error)
    else:
        print("opened", db.decode())
"""


def test_second_open_in_another_process_is_blocked(new_diary: NewDiary) -> None:
    child = _python(OPEN_AND_REPORT, str(new_diary.path), new_diary.recovery_key)
    out, err = child.communicate(timeout=60)
    assert out.strip() == (
        "DiaryOpenElsewhere This diary is already open in another Taper Diary window or command."
    ), err


def test_lock_of_a_killed_process_is_recovered(new_diary: NewDiary) -> None:
    new_diary.file.close()
    holder = _python(
        """
        import sys, time
        from pathlib import Path
        from diary.storage.diary_file import DiaryFile
        diary, _ = DiaryFile.unlock_with_recovery_key(Path(sys.argv[1]), sys.argv[2])
        print("holding", flush=True)
        time.sleep(600)
        """,
        str(new_diary.path),
        new_diary.recovery_key,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    with pytest.raises(DiaryOpenElsewhere):
        DiaryFile.unlock_with_recovery_key(new_diary.path, new_diary.recovery_key)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert Path(str(new_diary.path) + ".lock").exists()  # the stale lock file is still there
    diary, db = DiaryFile.unlock_with_recovery_key(new_diary.path, new_diary.recovery_key)
    assert db == b"first entry"
    diary.close()


# ---- someone else changed the file -----------------------------------------------------


def test_file_replaced_by_another_program_is_not_overwritten(
    new_diary: NewDiary, tmp_path: Path, fast_kdf: KdfParams
) -> None:
    other_path = tmp_path / "elsewhere" / "other.tpd"
    other, _ = DiaryFile.create(other_path, "other passphrase", b"someone else's", fast_kdf)
    other.close()
    os.replace(other_path, new_diary.path)  # what a sync client does
    replacement = new_diary.path.read_bytes()
    with pytest.raises(ChangedOnDisk, match="NOT saved"):
        new_diary.file.save(b"my change")
    assert new_diary.path.read_bytes() == replacement


def test_an_older_copy_put_back_in_place_is_detected(new_diary: NewDiary) -> None:
    old_copy = new_diary.path.read_bytes()
    new_diary.file.save(b"second")
    new_diary.path.write_bytes(old_copy)  # e.g. a sync conflict restoring an older version
    with pytest.raises(ChangedOnDisk):
        new_diary.file.save(b"third")
    assert new_diary.path.read_bytes() == old_copy


def test_deleted_file_is_not_silently_recreated(new_diary: NewDiary) -> None:
    new_diary.path.unlink()
    with pytest.raises(ChangedOnDisk, match="moved or deleted"):
        new_diary.file.save(b"my change")
    assert not new_diary.path.exists()


def test_a_touched_but_identical_file_still_saves(new_diary: NewDiary) -> None:
    copy = new_diary.path.with_name("copy.tmp-test")
    shutil.copy2(new_diary.path, copy)
    os.replace(copy, new_diary.path)  # same bytes, new inode (a sync client re-download)
    new_diary.file.save(b"second")
    assert new_diary.file.generation == 2


# ---- what is left on disk --------------------------------------------------------------


def test_temp_files_left_by_a_crash_are_removed_on_open(new_diary: NewDiary) -> None:
    new_diary.file.close()
    leftover = new_diary.path.with_name(f".{new_diary.path.name}.0123456789ab.tmp")
    leftover.write_bytes(b"half a save")
    unrelated = new_diary.path.with_name("notes.txt")
    unrelated.write_bytes(b"keep me")
    diary, _ = DiaryFile.unlock(new_diary.path, PASSPHRASE)
    diary.close()
    assert not leftover.exists()
    assert unrelated.read_bytes() == b"keep me"


def test_no_plaintext_reaches_the_disk(diary_path: Path, fast_kdf: KdfParams) -> None:
    started = time.time() - 1
    canary = f"canary-{uuid.uuid4()}".encode()
    diary, _ = DiaryFile.create(diary_path, PASSPHRASE, b"note: " + canary, fast_kdf)
    for n in range(25):
        diary.save(b"note %d: " % n + canary * (n + 1))
    diary.change_passphrase("new passphrase here", canary, fast_kdf)
    diary.new_recovery_key(canary * 3)
    assert canary in diary.read_backup(list_backups(diary_path)[0].id)
    diary.close()
    scanned = _scan_for(canary, diary_path.parent, since=0)
    scanned += _scan_for(canary, Path(tempfile.gettempdir()), since=started)
    assert scanned > 20
    print(f"\nFIGURE no-plaintext scan: {scanned} files, canary found in none")


def _scan_for(canary: bytes, folder: Path, since: float) -> int:
    """Count files scanned; fail if one holds the canary."""
    scanned = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode) or info.st_mtime < since:
                    continue
                if info.st_size > 50 * 2**20:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            scanned += 1
            assert canary not in data, f"plaintext found in {path}"
    return scanned
