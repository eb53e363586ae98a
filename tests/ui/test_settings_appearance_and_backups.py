"""Settings, appearance and backups: theme and text size applied to the whole app at once
and remembered in QSettings (the environment variables still decide when set); the backups
list, restoring an older copy (asked first, undoable), and opening the backups folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from diary.services.diary_service import DiaryService
from diary.ui.pages.settings_page import SettingsPage
from diary.ui.theme import (
    DARK,
    LIGHT,
    TEXT_SCALE_ENV,
    TEXT_SCALE_KEY,
    THEME_ENV,
    THEME_KEY,
    Appearance,
    ThemeMode,
    stored_appearance,
)
from tests.ui.test_settings_support import SettingsDialogs, click, make_page, new_diary


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    service = new_diary(tmp_path / "diary.tpd")
    yield service
    service.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialogs() -> SettingsDialogs:
    return SettingsDialogs()


@pytest.fixture
def page(qtbot, service, dialogs: SettingsDialogs, settings: QSettings) -> SettingsPage:
    page, _ = make_page(qtbot, service, dialogs, settings)
    return page


@pytest.fixture
def app_look(monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    """The application's font, palette and style sheet, put back after the test."""
    monkeypatch.delenv(THEME_ENV, raising=False)
    monkeypatch.delenv(TEXT_SCALE_ENV, raising=False)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font, palette, sheet = app.font(), app.palette(), app.styleSheet()
    yield app
    app.setFont(font)
    app.setPalette(palette)
    app.setStyleSheet(sheet)


def window_colour(app: QApplication) -> str:
    return app.palette().color(QPalette.ColorRole.Window).name()


def test_theme_and_text_size_apply_to_the_whole_app_and_are_remembered(
    qtbot, page: SettingsPage, settings: QSettings, app_look: QApplication
):
    section = page.appearance
    page.show_section(section)
    base = app_look.font().pointSizeF()
    with qtbot.waitSignal(page.appearance_changed):
        click(qtbot, section.mode_buttons[ThemeMode.LIGHT])
    assert window_colour(app_look) == LIGHT.window
    assert settings.value(THEME_KEY) == "light"

    click(qtbot, section.mode_buttons[ThemeMode.DARK])
    assert window_colour(app_look) == DARK.window

    section.size_slider.setFocus()
    for _ in range(5):
        qtbot.keyClick(section.size_slider, Qt.Key.Key_Right)
    assert section.size_label.text() == "150%"
    assert app_look.font().pointSizeF() == pytest.approx(base * 1.5)
    qtbot.keyClick(section.size_slider, Qt.Key.Key_End)
    assert app_look.font().pointSizeF() == pytest.approx(base * 2)  # from the start size
    assert stored_appearance(settings) == Appearance(ThemeMode.DARK, 200)
    assert int(settings.value(TEXT_SCALE_KEY)) == 200

    qtbot.keyClick(section.size_slider, Qt.Key.Key_Home)
    assert app_look.font().pointSizeF() == pytest.approx(base)


def test_an_environment_variable_still_decides_and_the_page_says_so(
    qtbot, page: SettingsPage, service, settings: QSettings, app_look, monkeypatch
):
    monkeypatch.setenv(THEME_ENV, "dark")
    section = page.appearance
    section.load(service)
    assert THEME_ENV in section.override_message.text()
    click(qtbot, section.mode_buttons[ThemeMode.LIGHT])
    assert settings.value(THEME_KEY) == "light"  # remembered for when it is not set
    assert window_colour(app_look) == DARK.window


def saves(service: DiaryService, count: int) -> None:
    for number in range(count):
        service.add_symptom(f"Own symptom {number}")


def test_backups_are_listed_and_restoring_one_can_be_undone(
    qtbot, page: SettingsPage, service, dialogs: SettingsDialogs, qtmodeltester
):
    saves(service, 3)
    page.on_changed(service.add_symptom("Latest symptom"))
    section = page.backups
    page.show_section(section)
    backups = service.backups()
    assert section.model.rowCount() == len(backups) >= 4
    assert section.model.data(section.model.index(0, 1)).startswith("save number ")
    qtmodeltester.check(section.model)

    # The newest backup is the diary just before "Latest symptom" was added.
    section.table.selectRow(0)
    dialogs.answer = False
    click(qtbot, section.restore_button)
    assert "Undo (Ctrl+Z)" in dialogs.questions[0]
    assert "Latest symptom" in [s.name for s in service.symptoms()]

    dialogs.answer = True
    click(qtbot, section.restore_button)
    names = [s.name for s in service.symptoms()]
    assert "Latest symptom" not in names and "Own symptom 2" in names
    assert "Undo (Ctrl+Z) brings back" in section.message.text()
    assert "Latest symptom" not in [
        page.symptoms.list.item(i).text() for i in range(page.symptoms.list.count())
    ]

    service.undo()
    assert "Latest symptom" in [s.name for s in service.symptoms()]


def test_open_backups_folder_asks_for_the_local_folder(
    qtbot, page: SettingsPage, service, dialogs: SettingsDialogs
):
    saves(service, 2)
    page.on_changed(service.add_symptom("One more"))
    click(qtbot, page.backups.folder_button)
    assert dialogs.opened == [service.backup_folder()]
