"""What the Settings tests share (no tests here): a real diary, a stand-in for the window's
``mutate``, Dialogs that answer instead of blocking, and small ways to drive widgets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget

from diary import bootstrap
from diary.domain.changes import Changes
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams
from diary.ui.pages.settings_page import SettingsPage
from diary.ui.settings.section import Action
from tests.ui.conftest import PASSPHRASE, RecordingDialogs

FORBIDDEN = ("failure", "failed", "missed", "relapse", "you should", "you must")
RATED_DAY = dt.date(2024, 5, 2)


class SettingsDialogs(RecordingDialogs):
    """Records the folders it was asked to open (questions are answered as the base does)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    def open_folder(self, folder: Path) -> None:
        self.opened.append(folder)


class Window:
    """What the main window does around a page: run the action, keep errors, announce."""

    def __init__(self, service: DiaryService) -> None:
        self.service = service
        self.errors: list[Exception] = []
        self.page: SettingsPage | None = None

    def mutate(self, action: Action) -> Changes | None:
        try:
            changes = action(self.service)
        except Exception as error:  # the window hands it to the error presenter
            self.errors.append(error)
            return None
        assert self.page is not None
        self.page.on_changed(changes)
        return changes


def new_diary(path: Path) -> DiaryService:
    """A diary with one day on which Insomnia was rated 3."""
    service, _ = bootstrap.create_diary(path, PASSPHRASE, KdfParams.MINIMUM)
    service.record_checkin(RATED_DAY, ratings={"insomnia": 3})
    return service


def make_page(
    qtbot, service: DiaryService, dialogs: SettingsDialogs, settings: QSettings
) -> tuple[SettingsPage, Window]:
    window = Window(service)
    page = SettingsPage(window.mutate, dialogs, settings)
    window.page = page
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.open_session(service)
    return page, window


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def shown_text(widget: QWidget) -> str:
    labels = [label for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]
    return "\n".join(label.text() for label in labels)


def assert_respectful(text: str) -> None:
    lowered = text.lower()
    for word in FORBIDDEN:
        assert word not in lowered, f"{word!r} in {text!r}"
