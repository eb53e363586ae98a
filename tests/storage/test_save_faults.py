"""A save that fails at any step leaves the diary and its backups exactly as they were.

Faults are injected by making one step of atomic_write raise the OSError a real disk would
(ENOSPC, EROFS, EIO, ...). Our own storage code runs for real.
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from diary.domain.errors import DiskFull, FolderReadOnly, SaveFailed
from diary.storage import atomic_write
from diary.storage.backups import backups_folder
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams
from tests.storage.conftest import PASSPHRASE, NewDiary

STEPS = [
    "create_exclusive",
    "write_all",
    "fsync_file",
    "read_back",
    "link_backup",
    "replace",
    "fsync_dir",
]


def _snapshot(diary_path: Path) -> dict[str, bytes]:
    """Every file in the diary's folder and its backups folder, by name."""
    files = [p for p in diary_path.parent.iterdir() if p.is_file()]
    folder = backups_folder(diary_path)
    if folder.is_dir():
        files += list(folder.iterdir())
    return {str(p.relative_to(diary_path.parent)): p.read_bytes() for p in files}


def _failing(code: int) -> object:
    def fail(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, "injected")

    return fail


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize(
    ("code", "error"),
    [(errno.ENOSPC, DiskFull), (errno.EROFS, FolderReadOnly), (errno.EIO, SaveFailed)],
)
def test_failure_at_each_step_changes_nothing_and_a_retry_works(
    new_diary: NewDiary, monkeypatch: pytest.MonkeyPatch, step: str, code: int, error: type
) -> None:
    new_diary.file.save(b"second")  # so there is a backup to keep unchanged as well
    before = _snapshot(new_diary.path)
    with monkeypatch.context() as patch:
        patch.setattr(atomic_write, step, _failing(code))
        with pytest.raises(error, match="NOT saved") as caught:
            new_diary.file.save(b"third")
    assert type(caught.value) is error
    assert _snapshot(new_diary.path) == before  # diary, backups, no temp file left
    assert new_diary.file.generation == 2
    new_diary.file.save(b"third")
    new_diary.file.close()
    diary, db = DiaryFile.unlock(new_diary.path, PASSPHRASE)
    assert (db, diary.generation) == (b"third", 3)
    diary.close()


def test_a_copy_that_reads_back_wrong_is_not_put_in_place(
    new_diary: NewDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _snapshot(new_diary.path)
    real_read_back = atomic_write.read_back

    def corrupted(path: Path) -> bytes:
        data = bytearray(real_read_back(path))
        data[-100] ^= 0x04
        return bytes(data)

    with monkeypatch.context() as patch:
        patch.setattr(atomic_write, "read_back", corrupted)
        with pytest.raises(SaveFailed, match="did not read back correctly"):
            new_diary.file.save(b"second")
    assert _snapshot(new_diary.path) == before
    new_diary.file.save(b"second")
    assert new_diary.file.generation == 2


@pytest.mark.parametrize("code", [errno.EACCES, errno.EPERM, errno.EROFS])
def test_read_only_folder_says_so(
    new_diary: NewDiary, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    # Tests run as root, for whom chmod does not make a folder read-only: fail the open call.
    before = _snapshot(new_diary.path)
    with monkeypatch.context() as patch:
        patch.setattr(atomic_write, "create_exclusive", _failing(code))
        with pytest.raises(FolderReadOnly, match="cannot be written to"):
            new_diary.file.save(b"second")
    assert _snapshot(new_diary.path) == before


def test_disk_filling_up_midway_through_the_write(
    new_diary: NewDiary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.write accepts some bytes, then the disk is full (what a real full disk does)."""
    before = _snapshot(new_diary.path)
    real_write = atomic_write.os.write
    written = {"bytes": 0}

    def write_until_full(fd: int, data: bytes) -> int:
        if written["bytes"] >= 4096:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[:4096]))
        written["bytes"] += n
        return n

    with monkeypatch.context() as patch:
        patch.setattr(atomic_write.os, "write", write_until_full)
        with pytest.raises(DiskFull, match="disk is full"):
            new_diary.file.save(b"x" * 200_000)
    assert _snapshot(new_diary.path) == before
    new_diary.file.save(b"x" * 200_000)
    assert new_diary.file.generation == 2


@pytest.mark.parametrize("step", ["write_all", "fsync_file", "replace", "fsync_dir"])
def test_failed_create_leaves_no_file_and_can_be_retried(
    diary_path: Path, fast_kdf: KdfParams, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(atomic_write, step, _failing(errno.ENOSPC))
        with pytest.raises(DiskFull):
            DiaryFile.create(diary_path, PASSPHRASE, b"first", fast_kdf)
    assert sorted(p.name for p in diary_path.parent.iterdir()) == [diary_path.name + ".lock"]
    diary, _ = DiaryFile.create(diary_path, PASSPHRASE, b"first", fast_kdf)
    diary.close()
