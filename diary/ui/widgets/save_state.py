"""Whether the last change reached the disk: a quiet "Saved at 14:02", or a banner that
cannot be missed saying the change is NOT saved, why, and offering Retry.

Every page uses this one banner, so a failed save looks and reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from diary.domain.changes import Changes
from diary.domain.errors import SaveFailed
from diary.services.diary_service import DiaryService


class SavedIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "explanation")
        self.setAccessibleName("Save status")

    def saved(self, at: dt.datetime) -> None:
        self.setText(f"\N{CHECK MARK} Saved at {at:%H:%M}")
        self.setAccessibleDescription(self.text())

    def not_saved(self) -> None:
        self.setText("Not saved")
        self.setAccessibleDescription(self.text())


def kept_for_retry(waiting: int) -> str:
    """What happens to changes that could not be written, in a sentence."""
    changes = "1 change is" if waiting == 1 else f"{waiting} changes are"
    return f"{changes} kept in this window until a save works."


class NotSavedBanner(QFrame):
    """Shown while a change could not be written: what happened, and a Retry button."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notSavedBanner")
        self.setAccessibleName("Not saved")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setAccessibleName("Retry saving")
        self.retry_button.clicked.connect(self.retry_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_failure(self, reason: str, what_stays: str) -> None:
        """``reason``: the error's sentence; ``what_stays``: what the person still has."""
        self.message.setText(f"<b>NOT SAVED.</b> {escaped(reason)} {escaped(what_stays)}")
        self.setAccessibleDescription(f"Not saved. {reason} {what_stays}")
        self._restyle()
        self.show()

    def _restyle(self) -> None:
        # The theme's "problem" colour is the palette's BrightText, in light and dark alike;
        # read when shown, so a theme switched since is followed.
        palette = self.palette()
        problem = palette.color(QPalette.ColorRole.BrightText).name()
        base = palette.color(QPalette.ColorRole.Base).name()
        self.setStyleSheet(
            f"QFrame#notSavedBanner {{ border: 3px solid {problem}; border-radius: 6px;"
            f" background: {base}; }}"
            f" QFrame#notSavedBanner QLabel {{ color: {problem}; font-weight: 600; }}"
        )


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


Action = Callable[[DiaryService], Changes]
Mutate = Callable[[Action], Changes | None]


def run_change(mutate: Mutate, action: Action) -> tuple[Changes | None, SaveFailed | None]:
    """Run ``action`` through the window's ``mutate``: what it changed, or why it was not saved.

    Both are None when the window refused the change or the diary is closed: nothing was lost.
    """
    failures: list[SaveFailed] = []

    def attempt(service: DiaryService) -> Changes:
        try:
            return action(service)
        except SaveFailed as failure:
            failures.append(failure)
            raise

    changes = mutate(attempt)
    return changes, failures[0] if failures else None


class ChangeSaver:
    """Saves a page's changes: "Saved at 14:02" when written, the NOT SAVED banner when not,
    with the change kept in the window until the banner's Retry gets it written.

    ``keep_earlier``: a failed change waits with those that failed before it, and a later
    change that saves leaves them waiting; otherwise only the last failed change waits, and
    any change that saves forgets it. ``after_retry`` runs once every waiting change is saved;
    ``on_refused`` when the window refused a change without trying to write it.
    """

    def __init__(
        self,
        mutate: Mutate,
        banner: NotSavedBanner,
        indicator: SavedIndicator,
        now: Callable[[], dt.datetime],
        *,
        after_retry: Callable[[], None] = lambda: None,
        on_refused: Callable[[], None] = lambda: None,
        keep_earlier: bool = False,
        focus_retry: bool = True,
    ) -> None:
        self._mutate = mutate
        self._banner = banner
        self._indicator = indicator
        self._now = now
        self._after_retry = after_retry
        self._on_refused = on_refused
        self._keep_earlier = keep_earlier
        self._focus_retry = focus_retry
        self._waiting: list[Action] = []
        self._reason = ""  # why the waiting changes were not saved
        banner.retry_requested.connect(self.retry)

    def save(self, action: Action) -> bool:
        """Run ``action``; a failed save keeps it for Retry. True when it was written."""
        changes, failure = run_change(self._mutate, action)
        if changes is not None:
            if not self._keep_earlier:
                self._waiting.clear()
            self._indicator.saved(self._now())
            if not self._waiting:
                self._banner.hide()
            return True
        if failure is None:
            self._on_refused()
            return False
        if not self._keep_earlier:
            self._waiting.clear()
        self._waiting.append(action)
        self._reason = failure.message
        self._indicator.not_saved()
        self._show_failure()
        if self._focus_retry:
            self._banner.retry_button.setFocus()
        return False

    def retry(self) -> bool:
        """Run the waiting changes again, in the order they were made, until one fails."""
        waiting, self._waiting = self._waiting, []
        for index, action in enumerate(waiting):
            if not self.save(action):
                self._waiting.extend(waiting[index + 1 :])
                self._show_failure()
                return False
        self._banner.hide()
        self._after_retry()
        return True

    def forget(self) -> None:
        """Drop the waiting changes (the diary is being locked)."""
        self._waiting.clear()

    def _show_failure(self) -> None:
        self._banner.show_failure(self._reason, kept_for_retry(len(self._waiting)))
