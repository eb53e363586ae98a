"""The Taper page on a real encrypted diary: what it shows (regimen, DZ-eq, table, figures,
notes on pace), and each action driven as a user would (hold, cut, next step, reinstatement
with re-basing, plan builder, crossover planner, liquid calculator), a failed save, and
locking."""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from diary import bootstrap
from diary.domain.changes import Changes
from diary.domain.models import ChangeKind, Form, RegimenDose
from diary.domain.taper.plans import PlanMethod, PlanSpec, StepKind
from diary.services.demo import write_demo
from diary.services.diary_service import DiaryService
from diary.storage import atomic_write
from diary.storage.keys import KdfParams
from diary.ui.pages.taper_page import Action, TaperPage
from diary.ui.taper.fields import NumberField, to_qdate
from tests.ui.conftest import PASSPHRASE

TODAY = dt.date.today()
DAYS = dt.timedelta(days=1)
FORBIDDEN = ("failure", "failed", "missed", "relapse", "you should", "you must")
MORNING, NIGHT = dt.time(8), dt.time(22)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    """Diazepam 2 mg tablets that may be halved; 5 mg + 5 mg a day for a year."""
    service, _ = bootstrap.create_diary(tmp_path / "diary.tpd", PASSPHRASE, KdfParams.MINIMUM)
    service.add_medication("Valium 2", "diazepam", Form.TABLET, strength_mg=2, split=2)
    service.set_regimen(
        [RegimenDose("diazepam", 5, MORNING), RegimenDose("diazepam", 5, NIGHT)],
        TODAY - 365 * DAYS,
    )
    yield service
    service.close()


class Window:
    """What the main window does around a page: run the action, show errors, announce."""

    def __init__(self, service: DiaryService) -> None:
        self.service = service
        self.errors: list[Exception] = []
        self.page: TaperPage | None = None

    def mutate(self, action: Action) -> Changes | None:
        try:
            changes = action(self.service)
        except Exception as error:  # the window hands it to the error presenter
            self.errors.append(error)
            return None
        assert self.page is not None
        self.page.on_changed(changes)
        return changes


@pytest.fixture
def window(service: DiaryService) -> Window:
    return Window(service)


@pytest.fixture
def page(qtbot, window: Window, service: DiaryService) -> TaperPage:
    page = TaperPage(window.mutate)
    window.page = page
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    page.open_session(service)
    return page


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, field: NumberField, text: str) -> None:
    field.edit.clear()
    qtbot.keyClicks(field.edit, text)


def shown_text(widget: QWidget) -> str:
    """Every label's text under ``widget`` that a person can see."""
    labels = [label for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]
    return "\n".join(label.text() for label in labels)


def assert_respectful(text: str) -> None:
    lowered = text.lower()
    for word in FORBIDDEN:
        assert word not in lowered, f"{word!r} in {text!r}"


# ---- what the page shows ------------------------------------------------------------------


def test_the_page_shows_the_regimen_its_dz_eq_and_the_table_by_name(page: TaperPage):
    now = shown_text(page.now_section)
    assert "08:00" in now and "22:00" in now and "diazepam" in now
    assert "5 mg" in now and "= 5 mg DZ-eq" in now
    assert "Daily total: 10 mg diazepam-equivalent" in page.total_label.text()
    assert "Ashton Manual (rev. 2007)" in page.table_label.text()
    assert page.hold_label.text() == "No hold is going on."
    assert page.figures["Start and now"].startswith("10 mg DZ-eq at the start; 10 mg DZ-eq now")
    assert page.figures["Cuts"] == "0"
    assert not page.notes_section.isVisibleTo(page)  # nothing to note
    assert not page.apply_button.isEnabled()  # no plan yet


def test_another_table_is_named_and_changes_the_figures(page: TaperPage, service):
    service.add_medication("Ativan", "lorazepam", Form.TABLET, strength_mg=1)
    service.set_regimen([RegimenDose("lorazepam", 2, MORNING)], TODAY - 10 * DAYS)
    service.set_equivalence_table("va")
    page.on_changed(Changes(settings=True))
    assert "VA/DoD" in page.table_label.text()
    assert "Daily total: 10 mg diazepam-equivalent" in page.total_label.text()


def test_a_cut_over_25_percent_within_14_days_shows_a_note_with_its_source(
    page: TaperPage, service
):
    service.set_regimen(
        [RegimenDose("diazepam", 3, MORNING), RegimenDose("diazepam", 3, NIGHT)],
        TODAY - 3 * DAYS,
        ChangeKind.CUT,
    )
    page.on_changed(Changes(regimen=True))
    assert page.notes_section.isVisibleTo(page)
    (note,) = page.note_texts()
    assert "from 10 to 6 mg diazepam-equivalent" in note and "40% less within 14 days" in note
    assert "Source: 2025 US Joint Clinical Practice Guideline" in note
    assert "prescriber" in note
    assert_respectful(note)
    assert page.figures["Cuts"] == "1"
    assert page.figures["Last 14 days"] == "40.0% lower"


# ---- building a plan ----------------------------------------------------------------------


def fill_percent_plan(qtbot, panel, percent: str = "10") -> None:
    type_into(qtbot, panel.percent, percent)
    type_into(qtbot, panel.final_step, "1")
    type_into(qtbot, panel.interval, "14")


def test_a_percent_plan_is_previewed_then_saved(qtbot, page: TaperPage, service):
    click(qtbot, page.build_button)
    panel = page.plan_panel
    assert panel.isVisible() and page.open is panel
    assert not panel.confirm_button.isEnabled()
    fill_percent_plan(qtbot, panel)

    rows = panel.preview_model.rowCount()
    assert rows > 3
    first = panel.preview_model.row_at(0)
    assert first.start == TODAY and first.kind is StepKind.CUT
    assert first.change == "10.0% less" and first.state == "Preview"
    assert "(ideal 4.5)" in first.doses  # halves of 2 mg tablets: 4 or 5 mg measured
    assert panel.preview_model.row_at(rows - 1).kind is StepKind.FINAL
    assert service.plan_summary() is None  # a preview saves nothing

    click(qtbot, panel.confirm_button)
    summary = service.plan_summary()
    assert summary is not None and len(summary.schedule) == rows
    assert not panel.isVisible()
    assert page.plan_model.rowCount() == rows
    assert page.plan_model.row_at(0).state == "Next"
    assert "0 of" in page.plan_summary_label.text()
    assert "never applies itself" in page.plan_summary_label.text()
    assert page.saved_indicator.text().endswith(f"Saved at {dt.datetime.now():%H:%M}")
    assert page.apply_button.isEnabled()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "The percentage must be more than 0 and less than 100."),
        ("100", "The percentage must be more than 0 and less than 100."),
        ("abc", '"abc" is not a number; enter the percentage in digits, like 10.'),
    ],
)
def test_an_impossible_percentage_is_explained_beside_the_field_and_cannot_be_saved(
    qtbot, page: TaperPage, service, typed: str, message: str
):
    click(qtbot, page.build_button)
    panel = page.plan_panel
    fill_percent_plan(qtbot, panel, typed)
    assert panel.percent.message.isVisible()
    assert panel.percent.message.text() == message
    assert panel.percent.edit.accessibleDescription() == message
    assert not panel.confirm_button.isEnabled()
    assert panel.preview_model.rowCount() == 0
    click(qtbot, panel.confirm_button)
    assert service.plan_summary() is None

    type_into(qtbot, panel.percent, "10")
    assert not panel.percent.message.isVisible()
    assert panel.confirm_button.isEnabled()


def test_a_custom_list_that_goes_up_is_explained_and_not_saved(qtbot, page: TaperPage, service):
    click(qtbot, page.build_button)
    panel = page.plan_panel
    panel.method.setCurrentIndex(panel.method.findData(PlanMethod.CUSTOM.value))
    type_into(qtbot, panel.interval, "14")
    qtbot.keyClicks(panel.custom, "9; 9.5; 0")
    assert "Each step must be lower than the one before" in panel.custom_message.text()
    assert not panel.confirm_button.isEnabled()
    panel.custom.clear()
    qtbot.keyClicks(panel.custom, "9; 8; 0")
    assert panel.custom_message.text() == ""
    assert [row.diazepam_mg for row in panel.preview_model._rows] == [9, 8, 0]


# ---- the next step, holds and reinstatements ----------------------------------------------


def ten_percent_plan(service: DiaryService, start: dt.date = TODAY) -> None:
    service.create_plan(PlanSpec(PlanMethod.PERCENT, 14, start, percent=10, final_step_mg=1))


def test_apply_next_step_shows_the_change_and_records_it_once_confirmed(
    qtbot, page: TaperPage, service
):
    ten_percent_plan(service)
    page.on_changed(Changes(settings=True))
    click(qtbot, page.apply_button)
    panel = page.apply_panel
    assert "08:00  diazepam 5 mg" in panel.before.text()
    assert "Step 1 of" in panel.after.text()
    assert "10 mg DZ-eq" in panel.totals.text() and "9 mg DZ-eq" in panel.totals.text()
    assert "10.0% less" in panel.totals.text()
    assert service.regimen_on(TODAY).kind is ChangeKind.START  # nothing before confirming

    click(qtbot, panel.confirm_button)
    regimen = service.regimen_on(TODAY)
    assert regimen.date == TODAY and regimen.kind is ChangeKind.CUT
    assert sum(d.mg for d in regimen.doses) == 9
    assert "Step 1 of" in regimen.reason
    assert page.plan_model.row_at(0).state.startswith("Applied on")
    assert page.plan_model.row_at(1).state == "Next"
    assert "Daily total: 9 mg" in page.total_label.text()


def test_a_hold_is_started_shown_with_respect_and_ended(qtbot, page: TaperPage, service):
    ten_percent_plan(service, TODAY - 5 * DAYS)
    page.on_changed(Changes(settings=True))
    planned = page.plan_model.row_at(1).start  # the first step after the hold begins

    click(qtbot, page.hold_button)
    panel = page.hold_panel
    panel.date.setDate(to_qdate(TODAY - 2 * DAYS))
    qtbot.keyClicks(panel.reason, "letting things settle")
    click(qtbot, panel.confirm_button)

    (hold,) = service.holds()
    assert hold.start == TODAY - 2 * DAYS and hold.end is None
    assert hold.reason == "letting things settle"
    when = TODAY - 2 * DAYS
    date_words = f"{when.day} {when:%B}" + ("" if when.year == TODAY.year else f" {when.year}")
    assert page.hold_label.text() == f"Hold since {date_words}: 3 days (letting things settle)."
    assert page.hold_button.text() == "End the &hold"
    assert page.plan_model.row_at(1).start == planned + 3 * DAYS
    assert page.plan_model.row_at(1).state == "Still to come, moved 3 days by holds"
    assert_respectful(shown_text(page))

    click(qtbot, page.hold_button)
    assert page.hold_panel.title.text() == "End the hold"
    panel.date.setDate(to_qdate(TODAY - 3 * DAYS))  # before the hold began
    assert "cannot end before that" in panel.date_message.text()
    assert not panel.confirm_button.isEnabled()
    panel.date.setDate(to_qdate(TODAY))
    click(qtbot, panel.confirm_button)
    assert service.holds()[0].end == TODAY
    assert page.hold_button.text() == "Start a &hold"


def test_a_cut_is_recorded_for_one_dose_time_and_checked_as_you_type(
    qtbot, page: TaperPage, service
):
    click(qtbot, page.cut_button)
    panel = page.cut_panel
    panel.dose_time.setCurrentIndex(1)  # 22:00
    type_into(qtbot, panel.amount, "6")
    assert (
        panel.amount.message.text()
        == "A cut lowers the dose: enter an amount from 0 to below 5 mg."
    )
    type_into(qtbot, panel.amount, "4.5")
    assert "cannot be measured with Valium 2; the nearest are 4 mg and 5 mg" in (
        panel.amount.message.text()
    )
    assert not panel.confirm_button.isEnabled()
    type_into(qtbot, panel.amount, "4")
    assert "10 mg DZ-eq" in panel.total_line.text() and "(10.0% less)" in panel.total_line.text()
    click(qtbot, panel.confirm_button)
    regimen = service.regimen_on(TODAY)
    assert regimen.kind is ChangeKind.CUT
    assert [(d.time, d.mg) for d in regimen.doses] == [(MORNING, 5), (NIGHT, 4)]
    assert "Daily total: 9 mg" in page.total_label.text()


def test_a_reinstatement_re_bases_the_plan_after_a_stabilising_hold(
    qtbot, page: TaperPage, service
):
    service.record_cut("Valium 2", 3, NIGHT, TODAY - 20 * DAYS, "step down")
    ten_percent_plan(service)
    page.on_changed(Changes(regimen=True, settings=True))

    click(qtbot, page.reinstate_button)
    panel = page.reinstate_panel
    assert panel.rebase.isVisible()
    panel.dose_time.setCurrentIndex(1)  # 22:00, now 3 mg
    type_into(qtbot, panel.amount, "4")
    assert not panel.confirm_button.isEnabled()  # a reason is needed
    qtbot.keyClicks(panel.reason, "symptoms too strong")
    panel.prescriber.setChecked(True)
    panel.rebase.setChecked(True)
    assert panel.hold_days.isVisible() and not panel.confirm_button.isEnabled()
    type_into(qtbot, panel.hold_days, "-1")
    assert "at least 0 days" in panel.hold_days.message.text()
    type_into(qtbot, panel.hold_days, "28")
    click(qtbot, panel.confirm_button)

    regimen = service.regimen_on(TODAY)
    assert regimen.kind is ChangeKind.UPDOSE and regimen.prescriber_involved
    assert regimen.reason == "symptoms too strong"
    assert [(d.time, d.mg) for d in regimen.doses] == [(MORNING, 5), (NIGHT, 4)]
    summary = service.plan_summary()
    assert summary is not None and summary.plan.spec.start == TODAY + 28 * DAYS
    (hold,) = service.holds()
    assert (hold.start, hold.end) == (TODAY, TODAY + 27 * DAYS)
    assert page.figures["Reinstatements"] == "1"
    assert page.hold_label.text().startswith("Hold since")
    assert_respectful(shown_text(page))


# ---- crossover and liquid -----------------------------------------------------------------


def test_the_crossover_preview_changes_one_dose_time_per_stage(qtbot, page: TaperPage, service):
    service.add_medication("Klonopin", "clonazepam", Form.TABLET, strength_mg=0.5)
    times = (MORNING, dt.time(14), NIGHT)
    service.set_regimen([RegimenDose("clonazepam", 0.5, t) for t in times], TODAY - 100 * DAYS)
    page.on_changed(Changes(regimen=True))

    click(qtbot, page.crossover_button)
    panel = page.crossover_panel
    assert panel.target.currentText() == "diazepam"
    type_into(qtbot, panel.stage_days, "7")
    fill_percent_plan(qtbot, panel)

    stages = [s for s in panel.steps if s.kind is StepKind.CROSSOVER]
    assert len(stages) == 3
    before = {t: ("clonazepam", 0.5) for t in times}
    for stage in stages:
        after = {d.time: (d.drug, d.mg) for d in stage.doses}
        assert len([t for t in times if after[t] != before[t]]) == 1
        assert stage.diazepam_mg == pytest.approx(30)
        before = after
    assert [stage.start for stage in stages] == [TODAY + n * 7 * DAYS for n in range(3)]
    assert panel.preview_model.row_at(0).change == "same total"
    assert panel.preview_model.row_at(3).kind is StepKind.CUT

    click(qtbot, panel.confirm_button)
    summary = service.plan_summary()
    assert summary is not None and summary.plan.crossover_to == "diazepam"


def test_the_liquid_calculator_shows_the_dose_left_and_the_shake_note(qtbot, page: TaperPage):
    click(qtbot, page.liquid_button)
    panel = page.liquid_panel
    assert panel.shake_note.isVisible() and "shake it well before every dose" in (
        panel.shake_note.text()
    )
    type_into(qtbot, panel.tablet_mg, "10")
    type_into(qtbot, panel.volume, "100")
    assert "Concentration: 0.1 mg/mL" in panel.concentration_line.text()
    type_into(qtbot, panel.removed, "20")
    assert panel.removed_line.text().startswith("Dose left after removing 20 mL: 8 mg")

    type_into(qtbot, panel.target, "2.55")
    assert "2.55 mg is 25.5 mL" in panel.target_line.text()
    type_into(qtbot, panel.syringe, "1")
    assert "the syringe measures 26 mL, which holds 2.6 mg" in panel.target_line.text()

    type_into(qtbot, panel.daily_step, "10")
    days = [panel.series_model.row_at(r) for r in range(panel.series_model.rowCount())]
    assert [d.dose_mg for d in days] == pytest.approx([10 - n for n in range(11)])
    assert days[-1].cut_percent == pytest.approx(100)
    assert days[-2].cut_percent == pytest.approx(50)
    large = Qt.ItemDataRole.FontRole
    cut_column = 3
    assert panel.series_model.data(panel.series_model.index(1, cut_column), large) is None
    assert panel.series_model.data(panel.series_model.index(10, cut_column), large).bold()
    assert "larger share of what is left" in panel.series_note.text()


# ---- saving, locking, models --------------------------------------------------------------


def test_a_failed_save_shows_the_banner_and_retry_saves_the_same_change(
    qtbot, page: TaperPage, service, window: Window, monkeypatch: pytest.MonkeyPatch
):
    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write, "write_all", disk_full)
    click(qtbot, page.hold_button)
    click(qtbot, page.hold_panel.confirm_button)
    assert len(window.errors) == 1
    assert page.banner.isVisible()
    assert "NOT SAVED" in page.banner.message.text()
    assert page.saved_indicator.text() == "Not saved"
    assert service.holds() == []

    monkeypatch.undo()
    click(qtbot, page.banner.retry_button)
    assert not page.banner.isVisible()
    assert len(service.holds()) == 1
    assert page.hold_label.text().startswith("Hold since")
    assert "Saved at" in page.saved_indicator.text()


def test_close_session_clears_every_widget(qtbot, page: TaperPage, service):
    service.set_regimen(
        [RegimenDose("diazepam", 3, MORNING), RegimenDose("diazepam", 3, NIGHT)],
        TODAY - 3 * DAYS,
        ChangeKind.CUT,
    )
    ten_percent_plan(service)
    page.on_changed(Changes(regimen=True, settings=True))
    click(qtbot, page.build_button)
    fill_percent_plan(qtbot, page.plan_panel)
    assert page.note_frames and page.plan_model.rowCount() and page.figures

    page.close_session()

    assert not page.isEnabled()
    assert page.open is None
    assert all(not panel.isVisibleTo(page) for panel in page.panels.values())
    assert page.plan_panel.percent.edit.text() == ""
    assert page.plan_panel.preview_model.rowCount() == 0
    assert page.plan_model.rowCount() == 0 and page.plan_summary_label.text() == ""
    assert page.note_frames == [] and not page.notes_section.isVisibleTo(page)
    assert page.figures == {} and page.figures_grid.count() == 0
    assert page.regimen_grid.count() == 0
    assert page.total_label.text() == page.table_label.text() == page.hold_label.text() == ""
    assert page.status is None


def test_the_step_and_series_models_pass_the_qt_model_tester(qtmodeltester, qtbot, page, service):
    ten_percent_plan(service)
    page.on_changed(Changes(settings=True))
    qtmodeltester.check(page.plan_model, force_py=True)
    click(qtbot, page.liquid_button)
    type_into(qtbot, page.liquid_panel.tablet_mg, "10")
    type_into(qtbot, page.liquid_panel.volume, "10")
    type_into(qtbot, page.liquid_panel.daily_step, "1")
    qtmodeltester.check(page.liquid_panel.series_model, force_py=True)


def test_the_demo_diary_shows_its_story_in_figures_and_words(qtbot, tmp_path: Path):
    demo, _ = bootstrap.create_diary(tmp_path / "demo.tpd", PASSPHRASE, KdfParams.MINIMUM)
    try:
        write_demo(demo, 730, TODAY)
        page = TaperPage(lambda action: action(demo))
        qtbot.addWidget(page)
        page.open_session(demo)
        assert page.figures["Reinstatements"] == "1"
        assert page.figures["Holds"].startswith("2 (")
        assert int(page.figures["Cuts"]) > 5
        assert page.figures["Start and now"].startswith("30 mg DZ-eq at the start")
        assert "Ashton Manual (rev. 2007)" in page.figures_source.text()
        now = shown_text(page.now_section)
        assert "diazepam" in now and "DZ-eq" in now
        assert_respectful(shown_text(page))
    finally:
        demo.close()


def test_an_applied_first_step_keeps_its_change_against_the_dose_before(
    qtbot, page: TaperPage, service
):
    ten_percent_plan(service, TODAY - 2 * DAYS)
    service.apply_next_step(TODAY - 2 * DAYS)
    page.on_changed(Changes(regimen=True, settings=True))
    first = page.plan_model.row_at(0)
    assert first.state.startswith("Applied on") and first.change == "10.0% less"
