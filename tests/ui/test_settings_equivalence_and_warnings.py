"""Settings, equivalence, warnings and reminders: the table with its source, a range drug
flagged until the person enters their prescriber's value, thresholds checked as you type,
and the reminder choices kept in the diary."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from diary import bootstrap
from diary.domain.models import ReminderSettings
from diary.domain.taper.warnings import Thresholds
from diary.services.diary_service import DiaryService
from diary.ui.pages.settings_page import SettingsPage
from diary.ui.settings.equivalence_section import RANGE_NOTE
from tests.ui.conftest import PASSPHRASE
from tests.ui.test_settings_support import (
    SettingsDialogs,
    assert_respectful,
    click,
    make_page,
    new_diary,
    shown_text,
)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    service = new_diary(tmp_path / "diary.tpd")
    service.add_medication("Lexotan 3 mg", "bromazepam", strength_mg=3)
    yield service
    service.close()


@pytest.fixture
def page(qtbot, service: DiaryService, tmp_path: Path) -> SettingsPage:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    page, _ = make_page(qtbot, service, SettingsDialogs(), settings)
    return page


def row_of(page: SettingsPage, drug: str) -> int:
    model = page.equivalence.model
    return next(i for i in range(model.rowCount()) if model.row_at(i).drug == drug)


def test_a_range_drug_is_flagged_until_a_value_is_chosen(
    qtbot, page: SettingsPage, service, qtmodeltester
):
    section = page.equivalence
    page.show_section(section)
    assert "Ashton" in section.table_choice.currentText()
    assert section.source_label.text().startswith("Source: C. H. Ashton")
    bromazepam = section.model.row_at(0)  # drugs the person takes come first
    assert bromazepam.drug == "bromazepam" and bromazepam.needs_choice
    assert section.model.data(section.model.index(0, 3)) == RANGE_NOTE
    assert "choose the value your prescriber uses" in section.chosen_drug.text()
    qtmodeltester.check(section.model)

    qtbot.keyClicks(section.own_value.edit, "0")
    assert "must be more than 0" in section.own_value.message.text()
    assert not section.set_button.isEnabled()
    section.own_value.edit.clear()
    qtbot.keyClicks(section.own_value.edit, "5.5")
    click(qtbot, section.set_button)

    assert service.equivalence_overrides() == {"bromazepam": 5.5}
    assert service.diazepam_equivalent("bromazepam", 5.5) == pytest.approx(10)
    row = section.model.row_at(row_of(page, "bromazepam"))
    assert row.own == 5.5 and not row.needs_choice
    assert section.selected() == row

    click(qtbot, section.remove_button)
    assert service.equivalence_overrides() == {}


def test_switching_to_the_va_table_and_setting_a_value_for_bromazepam(
    qtbot, page: SettingsPage, service
):
    section = page.equivalence
    page.show_section(section)
    section.table_choice.setCurrentIndex(section.table_choice.findData("va"))
    assert service.equivalence_table() == "va"
    assert "VA/DoD" in section.source_label.text()
    row = section.model.row_at(row_of(page, "bromazepam"))
    assert row.factor is None and row.needs_choice  # the VA table has no bromazepam
    section.select_drug("bromazepam")
    qtbot.keyClicks(section.own_value.edit, "6")
    click(qtbot, section.set_button)
    assert service.equivalence_overrides() == {"bromazepam": 6.0}
    assert service.diazepam_equivalent("bromazepam", 3) == pytest.approx(5)
    assert_respectful(shown_text(section))


def test_thresholds_are_checked_as_you_type_and_saved(qtbot, page: SettingsPage, service):
    section = page.warnings
    page.show_section(section)
    assert section.hard.edit.text() == "25" and section.window_days.edit.text() == "14"
    assert "Joint Clinical Practice Guideline" in shown_text(section)
    assert not section.save_button.isEnabled()  # nothing changed yet

    section.soft.edit.clear()
    qtbot.keyClicks(section.soft.edit, "30")
    assert "cannot be above the main one" in section.together_message.text()
    assert not section.save_button.isEnabled()
    section.soft.edit.clear()
    qtbot.keyClicks(section.soft.edit, "5")
    section.window_days.edit.clear()
    qtbot.keyClicks(section.window_days.edit, "0")
    assert "at least 1 day" in section.window_days.message.text()
    assert not section.save_button.isEnabled()
    section.window_days.edit.clear()
    qtbot.keyClicks(section.window_days.edit, "28")
    click(qtbot, section.save_button)

    assert service.warning_thresholds() == Thresholds(25, 5, 28, 42, 90)
    assert not section.save_button.isEnabled()
    click(qtbot, section.defaults_button)
    click(qtbot, section.save_button)
    assert service.warning_thresholds() == Thresholds()


def test_reminder_choices_are_kept_in_the_diary(
    qtbot, page: SettingsPage, service: DiaryService, tmp_path: Path
):
    section = page.reminders
    page.show_section(section)
    assert not section.enabled_box.isChecked() and not section.details_box.isEnabled()
    assert "lock screen" in section.privacy_label.text()
    section.enabled_box.setChecked(True)
    assert section.details_box.isEnabled()
    section.details_box.setChecked(True)
    assert service.reminder_settings() == ReminderSettings(enabled=True, show_details=True)

    service.close()  # stored in the encrypted diary, not on this computer
    reopened = bootstrap.open_diary(tmp_path / "diary.tpd", PASSPHRASE)
    try:
        assert reopened.reminder_settings() == ReminderSettings(True, True)
    finally:
        reopened.close()
