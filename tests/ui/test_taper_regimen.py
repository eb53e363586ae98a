"""Set regimen on the Taper page, on a real encrypted diary: a new diary's first regimen typed
with the keyboard and the mouse, amounts checked as you type (Save stays disabled with the
reason beside the field), a liquid's mL and mg, changing a regimen in force as a cut or a
reinstatement, no medications yet (and the way to Settings › Medications in the window),
the pointer on Today, and the Undo label."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from diary import bootstrap
from diary.domain.changes import Changes
from diary.domain.models import ChangeKind, Form, RegimenDose
from diary.domain.validation import describe_date
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams
from diary.ui.main_window import MainWindow, action_text
from diary.ui.pages.taper_page import TaperPage
from diary.ui.pages.today_page import TodayPage
from diary.ui.taper.regimen_panel import RegimenPanel
from diary.ui.taper.regimen_row import DoseTimeRow
from tests.ui.conftest import PASSPHRASE
from tests.ui.test_taper_page import Window, assert_respectful, click, shown_text, type_into
from tests.ui.test_window import open_window

TODAY = dt.date.today()
DAYS = dt.timedelta(days=1)
MORNING, NIGHT = dt.time(8), dt.time(22)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    """A new diary with one medication: diazepam 5 mg tablets that may be halved."""
    service, _ = bootstrap.create_diary(tmp_path / "diary.tpd", PASSPHRASE, KdfParams.MINIMUM)
    service.add_medication("Valium 5", "diazepam", Form.TABLET, strength_mg=5, split=2)
    yield service
    service.close()


@pytest.fixture
def page(qtbot, service: DiaryService) -> TaperPage:
    window = Window(service)
    page = TaperPage(window.mutate)
    window.page = page
    qtbot.addWidget(page)
    page.resize(1400, 900)
    show_active(qtbot, page)
    page.open_session(service)
    return page


def show_active(qtbot, widget: QWidget) -> None:
    """Shown and active, so the keyboard focus lands where a person would see it."""
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def open_regimen(qtbot, page: TaperPage) -> RegimenPanel:
    click(qtbot, page.regimen_button)
    panel = page.regimen_panel
    assert panel.isVisible()
    return panel


def type_time(qtbot, row: DoseTimeRow, text: str) -> None:
    """Type over the time from its first section, as after Tab (which selects the hours)."""
    if not row.time.hasFocus():
        row.time.setFocus()
    qtbot.keyClicks(row.time, text)
    assert f"{row.moment():%H:%M}" == text


def focused() -> object:
    return QApplication.focusWidget()


# ---- a first regimen ----------------------------------------------------------------------


def test_a_new_diary_gets_a_start_regimen_of_two_dose_times_by_keyboard_and_mouse(
    qtbot, page: TaperPage, service: DiaryService
):
    assert "No regimen is recorded for today. Set regimen" in shown_text(page.now_section)
    panel = open_regimen(qtbot, page)
    assert len(panel.rows) == 1  # one empty dose time to start from
    first = panel.rows[0]
    assert focused() is first.time
    assert panel.chosen_kind() is ChangeKind.START
    assert not panel.prescriber.isVisible()  # a start has no prescriber question
    assert not panel.confirm_button.isEnabled()

    # Keyboard: the time, Tab past the only medication to the amount, Tab to "Add a dose time".
    type_time(qtbot, first, "07:30")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is first.medication
    assert first.medication.currentText() == "Valium 5 (diazepam)"
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is first.mg.edit
    qtbot.keyClicks(first.mg.edit, "5")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is first.remove_button
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is panel.add_button
    qtbot.keyClick(panel.add_button, Qt.Key.Key_Space)
    assert len(panel.rows) == 2
    second = panel.rows[1]
    assert focused() is second.time
    assert second.medication.currentText() == "Valium 5 (diazepam)"
    type_time(qtbot, second, "21:00")

    # Mouse: into the second amount, then Save.
    click(qtbot, second.mg.edit)
    qtbot.keyClicks(second.mg.edit, "2.5")
    assert "Daily total: 7.5 mg DZ-eq" in panel.total_line.text()
    assert "Ashton Manual (rev. 2007)" in panel.table_line.text()
    assert second.dz_label.text() == "= 2.5 mg DZ-eq"
    assert panel.confirm_button.isEnabled()
    assert not panel.save_hint.isVisible()
    assert_respectful(shown_text(panel))
    click(qtbot, panel.confirm_button)

    regimen = service.regimen_on(TODAY)
    assert regimen is not None
    assert regimen.kind is ChangeKind.START and regimen.date == TODAY
    assert regimen.doses == (
        RegimenDose("diazepam", 5, dt.time(7, 30), "Valium 5"),
        RegimenDose("diazepam", 2.5, dt.time(21), "Valium 5"),
    )
    assert not panel.isVisible()
    assert focused() is page.regimen_button
    qtbot.waitUntil(lambda: "21:00" in shown_text(page.now_section))  # new labels show
    now = shown_text(page.now_section)
    assert "07:30" in now and "= 5 mg DZ-eq" in now and "= 2.5 mg DZ-eq" in now
    assert "Daily total: 7.5 mg diazepam-equivalent" in page.total_label.text()
    assert service.undo_label() == f"start the regimen on {describe_date(TODAY)}"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "The amount must be more than 0 mg (got 0 mg)."),
        ("abc", '"abc" is not a number; enter the amount in mg in digits, like 10.'),
        ("1", "1 mg cannot be measured with Valium 5; the nearest: 2.5 mg."),
        ("200", "is the most the diary accepts for one dose"),
    ],
)
def test_an_amount_that_cannot_be_a_dose_shows_why_and_save_stays_disabled(
    qtbot, page: TaperPage, service: DiaryService, typed: str, message: str
):
    panel = open_regimen(qtbot, page)
    row = panel.rows[0]
    type_into(qtbot, row.mg, typed)
    assert row.mg.message.isVisibleTo(panel)
    assert message in row.mg.message.text()
    assert not panel.confirm_button.isEnabled()
    assert panel.save_hint.isVisible()
    assert message in panel.save_hint.text() and "08:00" in panel.save_hint.text()
    panel.confirm()  # Enter or a stray click cannot get round the disabled button
    assert service.regimen_on(TODAY) is None

    type_into(qtbot, row.mg, "2.5")  # halves of 5 mg
    assert not row.mg.message.isVisibleTo(panel)
    assert panel.confirm_button.isEnabled()


def test_the_same_drug_twice_at_one_time_is_shown_beside_the_time(qtbot, page: TaperPage):
    panel = open_regimen(qtbot, page)
    type_into(qtbot, panel.rows[0].mg, "5")
    click(qtbot, panel.add_button)
    second = panel.rows[1]
    type_into(qtbot, second.mg, "5")
    assert panel.confirm_button.isEnabled()
    type_time(qtbot, second, "08:00")
    assert second.time_message.isVisibleTo(panel)
    assert "diazepam is already taken at 08:00" in second.time_message.text()
    assert not panel.confirm_button.isEnabled()


def test_a_dose_time_is_removed_with_the_keyboard(qtbot, page: TaperPage, service):
    panel = open_regimen(qtbot, page)
    type_into(qtbot, panel.rows[0].mg, "5")
    click(qtbot, panel.add_button)
    type_into(qtbot, panel.rows[1].mg, "abc")
    assert not panel.confirm_button.isEnabled()
    panel.rows[1].remove_button.setFocus()
    qtbot.keyClick(panel.rows[1].remove_button, Qt.Key.Key_Space)
    assert len(panel.rows) == 1
    assert focused() is panel.add_button
    assert panel.confirm_button.isEnabled()
    click(qtbot, panel.confirm_button)
    regimen = service.regimen_on(TODAY)
    assert regimen is not None and len(regimen.doses) == 1


def test_a_liquid_takes_ml_or_mg_and_checks_the_syringe_marks(
    qtbot, page: TaperPage, service: DiaryService
):
    service.add_medication("Oral solution", "diazepam", Form.LIQUID, concentration_mg_ml=0.4)
    page.on_changed(Changes(medications=True))
    panel = open_regimen(qtbot, page)
    row = panel.rows[0]
    row.medication.setCurrentIndex(row.medication.findText("Oral solution (diazepam)"))
    assert row.ml.isVisibleTo(panel) and panel.headers[3].isVisibleTo(panel)
    type_into(qtbot, row.ml, "5")
    assert row.mg.edit.text() == "2"
    type_into(qtbot, row.mg, "1")
    assert row.ml.edit.text() == "2.5"
    type_into(qtbot, row.mg, "1.02")  # 2.55 mL: between the 0.1 mL marks
    assert "cannot be measured with Oral solution" in row.mg.message.text()
    assert "1 mg (2.5 mL) or 1.04 mg (2.6 mL)" in row.mg.message.text()
    assert not panel.confirm_button.isEnabled()
    type_into(qtbot, row.ml, "3")
    assert row.mg.edit.text() == "1.2"
    click(qtbot, panel.confirm_button)
    regimen = service.regimen_on(TODAY)
    assert regimen is not None
    assert regimen.doses == (RegimenDose("diazepam", 1.2, MORNING, "Oral solution"),)


# ---- changing the regimen in force --------------------------------------------------------


@pytest.fixture
def started(service: DiaryService) -> DiaryService:
    """5 mg at 08:00 and 5 mg at 22:00 for the last 30 days."""
    doses = [RegimenDose("diazepam", 5, MORNING), RegimenDose("diazepam", 5, NIGHT)]
    service.set_regimen(doses, TODAY - 30 * DAYS)
    return service


def test_changing_the_regimen_in_force_records_a_cut(qtbot, started, page: TaperPage):
    panel = open_regimen(qtbot, page)
    assert [row.mg.value for row in panel.rows] == [5, 5]  # the regimen in force, editable
    assert [f"{row.moment():%H:%M}" for row in panel.rows] == ["08:00", "22:00"]
    assert panel.confirm_button.isEnabled()
    type_into(qtbot, panel.rows[1].mg, "2.5")
    assert "Daily total: 7.5 mg DZ-eq" in panel.total_line.text()
    assert "(before: 10 mg DZ-eq; 25.0% less)" in panel.total_line.text()
    panel.kind.setCurrentIndex(panel.kind.findData(ChangeKind.CUT))
    panel.kind.activated.emit(panel.kind.currentIndex())  # as when picked from the list
    assert panel.prescriber.isVisibleTo(panel)
    qtbot.keyClicks(panel.reason, "Agreed at the appointment")
    panel.prescriber.setFocus()
    qtbot.keyClick(panel.prescriber, Qt.Key.Key_Space)
    click(qtbot, panel.confirm_button)

    history = started.regimen_history()
    assert [change.kind for change in history] == [ChangeKind.START, ChangeKind.CUT]
    cut = history[-1]
    assert cut.date == TODAY and cut.reason == "Agreed at the appointment"
    assert cut.prescriber_involved
    assert [dose.mg for dose in cut.doses] == [5, 2.5]
    assert page.figures["Cuts"] == "1"
    assert started.undo_label() == f"record a cut on {describe_date(TODAY)}"


def test_the_kind_follows_the_amounts_until_one_is_picked(qtbot, started, page: TaperPage):
    panel = open_regimen(qtbot, page)
    assert panel.chosen_kind() is ChangeKind.START  # nothing changed yet
    type_into(qtbot, panel.rows[0].mg, "2.5")
    assert panel.chosen_kind() is ChangeKind.CUT
    assert "Chosen from the amounts" in panel.kind_note.text()
    type_into(qtbot, panel.rows[0].mg, "7.5")
    assert panel.chosen_kind() is ChangeKind.UPDOSE
    assert panel.reason_label.text() == "Rea&son"  # a reinstatement gives its reason
    assert not panel.confirm_button.isEnabled()
    assert "Please give a reason for the reinstatement." in panel.save_hint.text()
    qtbot.keyClicks(panel.reason, "Symptoms too strong to carry on")
    assert panel.confirm_button.isEnabled()
    click(qtbot, panel.confirm_button)
    assert [c.kind for c in started.regimen_history()] == [ChangeKind.START, ChangeKind.UPDOSE]
    assert page.figures["Reinstatements"] == "1"
    assert_respectful(shown_text(page))


def test_a_date_with_a_change_already_says_saving_replaces_it(qtbot, started, page: TaperPage):
    panel = open_regimen(qtbot, page)
    panel.date.setDate(panel.date.date().addDays(-30))
    assert "A start is already recorded on this date; saving replaces it." in (
        panel.date_note.text()
    )
    panel.date.setDate(panel.date.date().addDays(-5))
    assert f"recorded on {describe_date(TODAY - 30 * DAYS)} still applies" in (
        panel.date_note.text()
    )


def test_all_dose_times_removed_records_that_nothing_is_taken(qtbot, started, page: TaperPage):
    panel = open_regimen(qtbot, page)
    for row in list(panel.rows):
        click(qtbot, row.remove_button)
    assert "nothing is taken from this date" in panel.total_line.text()
    assert panel.confirm_button.isEnabled()
    click(qtbot, panel.confirm_button)
    regimen = started.regimen_on(TODAY)
    assert regimen is not None and regimen.doses == ()
    qtbot.waitUntil(lambda: "has no dose times" in shown_text(page.now_section))


def test_locking_forgets_what_was_typed(qtbot, started, page: TaperPage):
    panel = open_regimen(qtbot, page)
    type_into(qtbot, panel.rows[0].mg, "2.5")
    page.close_session()
    assert panel.rows == [] and not panel.isVisible()
    assert panel.total_line.text() == ""


# ---- no medications yet -------------------------------------------------------------------


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[DiaryService]:
    service, _ = bootstrap.create_diary(tmp_path / "bare.tpd", PASSPHRASE, KdfParams.MINIMUM)
    yield service
    service.close()


def test_with_no_medications_the_panel_says_so_and_offers_settings(qtbot, bare):
    window = Window(bare)
    page = TaperPage(window.mutate)
    window.page = page
    qtbot.addWidget(page)
    show_active(qtbot, page)
    page.open_session(bare)
    panel = open_regimen(qtbot, page)
    assert "No medications are entered yet." in panel.no_medications_label.text()
    assert not panel.rows_area.isVisible() and not panel.confirm_button.isVisible()
    assert focused() is panel.medications_button
    assert_respectful(shown_text(panel))
    with qtbot.waitSignal(page.medications_wanted, timeout=1000):
        qtbot.keyClick(panel.medications_button, Qt.Key.Key_Space)

    # Added in Settings meanwhile: the open panel now offers dose times.
    window.mutate(lambda s: s.add_medication("Ativan 1", "lorazepam", Form.TABLET, 1))
    assert panel.rows_area.isVisible() and len(panel.rows) == 1
    assert panel.rows[0].medication.currentText() == "Ativan 1 (lorazepam)"


def test_the_window_opens_settings_medications_then_undo_names_the_new_regimen(
    qtbot, dialogs, window_settings, sample_diary
):
    window: MainWindow = open_window(qtbot, dialogs, window_settings, sample_diary.path)
    assert "Taper \N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK} Set regimen" in (
        window.today_page.regimen_label.text()
    )
    taper = window.taper_page
    window.show_page(taper)
    click(qtbot, taper.regimen_button)
    click(qtbot, taper.regimen_panel.medications_button)
    settings = window.settings_page
    assert window.current_page() is settings
    assert settings.nav.currentRow() == settings.sections.index(settings.medications)

    window.mutate(lambda s: s.add_medication("Valium 5", "diazepam", Form.TABLET, 5, split=2))
    window.show_page(taper)
    panel = taper.regimen_panel
    type_into(qtbot, panel.rows[0].mg, "5")
    click(qtbot, panel.confirm_button)
    assert window.undo_action.text() == action_text(
        "&Undo", f"start the regimen on {describe_date(TODAY)}"
    )
    assert "Planned for this day: 08:00 diazepam 5 mg" in window.today_page.regimen_label.text()


# ---- the Today page -----------------------------------------------------------------------


def test_today_points_to_set_regimen_only_while_today_has_none(qtbot, service: DiaryService):
    window = Window(service)
    today = TodayPage(window.mutate)
    qtbot.addWidget(today)
    today.show()
    today.open_session(service)
    text = today.regimen_label.text()
    assert "No regimen is recorded yet." in text and "Set regimen" in text
    assert not today.take_button.isVisible()

    service.set_regimen([RegimenDose("diazepam", 5, MORNING)], TODAY)
    today.on_changed(Changes(regimen=True))
    assert today.regimen_label.text() == "Planned for this day: 08:00 diazepam 5 mg."
    today.open_day(TODAY - 3 * DAYS)  # before the regimen: nothing to set up any more
    assert today.regimen_label.text() == "No regimen is recorded for this day."


def test_return_in_the_regimen_panel_saves_it(qtbot, page: TaperPage, service: DiaryService):
    panel = open_regimen(qtbot, page)
    row = panel.rows[0]
    type_time(qtbot, row, "08:00")
    type_into(qtbot, row.mg, "5")
    row.mg.edit.setFocus()
    qtbot.keyClick(row.mg.edit, Qt.Key.Key_Return)
    regimen = service.regimen_on(TODAY)
    assert regimen is not None
    assert regimen.doses == (RegimenDose("diazepam", 5, dt.time(8), "Valium 5"),)
    assert not panel.isVisible()
