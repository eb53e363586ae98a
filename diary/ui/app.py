"""Start the desktop app: ``run_gui(path)`` is what ``taper-diary`` runs without a command."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from diary.ui.dialogs import Dialogs
from diary.ui.diary_location import DiaryLocation
from diary.ui.errors import ErrorPresenter
from diary.ui.main_window import APP_NAME, MainWindow
from diary.ui.session_watch import SessionLockWatcher
from diary.ui.theme import apply_stored_appearance
from diary.ui.window_placement import default_settings

LOG_BYTES, LOG_FILES = 512 * 1024, 3


def run_gui(diary_path: Path | None) -> int:
    """Show the create or unlock screen for ``diary_path`` (None: the default diary)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("TaperDiary")
    app.setDesktopFileName("taper-diary")
    log_path = configure_logging()
    settings = default_settings()
    apply_stored_appearance(app, settings)  # the Settings page's choice; env variables win

    dialogs = Dialogs()
    presenter = ErrorPresenter(dialogs, log_path)
    location = DiaryLocation(diary_path) if diary_path else DiaryLocation.default()
    watcher = SessionLockWatcher.on_desktop_buses()
    window = MainWindow(location, dialogs, settings, presenter, session_watcher=watcher)
    install_excepthook(window, presenter)
    window.show()
    exit_code = app.exec()
    QThreadPool.globalInstance().waitForDone()
    return exit_code


def configure_logging() -> Path:
    """Errors go to a small rotating log. Diary content is never logged."""
    folder = platformdirs.user_log_path("taper-diary", appauthor=False)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / "taper-diary.log"
    handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_FILES, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("diary").addHandler(handler)
    return path


def install_excepthook(window: MainWindow, presenter: ErrorPresenter) -> None:
    """An unexpected exception in a slot becomes a short apology, never a traceback."""

    def show_apology(
        kind: type[BaseException], error: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        presenter.show(window, error.with_traceback(traceback))

    sys.excepthook = show_apology
