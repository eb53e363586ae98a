"""The open diary as the service sees it: the in-memory database plus its encrypted file.

Every write unit ends with the whole database serialized and saved. If saving fails, the
in-memory database is rolled back to the bytes last saved, so what the app shows is always
what is on disk; the error goes up so the user is told the change is not saved and can retry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from diary.domain.errors import DiaryError
from diary.domain.models import BackupInfo
from diary.storage.backups import backups_folder, list_backups
from diary.storage.database import Database
from diary.storage.keys import KdfParams
from diary.storage.repository import Repository


class SealedFile(Protocol):
    """The part of ``diary.storage.diary_file.DiaryFile`` this module uses."""

    @property
    def path(self) -> Path: ...
    @property
    def generation(self) -> int: ...
    def save(self, db_bytes: bytes) -> None: ...
    def change_passphrase(
        self, new_passphrase: str, db_bytes: bytes, kdf: KdfParams | None = None
    ) -> None: ...
    def new_recovery_key(self, db_bytes: bytes) -> str: ...
    def rotate_data_key(
        self, db_bytes: bytes, new_passphrase: str | None = None, kdf: KdfParams | None = None
    ) -> str: ...
    def read_backup(self, backup_id: str) -> bytes: ...
    def close(self) -> None: ...


class StoredDiary:
    """Implements ``diary.services.ports.DiaryStore``."""

    def __init__(
        self, db: Database, file: SealedFile, saved: bytes, kdf: KdfParams | None = None
    ) -> None:
        """``saved`` must be the bytes ``file`` holds now (what ``db`` was loaded from).
        ``kdf`` is used for a new passphrase (None: calibrate on this machine)."""
        self._db = db
        self._kdf = kdf
        self._file = file
        self._saved = saved
        self._records = Repository(db.connection)
        self._depth = 0

    @property
    def path(self) -> Path:
        return self._file.path

    @property
    def generation(self) -> int:
        return self._file.generation

    @property
    def records(self) -> Repository:
        return self._records

    @property
    def database(self) -> Database:
        return self._db

    @contextmanager
    def write(self) -> Iterator[None]:
        outermost = self._depth == 0
        self._depth += 1
        try:
            with self._db.transaction():
                yield
        finally:
            self._depth -= 1
        if outermost:
            self._save(self._db.to_bytes())

    def snapshot(self) -> bytes:
        return self._saved

    def restore(self, data: bytes) -> None:
        self._require_no_write("restore")
        db = Database.from_bytes(data)  # checked (and migrated) before anything is written
        try:
            saved = db.to_bytes() if db.migrated else data
            self._file.save(saved)
        except BaseException:
            db.close()
            raise
        self._swap(db, saved)

    def change_passphrase(self, new_passphrase: str) -> None:
        self._require_no_write("change the passphrase")
        self._file.change_passphrase(new_passphrase, self._saved, kdf=self._kdf)

    def new_recovery_key(self) -> str:
        self._require_no_write("make a new recovery key")
        return self._file.new_recovery_key(self._saved)

    def rotate_keys(self, new_passphrase: str | None = None) -> str:
        self._require_no_write("change the keys")
        return self._file.rotate_data_key(self._saved, new_passphrase, kdf=self._kdf)

    def backups(self) -> list[BackupInfo]:
        return [BackupInfo(b.id, b.generation, b.saved_at) for b in list_backups(self.path)]

    def read_backup(self, backup_id: str) -> bytes:
        return self._file.read_backup(backup_id)

    def backup_folder(self) -> Path:
        return backups_folder(self.path)

    def integrity_problems(self) -> list[str]:
        """Everything wrong with the diary in memory and with each backup beside it."""
        problems = self._db.integrity_problems()
        for backup in list_backups(self.path):
            try:
                Database.from_bytes(self._file.read_backup(backup.id)).close()
            except DiaryError as error:
                problems.append(f"Backup {backup.id}: {error}")
        return problems

    def close(self) -> None:
        self._db.close()
        self._file.close()

    def _save(self, data: bytes) -> None:
        try:
            self._file.save(data)
        except BaseException:
            self._swap(Database.from_bytes(self._saved), self._saved)
            raise
        self._saved = data

    def _swap(self, db: Database, saved: bytes) -> None:
        self._db.close()
        self._db = db
        self._saved = saved
        self._records = Repository(db.connection)

    def _require_no_write(self, action: str) -> None:
        if self._depth:
            raise RuntimeError(f"Cannot {action} inside a write unit.")
