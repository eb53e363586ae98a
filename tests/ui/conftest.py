"""Fixtures for the desktop tests: real diaries in tmp_path with the fastest allowed KDF,
a window settings file in tmp_path, and a Dialogs that records instead of blocking."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402 - the platform must be chosen first
from PySide6.QtWidgets import QWidget  # noqa: E402

from diary import bootstrap  # noqa: E402
from diary.storage.keys import KdfParams  # noqa: E402
from diary.ui.dialogs import Dialogs  # noqa: E402
from diary.ui.diary_location import DiaryLocation  # noqa: E402
from diary.ui.main_window import MainWindow  # noqa: E402

PASSPHRASE = "quiet harbour morning tea"
WORKER_TIMEOUT_MS = 20_000


class RecordingDialogs(Dialogs):
    """Records what would have been shown; never opens a modal."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.printed: list[str] = []
        self.accept_print = True
        self.questions: list[str] = []
        self.answer = True  # what every confirm question is answered

    def show_error(self, parent: QWidget | None, title: str, message: str) -> None:
        self.errors.append((title, message))

    def print_html(self, parent: QWidget | None, title: str, html: str) -> bool:
        self.printed.append(html)
        return self.accept_print

    def confirm(self, parent: QWidget | None, title: str, question: str, yes_text: str) -> bool:
        self.questions.append(question)
        return self.answer


class SampleDiary:
    """A diary on disk with a few days logged, closed (unlocked by the test through the UI)."""

    def __init__(self, path: Path, recovery_key: str, days: list[dt.date]) -> None:
        self.path = path
        self.recovery_key = recovery_key
        self.days = days


@pytest.fixture
def dialogs() -> RecordingDialogs:
    return RecordingDialogs()


@pytest.fixture
def window_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def diary_path(tmp_path: Path) -> Path:
    return tmp_path / "diary.tpd"


@pytest.fixture
def sample_diary(diary_path: Path) -> SampleDiary:
    service, recovery_key = bootstrap.create_diary(diary_path, PASSPHRASE, kdf=KdfParams.MINIMUM)
    days = [dt.date(2024, 5, 1), dt.date(2024, 5, 2), dt.date(2024, 5, 4)]
    try:
        service.record_checkin(days[0], wellbeing=6, sleep_hours=7.5, note="A calmer day.")
        service.record_checkin(days[1], ratings={"insomnia": 3}, for_doctor=True)
        service.record_checkin(days[2], note="Walked to the shop.")
    finally:
        service.close()
    return SampleDiary(diary_path, recovery_key, days)


@pytest.fixture
def make_window(
    qtbot, dialogs: RecordingDialogs, window_settings: QSettings
) -> Iterator[Callable[[Path], MainWindow]]:
    def make(path: Path) -> MainWindow:
        window = MainWindow(DiaryLocation(path, KdfParams.MINIMUM), dialogs, window_settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield make
