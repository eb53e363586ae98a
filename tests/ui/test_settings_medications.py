"""Settings, medications and products: add a tablet and a liquid with how finely each can be
measured, messages beside fields for impossible values (Save stays disabled), change one in
a single undo step, and retire and bring back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from diary.domain.models import Form
from diary.services.diary_service import DiaryService
from diary.ui.pages.settings_page import SettingsPage
from diary.ui.settings.medications_section import MedicationEditor
from tests.ui.test_settings_support import SettingsDialogs, click, make_page, new_diary


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    service = new_diary(tmp_path / "diary.tpd")
    yield service
    service.close()


@pytest.fixture
def page(qtbot, service: DiaryService, tmp_path: Path) -> SettingsPage:
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    page, _ = make_page(qtbot, service, SettingsDialogs(), settings)
    page.show_section(page.medications)
    return page


def choose_form(editor: MedicationEditor, form: Form) -> None:
    editor.form.setCurrentIndex(editor.form.findData(form.value))


def fill(qtbot, editor: MedicationEditor, name: str, drug: str) -> None:
    qtbot.keyClicks(editor.name, name)
    editor.drug.lineEdit().clear()
    qtbot.keyClicks(editor.drug.lineEdit(), drug)


def test_adding_a_tablet_that_can_be_halved(qtbot, page: SettingsPage, service, qtmodeltester):
    section = page.medications
    click(qtbot, section.add_button)
    editor = section.editor
    assert editor.isVisible() and editor.name.hasFocus()
    assert not editor.save_button.isEnabled()
    fill(qtbot, editor, "Valium 2 mg", "diazepam")
    qtbot.keyClicks(editor.strength.edit, "2")
    editor.split.setCurrentIndex(editor.split.findData(2))
    assert editor.save_button.isEnabled()
    click(qtbot, editor.save_button)

    [med] = service.medications()
    assert (med.name, med.drug, med.form, med.strength_mg, med.split) == (
        "Valium 2 mg",
        "diazepam",
        Form.TABLET,
        2.0,
        2,
    )
    assert not editor.isVisible()
    assert section.selected() == med
    assert section.model.data(section.model.index(0, 4)) == "halves"
    qtmodeltester.check(section.model)


def test_adding_a_liquid_asks_for_concentration_and_syringe(qtbot, page: SettingsPage, service):
    section = page.medications
    click(qtbot, section.add_button)
    editor = section.editor
    fill(qtbot, editor, "Diazepam solution", "diaz")  # type to search
    choose_form(editor, Form.LIQUID)
    assert editor.concentration.isVisible() and editor.syringe.isVisible()
    assert not editor.strength.isVisible() and not editor.split.isVisible()
    editor.drug.lineEdit().clear()
    qtbot.keyClicks(editor.drug.lineEdit(), "diazepam")
    qtbot.keyClicks(editor.concentration.edit, "1")
    editor.syringe.edit.clear()
    qtbot.keyClicks(editor.syringe.edit, "0.05")
    click(qtbot, editor.save_button)

    [med] = service.medications()
    assert (med.form, med.concentration_mg_ml, med.strength_mg, med.syringe_ml) == (
        Form.LIQUID,
        1.0,
        None,
        0.05,
    )


def test_impossible_values_show_a_message_beside_the_field_and_cannot_be_saved(
    qtbot, page: SettingsPage, service
):
    page.on_changed(service.add_medication("Valium 2 mg", "diazepam", strength_mg=2))
    section = page.medications
    click(qtbot, section.add_button)
    editor = section.editor
    fill(qtbot, editor, "Valium 5 mg", "diazepam")

    qtbot.keyClicks(editor.strength.edit, "0")
    assert editor.strength.message.text() == "The strength must be more than 0 mg."
    assert not editor.save_button.isEnabled()
    editor.strength.edit.clear()
    qtbot.keyClicks(editor.strength.edit, "two")
    assert "is not a number" in editor.strength.message.text()
    assert not editor.save_button.isEnabled()
    qtbot.keyClick(editor.name, Qt.Key.Key_Return)  # Enter does not save it either
    assert len(service.medications()) == 1

    editor.strength.edit.clear()
    qtbot.keyClicks(editor.strength.edit, "5")
    editor.drug.lineEdit().clear()
    qtbot.keyClicks(editor.drug.lineEdit(), "valiumzepam")
    assert 'There is no drug called "valiumzepam"' in editor.drug_message.text()
    assert not editor.save_button.isEnabled()

    editor.drug.lineEdit().clear()
    qtbot.keyClicks(editor.drug.lineEdit(), "diazepam")
    editor.name.clear()
    qtbot.keyClicks(editor.name, "valium 2 MG")
    assert editor.name_message.text() == 'You already have a medication called "Valium 2 mg".'
    assert not editor.save_button.isEnabled()
    assert len(service.medications()) == 1


def test_changing_a_medication_renames_and_updates_in_one_undo_step(
    qtbot, page: SettingsPage, service
):
    page.on_changed(service.add_medication("Valium", "diazepam", strength_mg=2))
    section = page.medications
    section.select("Valium")
    click(qtbot, section.edit_button)
    editor = section.editor
    assert not editor.drug.isEnabled() and not editor.form.isEnabled()
    assert editor.strength.edit.text() == "2"
    editor.name.clear()
    qtbot.keyClicks(editor.name, "Valium 5 mg")
    editor.strength.edit.clear()
    qtbot.keyClicks(editor.strength.edit, "5")
    click(qtbot, editor.save_button)

    [med] = service.medications()
    assert (med.name, med.strength_mg) == ("Valium 5 mg", 5.0)
    assert service.undo_label() == "change medication Valium"
    service.undo()
    [med] = service.medications()
    assert (med.name, med.strength_mg) == ("Valium", 2.0)


def test_retire_and_bring_back(qtbot, page: SettingsPage, service):
    page.on_changed(service.add_medication("Klonopin", "clonazepam", strength_mg=0.5))
    section = page.medications
    section.select("Klonopin")
    click(qtbot, section.retire_button)
    assert service.medications() == []
    assert service.medications(include_retired=True)[0].retired
    assert "recorded doses stay" in section.message.text()
    assert section.retire_button.text() == "&Bring back the selected"
    click(qtbot, section.retire_button)
    assert [m.name for m in service.medications()] == ["Klonopin"]


def test_return_in_the_form_saves_a_valid_medication(qtbot, page: SettingsPage, service):
    section = page.medications
    click(qtbot, section.add_button)
    editor = section.editor
    fill(qtbot, editor, "Valium 2 mg", "diazepam")
    qtbot.keyClicks(editor.strength.edit, "2")
    editor.strength.edit.setFocus()
    qtbot.keyClick(editor.strength.edit, Qt.Key.Key_Return)
    assert "Valium 2 mg" in [med.name for med in service.medications()]
    assert not editor.isVisible()


def test_return_before_the_form_is_complete_saves_nothing_and_says_why(
    qtbot, page: SettingsPage, service
):
    section = page.medications
    click(qtbot, section.add_button)
    editor = section.editor
    before = service.medications()
    editor.name.setFocus()
    qtbot.keyClick(editor.name, Qt.Key.Key_Enter)  # nothing typed yet
    assert service.medications() == before
    assert editor.isVisible()
    assert editor.form_message.isVisible() and editor.form_message.tone == "problem"
