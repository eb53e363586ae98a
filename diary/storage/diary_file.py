"""DiaryFile: the only place that touches the diary file.

An open DiaryFile holds the lock, the unwrapped data key and the header of the generation
it last wrote. ``save`` seals new database bytes and commits them atomically (see
``atomic_write.commit``), keeping the previous generation in ``backups/``. It refuses to
overwrite a file that someone else replaced since (ChangedOnDisk).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from diary.domain.errors import (
    ChangedOnDisk,
    DiaryError,
    NotFound,
    SaveFailed,
    ValidationError,
)
from diary.storage import atomic_write, backups
from diary.storage.container import (
    Header,
    HeaderFields,
    make_passphrase_slot,
    make_recovery_slot,
    open_payload,
    opens_to,
    read_header,
    seal,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from diary.storage.file_lock import FileLock
from diary.storage.keys import KdfParams, Keys, calibrate_kdf, passphrase_bytes
from diary.storage.recovery_key import new_recovery_key, parse_recovery_key

FILE_ID_BYTES = 16

# What we remember of the file we wrote, to notice cheaply that someone else replaced it.
_DiskStamp = tuple[int, int, int, int]


@dataclass(frozen=True)
class FileInfo:
    """What can be told about a diary file without any key."""

    path: Path
    format_version: str
    generation: int
    file_id: str
    size_bytes: int


class DiaryFile:
    def __init__(
        self, path: Path, lock: FileLock, keys: Keys, fields: HeaderFields, stamp: _DiskStamp
    ) -> None:
        self.path = path
        self._lock = lock
        self._keys: Keys | None = keys
        self._fields = fields
        self._stamp = stamp

    @property
    def generation(self) -> int:
        return self._fields.generation

    @property
    def file_id(self) -> str:
        return self._fields.file_id.hex()

    # ---- creating and opening ----------------------------------------------------------

    @classmethod
    def create(
        cls, path: Path, passphrase: str, db_bytes: bytes, kdf: KdfParams | None = None
    ) -> tuple[DiaryFile, str]:
        """A new diary at ``path`` (never over an existing file). Returns the recovery key."""
        passphrase_bytes(passphrase)  # reject an empty passphrase before any work
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = FileLock.acquire(path)
        try:
            if path.exists():
                raise ValidationError(
                    f"A diary already exists at {path}; open it or choose another name.",
                    field="path",
                )
            keys = Keys.generate()
            secret, recovery_text = new_recovery_key()
            fields = HeaderFields(
                file_id=os.urandom(FILE_ID_BYTES),
                generation=0,  # the first save below makes it generation 1
                passphrase_slot=make_passphrase_slot(keys, passphrase, kdf or calibrate_kdf()),
                recovery_slot=make_recovery_slot(keys, secret),
            )
            diary = cls(path, lock, keys, fields, stamp=(0, 0, 0, 0))
            diary._commit(fields, db_bytes, check_disk=False)
        except BaseException:
            lock.release()
            raise
        return diary, recovery_text

    @classmethod
    def unlock(cls, path: Path, passphrase: str) -> tuple[DiaryFile, bytes]:
        """Open with the passphrase; returns the decrypted database bytes."""
        return cls._open(path, lambda header: unlock_with_passphrase(header, passphrase))

    @classmethod
    def unlock_with_recovery_key(cls, path: Path, recovery_key: str) -> tuple[DiaryFile, bytes]:
        secret = parse_recovery_key(recovery_key)
        return cls._open(path, lambda header: unlock_with_recovery_key(header, secret))

    @classmethod
    def _open(cls, path: Path, unlock: Callable[[Header], Keys]) -> tuple[DiaryFile, bytes]:
        lock = FileLock.acquire(path)
        try:
            data, stamp = _read_with_stamp(path)
            header = read_header(data)
            keys = unlock(header)
            db_bytes = open_payload(data, header, keys)
            atomic_write.remove_stale_temps(path)
        except BaseException:
            lock.release()
            raise
        return cls(path, lock, keys, header.fields, stamp), db_bytes

    @staticmethod
    def info(path: Path) -> FileInfo:
        data = _read_with_stamp(path)[0]
        header = read_header(data)
        return FileInfo(
            path=path,
            format_version=f"{header.major}.{header.minor}",
            generation=header.generation,
            file_id=header.fields.file_id.hex(),
            size_bytes=len(data),
        )

    # ---- saving ------------------------------------------------------------------------

    def save(self, db_bytes: bytes) -> None:
        """Write ``db_bytes`` as the next generation, or raise SaveFailed (nothing changed)."""
        self._commit(self._fields, db_bytes, check_disk=True)

    def change_passphrase(
        self, new_passphrase: str, db_bytes: bytes, kdf: KdfParams | None = None
    ) -> None:
        """Replace the passphrase slot (the data key and recovery key stay) and save."""
        slot = make_passphrase_slot(self._held_keys(), new_passphrase, kdf or calibrate_kdf())
        self._commit(replace(self._fields, passphrase_slot=slot), db_bytes, check_disk=True)

    def new_recovery_key(self, db_bytes: bytes) -> str:
        """Replace the recovery slot and save; the old recovery key stops opening this file."""
        secret, text = new_recovery_key()
        slot = make_recovery_slot(self._held_keys(), secret)
        self._commit(replace(self._fields, recovery_slot=slot), db_bytes, check_disk=True)
        return text

    def _commit(self, fields: HeaderFields, db_bytes: bytes, check_disk: bool) -> None:
        keys = self._held_keys()
        if check_disk:
            self._check_unchanged_on_disk()
        new_fields = fields.next_generation()
        sealed = seal(db_bytes, keys, new_fields)

        def verify(written: bytes) -> None:
            if written != sealed or not opens_to(written, keys, db_bytes):
                raise atomic_write.read_back_mismatch()

        previous = self._fields.generation
        atomic_write.commit(
            self.path,
            sealed,
            verify=verify,
            keep_previous=lambda: backups.keep_current(self.path, previous),
        )
        self._fields = new_fields
        self._stamp = _stamp_of(os.stat(self.path))
        self._prune_backups()

    def _prune_backups(self) -> None:
        # The save is done; a backup that cannot be deleted now is deleted on a later save.
        with contextlib.suppress(OSError):
            backups.prune(self.path, dt.datetime.now(dt.UTC))

    def _check_unchanged_on_disk(self) -> None:
        """Refuse to save over a file that is not the generation we last wrote."""
        try:
            if _stamp_of(os.stat(self.path)) == self._stamp:
                return
            header = read_header(self.path.read_bytes())
        except FileNotFoundError:
            raise ChangedOnDisk(
                "The diary file was moved or deleted by another program, so your last change "
                "is NOT saved; close the diary and check the folder."
            ) from None
        except (OSError, DiaryError):
            header = None
        if (
            header is None
            or header.fields.file_id != self._fields.file_id
            or header.generation != self._fields.generation
        ):
            raise ChangedOnDisk(
                "Another program (perhaps a sync service) replaced the diary file since it was "
                "opened, so your last change is NOT saved; close and reopen the diary."
            )
        self._stamp = _stamp_of(os.stat(self.path))

    # ---- backups and closing -----------------------------------------------------------

    def read_backup(self, backup_id: str) -> bytes:
        """The database bytes of one backup, decrypted with the data key held now."""
        backup = backups.find_backup(self.path, backup_id)
        data = backup.path.read_bytes()
        return open_payload(data, read_header(data), self._held_keys())

    def close(self) -> None:
        """Drop the key and release the lock. Safe to call twice."""
        self._keys = None
        self._lock.release()

    def __enter__(self) -> DiaryFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _held_keys(self) -> Keys:
        if self._keys is None:
            raise SaveFailed("The diary is locked, so this change is NOT saved.")
        return self._keys


def _read_with_stamp(path: Path) -> tuple[bytes, _DiskStamp]:
    try:
        with path.open("rb") as file:
            return file.read(), _stamp_of(os.fstat(file.fileno()))
    except FileNotFoundError:
        raise NotFound(f"There is no diary at {path}.", field="path") from None


def _stamp_of(stat: os.stat_result) -> _DiskStamp:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)
