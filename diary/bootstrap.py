"""Composition root: wires the encrypted file, the in-memory database and the service.

INTERFACE CONTRACT (signatures fixed; bodies being filled in).
"""

from __future__ import annotations

from pathlib import Path

from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams


def default_diary_path() -> Path:
    """``<platformdirs user data dir>/diary.tpd``."""
    ...


def create_diary(path: Path, passphrase: str, kdf: KdfParams | None = None) -> tuple[DiaryService, str]:
    """Create a new diary (refusing to overwrite an existing file). Returns the open service
    and the recovery key, formatted for display. ``kdf=None`` calibrates on this machine."""
    ...


def open_diary(path: Path, passphrase: str | None = None, recovery_key: str | None = None) -> DiaryService:
    """Unlock with exactly one of passphrase or recovery key."""
    ...
