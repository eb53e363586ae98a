"""The window: hosts the locked-state screens and the pages, and owns the menu actions.

It holds the open ``DiaryService`` while unlocked and nothing from the diary while locked.
Every change goes through ``mutate``, which shows errors and re-emits one ``changed``
signal; pages refresh themselves from it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QSettings, QTime, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QTabWidget, QWidget

from diary.domain.changes import Changes
from diary.services.diary_service import DiaryService
from diary.ui.auto_lock import IdleTimer, idle_timeout_ms
from diary.ui.dialogs import Dialogs
from diary.ui.diary_location import DiaryLocation
from diary.ui.errors import ErrorPresenter
from diary.ui.pages.days_page import DaysPage
from diary.ui.screens.create_screen import CreateScreen
from diary.ui.screens.recovery_key_screen import RecoveryKeyScreen
from diary.ui.screens.unlock_screen import UnlockScreen
from diary.ui.session_watch import SessionLockWatcher
from diary.ui.window_placement import restore_geometry, save_geometry

log = logging.getLogger(__name__)

APP_NAME = "Taper Diary"
DEFAULT_SIZE_IN_TEXT = (200, 50)  # at most this many average characters wide and lines high
SCREEN_SHARE = 0.85  # on first start, fill this share of the screen (within the limit above)


class SessionPage(Protocol):
    """What a page offers the window. ``close_session`` must drop the service and clear
    every widget and model that shows diary content: it runs on every lock."""

    title: str

    def open_session(self, service: DiaryService) -> None: ...

    def close_session(self) -> None: ...

    def on_changed(self, changes: Changes) -> None: ...


class MainWindow(QMainWindow):
    changed = Signal(object)  # Changes, after every successful mutation, undo or redo

    def __init__(
        self,
        location: DiaryLocation,
        dialogs: Dialogs,
        settings: QSettings,
        presenter: ErrorPresenter | None = None,
        idle_lock_ms: int | None = None,
        session_watcher: SessionLockWatcher | None = None,
    ) -> None:
        """``idle_lock_ms`` overrides the auto-lock delay from ``settings`` (tests use a
        short one); ``session_watcher`` reports screen locks and sleep."""
        super().__init__()
        self._location = location
        self._settings = settings
        self._service: DiaryService | None = None
        self._pending_service: DiaryService | None = None  # created, key not yet confirmed
        self.presenter = presenter or ErrorPresenter(dialogs)

        self.create_screen = CreateScreen(location, self.presenter)
        self.recovery_key_screen = RecoveryKeyScreen(dialogs)
        self.unlock_screen = UnlockScreen(location, self.presenter)
        self.days_page = DaysPage()
        self.pages = QTabWidget()
        self.pages.setTabBarAutoHide(True)  # one page for now; the tab bar appears with more
        self.pages.setDocumentMode(True)
        self.session_pages: list[SessionPage] = []
        self._add_page(self.days_page)
        self.stack = QStackedWidget()
        for screen in (self.create_screen, self.recovery_key_screen, self.unlock_screen):
            self.stack.addWidget(screen)
        self.stack.addWidget(self.pages)
        self.setCentralWidget(self.stack)
        self.status_line = QLabel()
        self.statusBar().addPermanentWidget(self.status_line)

        self._build_actions()
        self.changed.connect(self._after_change)
        self.create_screen.created.connect(self._created)
        self.recovery_key_screen.kept.connect(self._recovery_key_kept)
        self.unlock_screen.unlocked.connect(self.open_session)
        self.idle_timer = IdleTimer(idle_lock_ms or idle_timeout_ms(settings), self)
        self.idle_timer.expired.connect(lambda: self.auto_lock("no input"))
        if session_watcher is not None:
            session_watcher.setParent(self)
            session_watcher.session_locked.connect(self.auto_lock)

        if not restore_geometry(self, settings):
            self._resize_to_default()
        self._show_screen(self.unlock_screen if location.exists() else self.create_screen)

    def _add_page(self, page: SessionPage) -> None:
        """Host a page: it gets the service on unlock, every change, and is cleared on lock."""
        assert isinstance(page, QWidget)
        self.pages.addTab(page, page.title)
        self.session_pages.append(page)
        self.changed.connect(page.on_changed)

    # ---- actions --------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.lock_action = self._action("&Lock", QKeySequence("Ctrl+L"), self.lock)
        self.quit_action = self._action("&Quit", QKeySequence("Ctrl+Q"), self.close)
        self.undo_action = self._action("&Undo", QKeySequence("Ctrl+Z"), self.undo)
        self.redo_action = self._action("&Redo", QKeySequence("Ctrl+Shift+Z"), self.redo)
        diary_menu = self.menuBar().addMenu("&Diary")
        diary_menu.addAction(self.lock_action)
        diary_menu.addSeparator()
        diary_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self._update_actions()

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _update_actions(self) -> None:
        service = self._service
        undo_label = service.undo_label() if service else None
        redo_label = service.redo_label() if service else None
        self.undo_action.setText(f"&Undo {undo_label}" if undo_label else "&Undo")
        self.undo_action.setEnabled(undo_label is not None)
        self.redo_action.setText(f"&Redo {redo_label}" if redo_label else "&Redo")
        self.redo_action.setEnabled(redo_label is not None)
        self.lock_action.setEnabled(service is not None)

    # ---- the session ----------------------------------------------------------------
    @property
    def service(self) -> DiaryService | None:
        return self._service

    def open_session(self, service: object) -> None:
        assert isinstance(service, DiaryService)
        self._service = service
        for page in self.session_pages:
            page.open_session(service)
        self._show_screen(self.pages)
        self.days_page.table.setFocus()
        self._show_status("Opened")
        self._update_actions()
        self.idle_timer.arm()

    def auto_lock(self, reason: str) -> None:
        """Lock because of idleness, a screen lock or sleep, if a diary is open.

        The one-time recovery-key screen right after creating a diary is left alone:
        locking there would throw away the only showing of the key.
        """
        if self._service is not None:
            log.info("Locking the diary: %s", reason)
            self.lock()

    def lock(self) -> None:
        """Drop the service (connection and keys), clear every page, ask to unlock again."""
        self.idle_timer.disarm()
        for service in (self._service, self._pending_service):
            if service is not None:
                service.close()
        self._service = self._pending_service = None
        for page in self.session_pages:
            page.close_session()
        self.recovery_key_screen.forget_key()
        self.status_line.clear()
        self.status_line.setToolTip("")
        self._update_actions()
        self.unlock_screen.reset()
        self._show_screen(self.unlock_screen)

    def mutate(self, action: Callable[[DiaryService], Changes]) -> Changes | None:
        """Run one change through the service; show any error; announce what changed."""
        if self._service is None:
            return None
        try:
            changes = action(self._service)
        except Exception as error:  # noqa: BLE001 - the presenter explains every kind
            self.presenter.show(self, error)
            self._update_actions()
            return None
        self.changed.emit(changes)
        return changes

    def undo(self) -> None:
        self.mutate(lambda service: service.undo())

    def redo(self) -> None:
        self.mutate(lambda service: service.redo())

    def _after_change(self, _changes: Changes) -> None:
        self._update_actions()
        self._show_status("Saved")

    def _show_status(self, what: str) -> None:
        """A plain "Saved at 14:02"; the file generation is there for whoever asks."""
        if self._service is not None:
            self.status_line.setText(f"{what} at {QTime.currentTime().toString('HH:mm')}")
            self.status_line.setToolTip(
                f"File generation {self._service.generation}: it goes up by one with every save."
            )

    # ---- creating a diary -----------------------------------------------------------
    def _created(self, service: object, recovery_key: str) -> None:
        assert isinstance(service, DiaryService)
        self._pending_service = service
        self.recovery_key_screen.show_key(recovery_key)
        self._show_screen(self.recovery_key_screen)

    def _recovery_key_kept(self) -> None:
        service, self._pending_service = self._pending_service, None
        if service is not None:
            self.open_session(service)

    # ---- window ---------------------------------------------------------------------
    def _show_screen(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)
        locked = screen is not self.pages
        self.setWindowTitle(f"{APP_NAME} (locked)" if locked else APP_NAME)
        if isinstance(screen, CreateScreen | UnlockScreen):
            screen.focus_first_field()

    def _resize_to_default(self) -> None:
        metrics = self.fontMetrics()
        columns, lines = DEFAULT_SIZE_IN_TEXT
        width, height = metrics.averageCharWidth() * columns, metrics.height() * lines
        screen = self.screen().availableGeometry()
        self.resize(
            min(width, round(screen.width() * SCREEN_SHARE)),
            min(height, round(screen.height() * SCREEN_SHARE)),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        save_geometry(self, self._settings)
        self.lock()
        super().closeEvent(event)
