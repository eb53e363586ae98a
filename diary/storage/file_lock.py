"""One writer per diary: an flock on "<diary>.lock", held while the diary is open.

flock belongs to the open file, so it dies with the process: a lock left by a crash or a
SIGKILL is released by the kernel, and the next open just works. The lock file itself is
never deleted (deleting it would let two processes lock two different files).
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from diary.domain.errors import DiaryOpenElsewhere


def lock_path(diary_path: Path) -> Path:
    return diary_path.with_name(diary_path.name + ".lock")


class FileLock:
    """A held lock; ``release`` (or ``with``) lets the next window or command in."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    @classmethod
    def acquire(cls, diary_path: Path) -> FileLock:
        path = lock_path(diary_path)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DiaryOpenElsewhere(
                "This diary is already open in another Taper Diary window or command."
            ) from None
        except BaseException:
            os.close(fd)
            raise
        return cls(fd, path)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
