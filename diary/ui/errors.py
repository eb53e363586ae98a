"""The one place that turns errors into words on screen.

Expected errors (``DiaryError`` and its subclasses) carry a sentence a patient can read;
a few get a second sentence about what can be done. Anything unexpected gets a short
apology and the place of the log file: never a traceback.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QWidget

from diary.domain.errors import (
    DamagedFile,
    DiaryError,
    DiaryOpenElsewhere,
    NewerFormat,
    SaveFailed,
)
from diary.ui.dialogs import Dialogs

log = logging.getLogger(__name__)

OPEN_ELSEWHERE = "This diary is already open in another Taper Diary window."
BACKUPS_EXIST = (
    "Earlier encrypted copies of the diary are kept in the backups folder beside it, "
    "and one of them can be restored."
)
NEWER_FORMAT = "Please open it with the newer version of Taper Diary; nothing was changed."
NOT_SAVED = "Your entries stay in this window; once the cause is fixed, do the change again."


class ErrorPresenter:
    def __init__(self, dialogs: Dialogs, log_path: Path | None = None) -> None:
        self._dialogs = dialogs
        self._log_path = log_path

    def message_for(self, error: BaseException) -> str:
        if isinstance(error, DiaryOpenElsewhere):
            return OPEN_ELSEWHERE
        if isinstance(error, DamagedFile):
            return f"{error.message} {BACKUPS_EXIST}"
        if isinstance(error, NewerFormat):
            return f"{error.message} {NEWER_FORMAT}"
        if isinstance(error, SaveFailed):
            return f"{error.message} {NOT_SAVED}"
        if isinstance(error, DiaryError):
            return error.message
        return self.apology()

    def apology(self) -> str:
        where = f" Details for a bug report are in {self._log_path}." if self._log_path else ""
        return (
            "Sorry, something went wrong that Taper Diary did not expect. "
            f"Everything you saved before this is safe.{where}"
        )

    def title_for(self, error: BaseException) -> str:
        if isinstance(error, SaveFailed):
            return "Not saved"
        if isinstance(error, DiaryError):
            return "Taper Diary"
        return "Something went wrong"

    def show(self, parent: QWidget | None, error: BaseException) -> None:
        if not isinstance(error, DiaryError):
            log.error("Unexpected error", exc_info=(type(error), error, error.__traceback__))
        self._dialogs.show_error(parent, self.title_for(error), self.message_for(error))
