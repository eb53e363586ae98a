"""Which diary file the window works on, and the three ways to get a service for it.

The window and its screens hold a ``DiaryLocation`` rather than calling the composition
root with loose arguments, so tests can point the whole app at a diary in a temporary
folder with fast key-derivation settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from diary import bootstrap
from diary.services.diary_service import DiaryService

if TYPE_CHECKING:
    from diary.storage.keys import KdfParams


@dataclass(frozen=True)
class DiaryLocation:
    path: Path
    kdf: KdfParams | None = None  # None: calibrate on this machine; tests pass the minimum

    @classmethod
    def default(cls) -> DiaryLocation:
        return cls(bootstrap.default_diary_path())

    def exists(self) -> bool:
        return self.path.exists()

    def create(self, passphrase: str) -> tuple[DiaryService, str]:
        """Slow on purpose (key derivation): call it off the GUI thread."""
        return bootstrap.create_diary(self.path, passphrase, kdf=self.kdf)

    def open_with_passphrase(self, passphrase: str) -> DiaryService:
        """Slow on purpose (key derivation): call it off the GUI thread."""
        return bootstrap.open_diary(self.path, passphrase=passphrase)

    def open_with_recovery_key(self, recovery_key: str) -> DiaryService:
        return bootstrap.open_diary(self.path, recovery_key=recovery_key)
