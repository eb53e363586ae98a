"""The pages hosted in one window: moving between them, opening a day from History, locking
with a note still being typed, one way of showing a failed save, what is remembered, and
the Undo and Redo labels after each page's actions."""

from __future__ import annotations

import datetime as dt
import errno
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from diary import bootstrap
from diary.domain.changes import Changes
from diary.domain.validation import describe_date
from diary.services.diary_service import DiaryService
from diary.storage import atomic_write
from diary.storage.keys import KdfParams
from diary.ui.diary_location import DiaryLocation
from diary.ui.main_window import MainWindow
from tests.ui.conftest import PASSPHRASE
from tests.ui.test_unlock import unlock_with, wait_for_days

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = dt.date.today()
MAY_2 = dt.date(2024, 5, 2)  # in the sample diary: insomnia 3, marked for the doctor


def open_window(qtbot, dialogs, settings: QSettings, path: Path) -> MainWindow:
    window = MainWindow(DiaryLocation(path, KdfParams.MINIMUM), dialogs, settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def window(qtbot, dialogs, window_settings, sample_diary) -> MainWindow:
    return open_window(qtbot, dialogs, window_settings, sample_diary.path)


def reopened(path: Path) -> DiaryService:
    return bootstrap.open_diary(path, passphrase=PASSPHRASE)


def symptom_row(window: MainWindow, name: str):
    return next(row for row in window.today_page.symptom_rows if row.name == name)


def test_every_page_is_one_keystroke_away(qtbot, window: MainWindow):
    pages = window.pages
    titles = ["Today", "History", "Charts", "Taper", "Report", "Settings"]
    assert [pages.tabText(i) for i in range(pages.count())] == titles
    assert pages.tabBar().isVisible()
    assert window.current_page() is window.today_page

    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert window.current_page() is window.history_page
    assert window.history_page.table.hasFocus()
    qtbot.keyClick(window.history_page.table, Qt.Key.Key_3, CTRL)
    charts = window.charts_page
    assert window.current_page() is charts
    assert charts.view_button[charts.current_view()].hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4, CTRL)
    assert window.current_page() is window.taper_page
    assert window.taper_page.hold_button.hasFocus()
    qtbot.keyClick(window.taper_page.hold_button, Qt.Key.Key_5, CTRL)
    assert window.current_page() is window.report_page
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_6, CTRL)
    assert window.current_page() is window.settings_page
    assert window.settings_page.nav.hasFocus()
    qtbot.keyClick(window.settings_page.nav, Qt.Key.Key_T, CTRL)
    assert window.current_page() is window.today_page
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(window.history_page.table, Qt.Key.Key_1, CTRL)
    assert window.current_page() is window.today_page

    view = [a.text() for a in window.view_menu.actions()]
    assert [t.replace("&", "") for t in view] == titles
    shortcuts = [a.shortcut().toString() for a in window.view_menu.actions()]
    assert shortcuts == [f"Ctrl+{n}" for n in range(1, 7)]

    window.lock()
    assert not any(a.isEnabled() for a in window.view_menu.actions())
    qtbot.keyClick(window.unlock_screen.secret, Qt.Key.Key_2, CTRL)
    assert window.stack.currentWidget() is window.unlock_screen


def test_a_day_opened_in_history_is_shown_in_today_ready_to_edit(qtbot, window: MainWindow):
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    history = window.history_page
    assert history.select_day(MAY_2)

    qtbot.keyClick(history.table, Qt.Key.Key_Return)

    today = window.today_page
    assert window.current_page() is today
    assert today.day == MAY_2
    assert symptom_row(window, "Insomnia").value == 3
    assert today.for_doctor.isChecked()
    qtbot.mouseClick(symptom_row(window, "Insomnia").buttons[1], Qt.MouseButton.LeftButton)
    assert window.undo_action.text() == "&Undo rate Insomnia on 2 May 2024"
    assert history.days.index(history.days.row_of(MAY_2), 3).data() == "25%"  # refreshed


@pytest.mark.parametrize("how", ["Ctrl+L", "idle", "closing the window"])
def test_a_note_typed_and_not_yet_saved_survives_a_lock(
    qtbot, window: MainWindow, sample_diary, how
):
    note = window.today_page.note
    note.setFocus()
    qtbot.keyClicks(note, "Typed just before the lock.")
    assert note.hasFocus()  # never left the note: only the lock can save it

    if how == "Ctrl+L":
        qtbot.keyClick(note, Qt.Key.Key_L, CTRL)
    elif how == "idle":
        window.auto_lock("no input")
    else:
        window.close()

    assert window.service is None
    assert note.toPlainText() == ""
    service = reopened(sample_diary.path)
    try:
        assert service.checkin(TODAY).note == "Typed just before the lock."
    finally:
        service.close()


def test_a_failed_save_shows_the_page_banner_and_no_dialog(
    qtbot, window: MainWindow, dialogs, sample_diary, monkeypatch: pytest.MonkeyPatch
):
    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    today = window.today_page
    with monkeypatch.context() as patch:
        patch.setattr(atomic_write, "write_all", disk_full)
        qtbot.mouseClick(symptom_row(window, "Insomnia").buttons[2], Qt.MouseButton.LeftButton)

        assert today.banner.isVisible()
        assert "NOT SAVED." in today.banner.message.text()
        assert "disk is full" in today.banner.message.text()
        assert dialogs.errors == []  # one message, on the page, not a dialog as well
        assert "NOT saved" in window.status_line.text()

        # Any page's change goes through mutate, which leaves a failed save to the page.
        assert window.mutate(lambda s: s.record_checkin(MAY_2, wellbeing=5)) is None
        assert dialogs.errors == []

    qtbot.mouseClick(today.banner.retry_button, Qt.MouseButton.LeftButton)
    assert not today.banner.isVisible()
    window.lock()
    service = reopened(sample_diary.path)
    try:
        assert service.checkin(TODAY).ratings == {"Insomnia": 2}
    finally:
        service.close()


def test_a_failed_undo_is_shown_by_the_window(
    qtbot, window: MainWindow, dialogs, monkeypatch: pytest.MonkeyPatch
):
    qtbot.mouseClick(symptom_row(window, "Insomnia").buttons[2], Qt.MouseButton.LeftButton)

    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write, "write_all", disk_full)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)

    assert [title for title, _message in dialogs.errors] == ["Not saved"]
    assert "disk is full" in dialogs.errors[0][1]


def test_the_page_is_remembered_across_locks_and_runs(
    qtbot, window: MainWindow, dialogs, window_settings, sample_diary
):
    qtbot.keyClick(window, Qt.Key.Key_4, CTRL)
    window.lock()
    unlock_with(qtbot, window, PASSPHRASE)
    wait_for_days(qtbot, window)
    assert window.current_page() is window.taper_page
    assert window.taper_page.hold_button.hasFocus()

    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    window.close()
    again = open_window(qtbot, dialogs, window_settings, sample_diary.path)
    assert again.current_page() is again.history_page


class SplitPage(QWidget):
    """A page with a splitter, hosted the way any page is."""

    title = "Notes"

    def __init__(self) -> None:
        super().__init__()
        self.splitter = QSplitter()
        self.splitter.setObjectName("notes_splitter")
        self.splitter.addWidget(QLabel("left"))
        self.splitter.addWidget(QLabel("right"))
        QVBoxLayout(self).addWidget(self.splitter)

    def open_session(self, service: DiaryService) -> None:
        pass

    def close_session(self) -> None:
        pass

    def on_changed(self, changes: Changes) -> None:
        pass

    def focus_first_field(self) -> None:
        self.splitter.setFocus()


def test_a_seventh_page_gets_ctrl_7_and_its_splitter_is_remembered(
    qtbot, window: MainWindow, dialogs, window_settings, sample_diary
):
    page = SplitPage()
    window._add_page(page)
    qtbot.keyClick(window, Qt.Key.Key_7, CTRL)
    assert window.current_page() is page
    page.splitter.setSizes([100, 700])
    moved = page.splitter.sizes()
    window.close()

    again = MainWindow(
        DiaryLocation(sample_diary.path, KdfParams.MINIMUM), dialogs, window_settings
    )
    qtbot.addWidget(again)
    again.resize(1400, 900)
    later = SplitPage()
    again._add_page(later)
    again.show()
    qtbot.waitExposed(again)
    unlock_with(qtbot, again, PASSPHRASE)
    wait_for_days(qtbot, again)
    assert again.current_page() is later
    assert later.splitter.sizes() == moved


def test_undo_and_redo_name_what_each_page_did(qtbot, window: MainWindow):
    qtbot.mouseClick(symptom_row(window, "Insomnia").buttons[3], Qt.MouseButton.LeftButton)
    assert window.undo_action.text() == "&Undo rate Insomnia"
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert symptom_row(window, "Insomnia").value is None
    assert window.redo_action.text() == "&Redo rate Insomnia"

    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    history = window.history_page
    history.select_day(MAY_2)
    qtbot.keyClick(history.table, Qt.Key.Key_Delete)
    assert window.undo_action.text() == "&Undo delete 2 May 2024"
    assert not window.redo_action.isEnabled()

    qtbot.keyClick(history.table, Qt.Key.Key_4, CTRL)
    taper = window.taper_page
    qtbot.mouseClick(taper.hold_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(taper.hold_panel.confirm_button, Qt.MouseButton.LeftButton)
    assert window.undo_action.text() == f"&Undo start a hold on {describe_date(TODAY)}"


def mnemonics(widget: QWidget, window: MainWindow) -> list[str]:
    """The Alt-letters of the buttons and labelled fields the person can see."""
    texts = [
        w.text()
        for w in widget.findChildren(QAbstractButton) + widget.findChildren(QLabel)
        if w.isVisibleTo(window) and (isinstance(w, QAbstractButton) or w.buddy() is not None)
    ]
    found = [re.search(r"(?<!&)&([^&])", text) for text in texts]
    return [match.group(1).lower() for match in found if match]


def test_no_alt_letter_means_two_things_on_any_page(qtbot, window: MainWindow):
    menus = [a.text() for a in window.menuBar().actions()]
    menu_letters = [re.search(r"&(.)", t).group(1).lower() for t in menus]  # type: ignore[union-attr]
    settings = window.settings_page
    views = [(index, None) for index in range(window.pages.count())]
    settings_index = window.session_pages.index(settings)
    views += [(settings_index, section) for section in settings.sections]
    problems = []
    for index, section in views:
        window.pages.setCurrentIndex(index)
        if section is not None:
            settings.show_section(section)
        page = window.current_page()
        letters = menu_letters + mnemonics(page, window)
        repeated = sorted({letter for letter in letters if letters.count(letter) > 1})
        if repeated:
            where = window.pages.tabText(index) + (f" > {section.title}" if section else "")
            problems.append(f"{where}: Alt+{repeated} used twice")
    assert problems == [], "\n".join(problems)
