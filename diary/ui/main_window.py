"""The window: hosts the locked-state screens and the pages, and owns the menu actions.

It holds the open ``DiaryService`` while unlocked and nothing from the diary while locked.
Every change goes through ``mutate``, which shows errors and re-emits one ``changed``
signal; pages refresh themselves from it. Which page was showing and the splitter positions
are remembered in QSettings (no diary content), and restored on the next unlock.

Auto-lock (idle, screen lock, sleep) never throws away a recovery key on show: the one after
creating a diary, or a new one in Settings > Security. While a page says it shows a secret
(its ``secret_showing`` signal), the idle count stops; once the key is confirmed kept the
count starts afresh, and a screen lock or sleep that came meanwhile locks the diary then.
Ctrl+L and closing the window lock at once, as asked.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.errors import SaveFailed
from diary.services.diary_service import DiaryService
from diary.ui.auto_lock import IdleTimer, idle_timeout_ms
from diary.ui.dialogs import Dialogs
from diary.ui.diary_location import DiaryLocation
from diary.ui.errors import ErrorPresenter
from diary.ui.pages.charts_page import ChartsPage
from diary.ui.pages.history_page import HistoryPage
from diary.ui.pages.report_page import ReportPage
from diary.ui.pages.settings_page import SettingsPage
from diary.ui.pages.taper_page import TaperPage
from diary.ui.pages.today_page import TodayPage
from diary.ui.reminders import DoseReminders
from diary.ui.screens.create_screen import CreateScreen
from diary.ui.screens.recovery_key_screen import RecoveryKeyScreen
from diary.ui.screens.unlock_screen import UnlockScreen
from diary.ui.session_watch import SessionLockWatcher
from diary.ui.tray import ReminderNotice, ReminderTray
from diary.ui.window_placement import restore_geometry, save_geometry

log = logging.getLogger(__name__)

APP_NAME = "Taper Diary"
DEFAULT_SIZE_IN_TEXT = (200, 50)  # at most this many average characters wide and lines high
SCREEN_SHARE = 0.85  # on first start, fill this share of the screen (within the limit above)
# Tabs are the way between pages: easy targets, the current one plain to see.
PAGE_TABS_STYLE = "QTabBar::tab { min-width: 9em; min-height: 2.2em; font-weight: 600; }"
PAGE_KEY = "window/page"  # the title of the page showing at the last lock, e.g. "history"
SPLITTERS_KEY = "window/splitters"  # + "/<object name>": a splitter's saved state


class SessionPage(Protocol):
    """What a page offers the window.

    ``close_session`` runs on every lock, while the service is still open: it saves what is
    typed but not yet saved (through ``mutate``), then drops the service and clears every
    widget and model that shows diary content. A page changes the diary only through the
    window's ``mutate`` and shows a failed save itself (``widgets.save_state.NotSavedBanner``
    with Retry); the window shows every other error. Give a ``QSplitter`` an object name and
    its position is remembered.

    A page that shows a one-time secret (a new recovery key) also has a ``secret_showing``
    signal (bool): True while it is on show and not yet confirmed kept. Auto-lock waits
    meanwhile (see the module docstring).
    """

    title: str

    def open_session(self, service: DiaryService) -> None: ...

    def close_session(self) -> None: ...

    def on_changed(self, changes: Changes) -> None: ...

    def focus_first_field(self) -> None: ...


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
        reminders: DoseReminders | None = None,
        tray: bool | None = None,
    ) -> None:
        """``idle_lock_ms`` overrides the auto-lock delay from ``settings`` (tests use a
        short one); ``session_watcher`` reports screen locks and sleep; ``reminders`` (tests
        give one with their own clock) and ``tray`` (None: the tray if the desktop has one)
        are where dose reminders come from and show."""
        super().__init__()
        self._location = location
        self._settings = settings
        self._service: DiaryService | None = None
        self._pending_service: DiaryService | None = None  # created, key not yet confirmed
        self._secret_pages: set[int] = set()  # id() of each page showing a secret now
        self._lock_when_secret_kept: str | None = None  # why auto-lock waited, if it did
        self.presenter = presenter or ErrorPresenter(dialogs)

        self.create_screen = CreateScreen(location, self.presenter)
        self.recovery_key_screen = RecoveryKeyScreen(dialogs)
        self.unlock_screen = UnlockScreen(location, self.presenter)
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.setStyleSheet(PAGE_TABS_STYLE)
        self.session_pages: list[SessionPage] = []
        self.page_actions: list[QAction] = []
        self._build_actions()
        self.today_page = TodayPage(self.mutate)
        self.history_page = HistoryPage(self.mutate, dialogs)
        self.charts_page = ChartsPage(dialogs)
        self.taper_page = TaperPage(self.mutate)
        self.report_page = ReportPage(dialogs, mutate=self.mutate)
        self.settings_page = SettingsPage(self.mutate, dialogs, settings)
        pages = (
            self.today_page,
            self.history_page,
            self.charts_page,
            self.taper_page,
            self.report_page,
            self.settings_page,
        )
        for page in pages:
            self._add_page(page)
        self.page_actions[0].setShortcuts([QKeySequence("Ctrl+1"), QKeySequence("Ctrl+T")])
        self.history_page.open_day.connect(self.open_day_in_today)
        self.charts_page.open_day.connect(self.open_day_in_today)
        # Taper > Set regimen with no medication yet offers Settings > Medications.
        self.taper_page.medications_wanted.connect(self.show_medications_settings)

        self.reminders = reminders if reminders is not None else DoseReminders()
        self.reminders.setParent(self)
        self.reminder_notice = ReminderNotice()
        self.reminder_tray = ReminderTray(self.reminders, self.reminder_notice, tray, self)
        self.changed.connect(self.reminders.on_changed)
        self.reminders.raise_requested.connect(self.bring_to_front)
        self.reminders.dose_due.connect(self.open_dose_in_today)

        self.stack = QStackedWidget()
        for screen in (self.create_screen, self.recovery_key_screen, self.unlock_screen):
            self.stack.addWidget(screen)
        self.stack.addWidget(self.pages)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.reminder_notice)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status_line = QLabel()
        self.statusBar().addPermanentWidget(self.status_line)

        self.changed.connect(self._after_change)
        self.create_screen.created.connect(self._created)
        self.recovery_key_screen.kept.connect(self._recovery_key_kept)
        self.unlock_screen.unlocked.connect(self.open_session)
        self.idle_timer = IdleTimer(idle_lock_ms or idle_timeout_ms(settings), self)
        self.idle_timer.expired.connect(lambda: self.auto_lock("no input"))
        self.settings_page.auto_lock_changed.connect(self.idle_timer.set_timeout_ms)
        if session_watcher is not None:
            session_watcher.setParent(self)
            session_watcher.session_locked.connect(self.auto_lock)

        if not restore_geometry(self, settings):
            self._resize_to_default()
        self._show_screen(self.unlock_screen if location.exists() else self.create_screen)

    def _add_page(self, page: SessionPage) -> None:
        """Host a page: it gets the service on unlock, every change, and is cleared on lock.
        The n-th page is shown by Ctrl+n, from the View menu."""
        assert isinstance(page, QWidget)
        self.pages.addTab(PageScroller(page), page.title)
        self.session_pages.append(page)
        self.changed.connect(page.on_changed)
        secret_showing = getattr(page, "secret_showing", None)
        if secret_showing is not None:
            secret_showing.connect(lambda showing: self._secret_showing(page, showing))
        number = len(self.session_pages)
        text = with_mnemonic(page.title, [a.text() for a in self.page_actions])
        action = self._action(text, QKeySequence(f"Ctrl+{number}"), lambda: self.show_page(page))
        action.setEnabled(self._service is not None)
        self.view_menu.addAction(action)
        self.page_actions.append(action)

    def show_page(self, page: SessionPage) -> None:
        """Bring ``page`` to the front with the keyboard in it (while unlocked)."""
        if self._service is None:
            return
        self.pages.setCurrentIndex(self.session_pages.index(page))
        page.focus_first_field()

    def current_page(self) -> SessionPage:
        return self.session_pages[self.pages.currentIndex()]

    def open_day_in_today(self, day: object) -> None:
        assert isinstance(day, dt.date)
        self.today_page.open_day(day)
        self.show_page(self.today_page)

    def show_medications_settings(self) -> None:
        self.show_page(self.settings_page)
        self.settings_page.show_section(self.settings_page.medications)

    def open_dose_in_today(self, day: object, planned_time: object) -> None:
        """A dose reminder was clicked: Today on its day, with that dose ready to confirm."""
        assert isinstance(day, dt.date) and isinstance(planned_time, dt.time)
        if self._service is None:
            return
        self.today_page.open_day(day)
        self.today_page.focus_planned_dose(planned_time)
        self.show_page(self.today_page)

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

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
        self.view_menu = self.menuBar().addMenu("&View")
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
        self.undo_action.setText(action_text("&Undo", undo_label))
        self.undo_action.setEnabled(undo_label is not None)
        self.redo_action.setText(action_text("&Redo", redo_label))
        self.redo_action.setEnabled(redo_label is not None)
        self.lock_action.setEnabled(service is not None)
        for action in self.page_actions:
            action.setEnabled(service is not None)

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
        self._restore_view()
        self._show_status("Opened")
        self._update_actions()
        self.idle_timer.arm()
        self.reminders.start(service)

    def auto_lock(self, reason: str) -> None:
        """Lock because of idleness, a screen lock or sleep, if a diary is open.

        A recovery key on show is never thrown away: right after creating a diary nothing
        is open yet; while a page shows a new key, the lock waits until it is kept.
        """
        if self._service is None:
            return
        if self._secret_pages:
            log.info("Locking waits until the new recovery key is kept: %s", reason)
            self._lock_when_secret_kept = reason
            return
        log.info("Locking the diary: %s", reason)
        self.lock()

    def _secret_showing(self, page: SessionPage, showing: bool) -> None:
        """Stop counting idle time while ``page`` shows a secret; once none does, count
        afresh, or lock now if a screen lock or sleep came meanwhile."""
        if showing:
            self._secret_pages.add(id(page))
            self.idle_timer.disarm()
            return
        self._secret_pages.discard(id(page))
        if self._secret_pages or self._service is None:
            return
        waited, self._lock_when_secret_kept = self._lock_when_secret_kept, None
        if waited is None:
            self.idle_timer.arm()
        else:  # once the page has finished with its key, not in the middle of that
            QTimer.singleShot(0, lambda: self.auto_lock(waited))

    def lock(self) -> None:
        """Clear every page, drop the service (connection and keys), ask to unlock again.

        Pages close first, while the service is still open: Today saves a note still being
        typed. Auto-lock, Ctrl+L and closing the window all come through here. Dose
        reminders go on with bare times (``diary.ui.reminders``)."""
        self._lock_when_secret_kept = None
        if self._service is not None:
            self._remember_view()
        for page in self.session_pages:
            page.close_session()
        self._secret_pages.clear()
        self.idle_timer.disarm()
        self.reminders.pause()
        for service in (self._service, self._pending_service):
            if service is not None:
                service.close()
        self._service = self._pending_service = None
        self.recovery_key_screen.forget_key()
        self.status_line.clear()
        self.status_line.setToolTip("")
        self._update_actions()
        self.unlock_screen.reset()
        self._show_screen(self.unlock_screen)

    def mutate(self, action: Callable[[DiaryService], Changes]) -> Changes | None:
        """Run one change of a page through the service and announce what changed.

        A failed save is left to the page, which shows its NOT SAVED banner with Retry
        (one message, not a banner and a dialog); every other error is shown here."""
        return self._run(action, show_save_failure=False)

    def undo(self) -> None:
        self._run(lambda service: service.undo(), show_save_failure=True)

    def redo(self) -> None:
        self._run(lambda service: service.redo(), show_save_failure=True)

    def _run(
        self, action: Callable[[DiaryService], Changes], show_save_failure: bool
    ) -> Changes | None:
        if self._service is None:
            return None
        try:
            changes = action(self._service)
        except SaveFailed as failure:
            self.status_line.setText("Last change NOT saved")
            if show_save_failure:
                self.presenter.show(self, failure)
            self._update_actions()
            return None
        except Exception as error:  # noqa: BLE001 - the presenter explains every kind
            self.presenter.show(self, error)
            self._update_actions()
            return None
        self.changed.emit(changes)
        return changes

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

    # ---- what is remembered between sessions (no diary content) ----------------------
    def _remember_view(self) -> None:
        page = self.current_page()
        assert isinstance(page, QWidget)
        self._settings.setValue(PAGE_KEY, page_key(page))
        for splitter in self._named_splitters():
            key = f"{SPLITTERS_KEY}/{splitter.objectName()}"
            self._settings.setValue(key, splitter.saveState())
        self._settings.sync()

    def _restore_view(self) -> None:
        """The page and splitters as they were at the last lock; Today the first time."""
        for splitter in self._named_splitters():
            state = self._settings.value(f"{SPLITTERS_KEY}/{splitter.objectName()}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        wanted = self._settings.value(PAGE_KEY)
        page = next(
            (p for p in self.session_pages if isinstance(p, QWidget) and page_key(p) == wanted),
            self.session_pages[0],
        )
        self.show_page(page)

    def _named_splitters(self) -> list[QSplitter]:
        return [s for s in self.pages.findChildren(QSplitter) if s.objectName()]

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
        self.reminders.stop()
        super().closeEvent(event)


class PageScroller(QScrollArea):
    """A page filling the window, scrolling only when the window is smaller than the page's
    minimum, so a small window (or the unlock screen) never has to be as big as every page.

    Qt's own resizable mode would give a page with word-wrapped text its preferred height
    (tall charts), and scroll in any ordinary window; here the page gets exactly the room."""

    def __init__(self, page: QWidget) -> None:
        super().__init__()
        self.setWidget(page)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        page.installEventFilter(self)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_page()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_page()  # its content changed: its minimum may have too
        return False

    def fit_page(self) -> None:
        page = self.widget()
        need = page.minimumSizeHint().expandedTo(page.minimumSize())
        width, height = self.width(), self.height()
        for _ in range(2):  # a scroll bar for one direction takes room from the other
            if need.height() > height:
                width = self.width() - self.verticalScrollBar().sizeHint().width()
            if need.width() > width:
                height = self.height() - self.horizontalScrollBar().sizeHint().height()
        page.resize(max(width, need.width()), max(height, need.height()))


def page_key(page: QWidget) -> str:
    return str(getattr(page, "title", type(page).__name__)).lower()


def action_text(verb: str, label: str | None) -> str:
    """ "&Undo rate Insomnia"; an "&" in the label is shown as itself, not as a shortcut."""
    return f"{verb} {label.replace('&', '&&')}" if label else verb


def with_mnemonic(title: str, taken: list[str]) -> str:
    """``title`` with an Alt-letter that no other item of the menu uses."""
    used = {text[text.index("&") + 1].lower() for text in taken if "&" in text}
    for at, letter in enumerate(title):
        if letter.isalpha() and letter.lower() not in used:
            return f"{title[:at]}&{title[at:]}"
    return title
