"""Composition root: wires the encrypted file, the in-memory database and the service."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from diary.domain.errors import ValidationError
from diary.services.diary_service import DiaryService
from diary.storage.database import Database
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams
from diary.storage.stored_diary import StoredDiary

APP_NAME = "TaperDiary"
DIARY_FILE_NAME = "diary.tpd"


def default_diary_path() -> Path:
    """``<platformdirs user data dir>/diary.tpd``."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DIARY_FILE_NAME


def create_diary(
    path: Path, passphrase: str, kdf: KdfParams | None = None
) -> tuple[DiaryService, str]:
    """Create a new diary (refusing to overwrite an existing file). Returns the open service
    and the recovery key, formatted for display. ``kdf=None`` calibrates on this machine."""
    db = Database.new()
    try:
        data = db.to_bytes()
        file, recovery_key = DiaryFile.create(path, passphrase, data, kdf=kdf)
    except BaseException:
        db.close()
        raise
    return DiaryService(StoredDiary(db, file, data, kdf=kdf)), recovery_key


def open_diary(
    path: Path, passphrase: str | None = None, recovery_key: str | None = None
) -> DiaryService:
    """Unlock with exactly one of passphrase or recovery key."""
    if passphrase is not None and recovery_key is None:
        file, data = DiaryFile.unlock(path, passphrase)
    elif recovery_key is not None and passphrase is None:
        file, data = DiaryFile.unlock_with_recovery_key(path, recovery_key)
    else:
        raise ValidationError("Unlock with either the passphrase or the recovery key.")
    try:
        db = Database.from_bytes(data)
    except BaseException:
        file.close()
        raise
    store = StoredDiary(db, file, data)
    if db.migrated:
        # Save the upgraded schema at once so that memory and disk hold the same thing.
        store.restore(db.to_bytes())
    return DiaryService(store)
