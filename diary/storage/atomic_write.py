"""Writing a whole file so that it is either the old version or the new one, never half.

``commit`` runs the steps of a save. Each step is a small module-level function (write_all,
fsync_file, read_back, link_backup, replace, fsync_dir) so fault-injection tests can
monkeypatch exactly one of them to raise ``OSError``; ``commit`` then puts everything back
as it was and raises a ``SaveFailed`` that says plainly the change is not saved and why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import sys
from collections.abc import Callable
from pathlib import Path

from diary.domain.errors import DiaryError, DiskFull, FolderReadOnly, SaveFailed

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
# os.link is refused on some file systems (FAT, exFAT, some network shares); copy instead.
_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP}


def temp_path_for(target: Path) -> Path:
    """A fresh, hidden name in the target's own folder, so os.replace stays atomic."""
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")


def is_temp_for(target: Path, candidate: Path) -> bool:
    pattern = rf"\.{re.escape(target.name)}\.[0-9a-f]{{12}}\.tmp"
    return re.fullmatch(pattern, candidate.name) is not None


def remove_stale_temps(target: Path) -> None:
    """Delete temp files left by a save that was killed. Call only while holding the lock."""
    for candidate in target.parent.iterdir():
        if is_temp_for(target, candidate):
            remove_quietly(candidate)


# ---- the steps (monkeypatch these in fault-injection tests) ----------------------------


def create_exclusive(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_file(fd: int) -> None:
    # On macOS fsync does not reach the platter; F_FULLFSYNC does.
    if sys.platform == "darwin":
        import fcntl

        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError:
            pass
    os.fsync(fd)


def read_back(path: Path) -> bytes:
    return path.read_bytes()


def link_backup(source: Path, destination: Path) -> None:
    """Give the current file a second name in backups/ (a copy where links are refused)."""
    try:
        os.link(source, destination)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _copy_exclusive(source, destination)


def replace(source: Path, destination: Path) -> None:
    os.replace(source, destination)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- composed operations ---------------------------------------------------------------


def write_temp(target: Path, data: bytes) -> Path:
    """Write data to a new 0600 temp file beside target, flushed to disk. Removed on error."""
    temp = temp_path_for(target)
    fd = create_exclusive(temp)
    try:
        write_all(fd, data)
        fsync_file(fd)
    except BaseException:
        os.close(fd)
        remove_quietly(temp)
        raise
    os.close(fd)
    return temp


def commit(
    target: Path,
    data: bytes,
    verify: Callable[[bytes], None],
    keep_previous: Callable[[], Path | None],
) -> None:
    """Atomically make ``target`` hold ``data``.

    ``verify`` gets the bytes read back from the temp file and raises DiaryError if they are
    not right. ``keep_previous`` keeps the current target (as a backup) and returns the path
    it made, or None. On any failure the target and the backups are left as they were.
    """
    temp: Path | None = None
    kept: Path | None = None
    replaced = False
    try:
        temp = write_temp(target, data)
        verify(read_back(temp))
        kept = keep_previous()
        replace(temp, target)
        replaced = True
        fsync_dir(target.parent)
    except (OSError, DiaryError) as exc:
        _roll_back(target, temp, kept, replaced)
        raise as_save_error(exc) from exc


def _roll_back(target: Path, temp: Path | None, kept: Path | None, replaced: bool) -> None:
    """Best effort: put the previous file back under its name and drop what we added."""
    try:
        if replaced and kept is not None:
            restore = temp_path_for(target)
            os.link(kept, restore)
            os.replace(restore, target)
        elif replaced:
            os.unlink(target)
    except OSError:
        pass
    if temp is not None and not replaced:
        remove_quietly(temp)
    if kept is not None:
        remove_quietly(kept)


def as_save_error(exc: BaseException) -> SaveFailed:
    """The plain-language error for a failed save."""
    if isinstance(exc, SaveFailed):
        return exc
    if isinstance(exc, DiaryError):
        return read_back_mismatch()
    code = exc.errno if isinstance(exc, OSError) else None
    if code in _DISK_FULL:
        return DiskFull(
            "Your last change is NOT saved: the disk is full. Free some space and try again."
        )
    if code in _READ_ONLY:
        return FolderReadOnly(
            "Your last change is NOT saved: the diary's folder cannot be written to. "
            "Check that the drive is connected and writable, then try again."
        )
    reason = os.strerror(code) if code else "unknown error"
    return SaveFailed(
        f"Your last change is NOT saved: the computer could not write the diary file "
        f"({reason}). Please try again."
    )


def read_back_mismatch() -> SaveFailed:
    return SaveFailed(
        "Your last change is NOT saved: the copy written to disk did not read back "
        "correctly, which can mean a failing disk."
    )


def remove_quietly(path: Path) -> None:
    # Cleanup after a failure must not hide the failure itself.
    with contextlib.suppress(OSError):
        os.unlink(path)


def _copy_exclusive(source: Path, destination: Path) -> None:
    temp = write_temp(destination, source.read_bytes())
    try:
        if destination.exists():
            raise FileExistsError(errno.EEXIST, "backup already exists", str(destination))
        os.replace(temp, destination)
    except BaseException:
        remove_quietly(temp)
        raise
