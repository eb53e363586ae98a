"""Typed errors. Each carries one plain sentence a patient can read.

The CLI maps them to exit codes (see ``exit_code``); the GUI shows the message.
Nothing below the UI ever prints a traceback to the user.
"""

from __future__ import annotations


class DiaryError(Exception):
    """Base of every error the app expects and can explain."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DiaryError):
    """Input that cannot be accepted. Nothing was changed."""

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(ValidationError):
    """A named thing (medication, symptom, backup) does not exist."""


class WrongPassphrase(DiaryError):
    exit_code = 3


class WrongRecoveryKey(DiaryError):
    exit_code = 3


class RecoveryKeyTypo(WrongRecoveryKey):
    """The recovery key's checksum does not match: a typing mistake, not a wrong key."""


class DamagedFile(DiaryError):
    """The file is truncated or its header is corrupt (detected before any key is used)."""

    exit_code = 4


class TamperedFile(DamagedFile):
    """The header is intact and the key is right, but the encrypted content fails authentication."""


class NewerFormat(DiaryError):
    """Written by a newer version of Taper Diary; refused without writing anything."""

    exit_code = 2


class DiaryOpenElsewhere(DiaryError):
    """Another Taper Diary window or command holds the diary's lock."""

    exit_code = 5


class ChangedOnDisk(DiaryError):
    """Another program replaced the diary file since it was opened; we refuse to overwrite it."""


class SaveFailed(DiaryError):
    """The last change is NOT saved. The data stays in memory; a retry may work."""


class DiskFull(SaveFailed):
    pass


class FolderReadOnly(SaveFailed):
    pass


class NothingToUndo(DiaryError):
    exit_code = 2


class RotationIncomplete(DiaryError):
    """The diary was re-keyed, but some backups still open only with the old keys."""
