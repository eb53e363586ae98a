"""The Settings page as a whole: sections chosen with the keyboard, a failed save shown by
the NOT SAVED banner with Retry, respectful wording, and locking clearing every field."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSlider,
)

from diary.services.diary_service import DiaryService
from diary.storage import atomic_write
from diary.ui.pages.settings_page import SettingsPage
from tests.ui.test_settings_support import (
    SettingsDialogs,
    Window,
    assert_respectful,
    click,
    make_page,
    new_diary,
    shown_text,
)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    service = new_diary(tmp_path / "diary.tpd")
    service.add_medication("Valium 2 mg", "diazepam", strength_mg=2)
    yield service
    service.close()


@pytest.fixture
def page_and_window(qtbot, service: DiaryService, tmp_path: Path) -> tuple[SettingsPage, Window]:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    return make_page(qtbot, service, SettingsDialogs(), settings)


@pytest.fixture
def page(page_and_window) -> SettingsPage:
    return page_and_window[0]


def test_sections_are_chosen_with_the_arrow_keys(qtbot, page: SettingsPage):
    page.focus_first_field()
    assert page.nav.hasFocus()
    assert [page.nav.item(i).text() for i in range(page.nav.count())] == [
        s.title for s in page.sections
    ]
    qtbot.keyClick(page.nav, Qt.Key.Key_Down)
    assert page.stack.currentIndex() == 1
    qtbot.keyClick(page.nav, Qt.Key.Key_End)
    assert page.stack.currentWidget().widget() is page.backups
    for section in page.sections:
        assert section.accessibleName() == section.title


def test_the_wording_never_advises_or_judges(page: SettingsPage):
    for section in page.sections:
        page.show_section(section)
        assert_respectful(shown_text(section))


def test_a_failed_save_shows_the_banner_and_retry_saves_the_same_change(
    qtbot, page_and_window, service, monkeypatch: pytest.MonkeyPatch
):
    page, window = page_and_window

    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write, "write_all", disk_full)
    section = page.symptoms
    page.show_section(section)
    qtbot.keyClicks(section.new_name, "Jaw clenching")
    click(qtbot, section.add_button)
    assert page.banner.isVisible()
    assert "NOT SAVED" in page.banner.message.text()
    assert page.saved_indicator.text() == "Not saved"
    assert section.new_name.text() == "Jaw clenching"  # kept for another try
    assert len(window.errors) == 1

    monkeypatch.undo()
    click(qtbot, page.banner.retry_button)
    assert not page.banner.isVisible()
    assert "Jaw clenching" in [s.name for s in service.symptoms()]
    assert "Saved at" in page.saved_indicator.text()
    assert section.list.item(section.list.count() - 1).text() == "Jaw clenching (your own)"


def test_a_change_made_elsewhere_shows_here(page: SettingsPage, service):
    page.on_changed(service.add_medication("Klonopin", "clonazepam", strength_mg=0.5))
    assert page.medications.model.rowCount() == 2
    assert page.equivalence.model.row_at(0).drug == "clonazepam"  # taken drugs come first


def test_close_session_clears_every_field(qtbot, page: SettingsPage, service):
    qtbot.keyClicks(page.symptoms.new_name, "Half typed")
    click(qtbot, page.medications.add_button)
    qtbot.keyClicks(page.medications.editor.name, "Half typed")
    qtbot.keyClicks(page.security.new_pair.first, "a secret being typed")
    qtbot.keyClicks(page.security.known_pair.first, "another secret")
    page.equivalence.select_drug("bromazepam")
    qtbot.keyClicks(page.equivalence.own_value.edit, "5")
    page.reminders.enabled_box.setChecked(True)

    page.close_session()

    assert not page.isEnabled()
    assert page.symptoms.list.count() == 0
    assert page.medications.model.rowCount() == 0
    assert not page.medications.editor.isVisibleTo(page)
    assert page.equivalence.model.rowCount() == 0
    assert page.equivalence.source_label.text() == ""
    assert page.backups.model.rowCount() == 0
    assert not page.security.key_screen.isVisibleTo(page)
    assert not page.reminders.enabled_box.isChecked()
    assert all(field.text() == "" for field in typed_fields(page)), [
        (f.accessibleName(), f.text()) for f in typed_fields(page) if f.text()
    ]
    assert all(field.edit.text() == "" for field in page.warnings.fields)

    page.open_session(service)
    assert page.isEnabled() and page.symptoms.list.count() > 0
    assert page.reminders.enabled_box.isChecked()  # the diary kept it


def typed_fields(page: SettingsPage) -> list[QLineEdit]:
    """Every text field a person types into (not the ones inside spin and combo boxes)."""
    return [
        field
        for field in page.findChildren(QLineEdit)
        if not isinstance(field.parent(), QAbstractSpinBox | QComboBox)
    ]


def test_every_control_has_a_name_for_screen_readers(page: SettingsPage):
    unnamed = [
        type(control).__name__
        for kind in (QLineEdit, QComboBox, QAbstractSpinBox, QSlider, QAbstractItemView)
        for control in page.findChildren(kind)
        if not isinstance(control, QHeaderView)
        and control.window() is page.window()  # not the pop-up lists of combo boxes
        and not isinstance(control.parent(), QAbstractSpinBox | QComboBox)  # their inner parts
        and not control.accessibleName()
    ]
    assert unnamed == []
    for kind in (QPushButton, QCheckBox, QRadioButton):
        for button in page.findChildren(kind):
            assert button.accessibleName() or button.text().replace("&", ""), button
