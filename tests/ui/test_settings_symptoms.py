"""Settings, symptoms tracked: add your own (checked as you type), reorder with buttons and
Ctrl+Up/Down, and retire by unticking without losing past ratings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from diary.domain.symptom_catalogue import DEFAULT_SYMPTOMS
from diary.services.diary_service import DiaryService
from diary.ui.pages.settings_page import SettingsPage
from tests.ui.test_settings_support import (
    RATED_DAY,
    SettingsDialogs,
    click,
    make_page,
    new_diary,
)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    service = new_diary(tmp_path / "diary.tpd")
    yield service
    service.close()


@pytest.fixture
def page(qtbot, service: DiaryService, tmp_path: Path) -> SettingsPage:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    page, _ = make_page(qtbot, service, SettingsDialogs(), settings)
    page.show_section(page.symptoms)
    return page


def names(service: DiaryService, include_retired: bool = True) -> list[str]:
    return [s.name for s in service.symptoms(include_retired=include_retired)]


def test_the_list_shows_every_symptom_with_its_tick(page: SettingsPage):
    section = page.symptoms
    assert section.list.count() == len(DEFAULT_SYMPTOMS)
    first = section.list.item(0)
    assert first.text() == DEFAULT_SYMPTOMS[0]
    assert first.checkState() == Qt.CheckState.Checked
    assert "past ratings stay" in section.explanation_label.text()


def test_adding_your_own_symptom_is_checked_as_you_type(qtbot, page: SettingsPage, service):
    section = page.symptoms
    assert not section.add_button.isEnabled()  # nothing typed yet
    qtbot.keyClicks(section.new_name, "insomnia")
    assert not section.add_button.isEnabled()
    assert section.new_message.text() == '"Insomnia" is already in your list of symptoms.'
    section.new_name.clear()
    qtbot.keyClicks(section.new_name, "   ")
    assert not section.add_button.isEnabled()
    assert "cannot be empty" in section.new_message.text()

    section.new_name.clear()
    qtbot.keyClicks(section.new_name, "Jaw  clenching")
    assert section.add_button.isEnabled()
    assert not section.new_message.isVisibleTo(page)
    qtbot.keyClick(section.new_name, Qt.Key.Key_Return)

    added = service.symptoms()[-1]
    assert (added.name, added.custom, added.tracked) == ("Jaw clenching", True, True)
    assert section.list.item(section.list.count() - 1).text() == "Jaw clenching (your own)"
    assert section.selected_name() == "Jaw clenching"
    assert section.new_name.text() == ""
    assert "is added" in section.new_message.text()


def test_moving_a_symptom_with_the_buttons_and_ctrl_arrows(qtbot, page: SettingsPage, service):
    section = page.symptoms
    section.list.setCurrentRow(2)  # Insomnia
    assert section.selected_name() == "Insomnia"
    click(qtbot, section.up_button)
    assert names(service)[:3] == [DEFAULT_SYMPTOMS[0], "Insomnia", DEFAULT_SYMPTOMS[1]]
    assert section.selected_name() == "Insomnia"  # the selection follows it

    section.list.setFocus()
    qtbot.keyClick(section.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert names(service)[0] == "Insomnia"
    assert not section.up_button.isEnabled()  # first in the list
    qtbot.keyClick(section.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(section.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert names(service)[:3] == [DEFAULT_SYMPTOMS[0], DEFAULT_SYMPTOMS[1], "Insomnia"]
    assert service.undo_label() == "move Insomnia"


def test_unticking_retires_a_symptom_and_keeps_its_past_ratings(page: SettingsPage, service):
    section = page.symptoms
    item = section.list.item(names(service).index("Insomnia"))
    item.setCheckState(Qt.CheckState.Unchecked)  # as a click on the tick box does

    assert "Insomnia" not in names(service, include_retired=False)
    assert "Insomnia" in names(service, include_retired=True)
    checkin = service.checkin(RATED_DAY)
    assert checkin is not None and checkin.ratings == {"Insomnia": 3}

    item = section.list.item(names(service).index("Insomnia"))
    item.setCheckState(Qt.CheckState.Checked)
    assert "Insomnia" in names(service, include_retired=False)


def test_space_ticks_and_unticks_with_the_keyboard(qtbot, page: SettingsPage, service):
    section = page.symptoms
    section.list.setFocus()
    section.list.setCurrentRow(names(service).index("Fatigue"))
    qtbot.keyClick(section.list, Qt.Key.Key_Space)
    assert "Fatigue" not in names(service, include_retired=False)
    qtbot.keyClick(section.list, Qt.Key.Key_Space)
    assert "Fatigue" in names(service, include_retired=False)
