"""The Today page, driven as a user would against a real encrypted diary in tmp_path."""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QLabel, QWidget

from diary import bootstrap
from diary.domain.changes import Changes
from diary.domain.errors import DiaryError
from diary.domain.models import DoseKind, Form, RegimenDose
from diary.services.diary_service import DiaryService
from diary.storage import atomic_write
from diary.storage.keys import KdfParams
from diary.ui.pages.today_page import NOTE_PAUSE_MS, TodayPage
from tests.ui.conftest import PASSPHRASE

DAY = dt.date(2024, 5, 10)
SYMPTOMS = ["Anxiety or nervousness", "Insomnia", "Tremor or shaking"]
LIQUID = "Diazepam 2 mg/mL"


class Mutator:
    """What MainWindow.mutate does for a page: run the action, keep errors off the page."""

    def __init__(self, service: DiaryService) -> None:
        self.service = service
        self.errors: list[DiaryError] = []

    def __call__(self, action) -> Changes | None:
        try:
            return action(self.service)
        except DiaryError as error:
            self.errors.append(error)
            return None


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    """A diary on lorazepam 1 mg at 08:00 and 20:00, a diazepam liquid, three symptoms."""
    service, _ = bootstrap.create_diary(tmp_path / "diary.tpd", PASSPHRASE, kdf=KdfParams.MINIMUM)
    with service.batch("set up"):
        service.add_medication("Ativan", "lorazepam", Form.TABLET, strength_mg=1)
        service.add_medication(LIQUID, "diazepam", Form.LIQUID, concentration_mg_ml=2)
        service.set_regimen(
            [RegimenDose("lorazepam", 1, dt.time(8)), RegimenDose("lorazepam", 1, dt.time(20))],
            DAY - dt.timedelta(days=30),
        )
        for symptom in service.symptoms():
            if symptom.name not in SYMPTOMS:
                service.set_symptom_tracked(symptom.name, False)
    yield service
    service.close()


@pytest.fixture
def mutate(service: DiaryService) -> Mutator:
    return Mutator(service)


@pytest.fixture
def page(qtbot, service: DiaryService, mutate: Mutator) -> TodayPage:
    page = TodayPage(
        mutate, today=lambda: DAY, now=lambda: dt.datetime.combine(DAY, dt.time(21, 5))
    )
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.open_session(service)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def ratings(service: DiaryService, day: dt.date = DAY) -> dict[str, int]:
    checkin = service.checkin(day)
    return {} if checkin is None else checkin.ratings


def note_of(service: DiaryService, day: dt.date = DAY) -> str | None:
    checkin = service.checkin(day)
    return None if checkin is None else checkin.note


def click_check_box(qtbot, box: QCheckBox) -> None:
    """Click the box itself (the middle of a wide check box can be empty space)."""
    qtbot.mouseClick(
        box, Qt.MouseButton.LeftButton, pos=QPoint(box.height() // 2, box.height() // 2)
    )


def reopened(service: DiaryService) -> DiaryService:
    path = service.path
    service.close()
    return bootstrap.open_diary(path, PASSPHRASE)


def visible_words(widget: QWidget) -> str:
    texts = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QAbstractButton)]
    return " ".join(texts).lower()


class Keyboard:
    """Presses keys on whatever has the keyboard focus, and counts them."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def press(self, *keys: Qt.Key | str) -> None:
        for key in keys:
            for each in key if isinstance(key, str) else [key]:
                focused = QApplication.focusWidget()
                assert focused is not None
                self.qtbot.keyClick(focused, each)
                self.count += 1


# ---- symptoms -------------------------------------------------------------------------


def test_keyboard_only_check_in_takes_14_keystrokes(qtbot, page, service):
    keys = Keyboard(qtbot)
    page.focus_first_field()
    assert QApplication.focusWidget() is page.take_button

    keys.press(Qt.Key.Key_Space)  # taken as planned; focus moves on to the symptoms
    keys.press("213")  # one digit per symptom row, each moving to the next row
    keys.press("7")  # wellbeing
    keys.press(Qt.Key.Key_Tab, "7.5", Qt.Key.Key_Tab)  # hours slept
    keys.press("ok", Qt.Key.Key_Tab)  # the note saves when the keyboard leaves it
    keys.press(Qt.Key.Key_Space)  # show this day to my doctor

    checkin = service.checkin(DAY)
    assert checkin is not None
    assert checkin.ratings == dict(zip(SYMPTOMS, [2, 1, 3], strict=True))
    assert (checkin.wellbeing, checkin.sleep_hours, checkin.note) == (7, 7.5, "ok")
    assert checkin.for_doctor
    assert [d.kind for d in service.doses_on(DAY)] == [DoseKind.AS_PLANNED] * 2
    assert keys.count == 14
    assert page.saved_indicator.text().endswith("Saved at 21:05")


def test_arrow_keys_change_a_rating_and_move_between_rows(qtbot, page, service):
    keys = Keyboard(qtbot)
    first, second, _third = page.symptom_rows
    first.setFocus()

    keys.press(Qt.Key.Key_Right, Qt.Key.Key_Right, Qt.Key.Key_Left)  # unrated -> 0 -> 1 -> 0
    keys.press(Qt.Key.Key_Down, Qt.Key.Key_Right, Qt.Key.Key_Up)

    assert QApplication.focusWidget() is first
    assert ratings(service) == {SYMPTOMS[0]: 0, SYMPTOMS[1]: 0}
    keys.press(Qt.Key.Key_Delete)
    assert ratings(service) == {SYMPTOMS[1]: 0}
    assert first.value is None and second.value == 0


def test_rows_left_alone_stay_unrated_not_zero(qtbot, page, service):
    anxiety, insomnia, tremor = page.symptom_rows

    qtbot.mouseClick(insomnia.buttons[3], Qt.MouseButton.LeftButton)

    assert ratings(service) == {"Insomnia": 3}
    for row in (anxiety, tremor):
        assert row.value is None
        assert not any(button.isChecked() for button in row.buttons)
        assert row.unrated_mark.text() == "not rated"
    assert insomnia.unrated_mark.text() == ""
    assert insomnia.accessibleName() == "Insomnia: 3 severe"


def test_clicking_the_chosen_rating_again_clears_it(qtbot, page, service):
    insomnia = page.symptom_rows[1]
    qtbot.mouseClick(insomnia.buttons[2], Qt.MouseButton.LeftButton)
    assert ratings(service) == {"Insomnia": 2}

    qtbot.mouseClick(insomnia.buttons[2], Qt.MouseButton.LeftButton)

    assert ratings(service) == {}
    assert insomnia.value is None
    assert insomnia.unrated_mark.text() == "not rated"


def test_same_as_yesterday_fills_unrated_rows_in_one_undo_step(qtbot, page, service):
    yesterday = DAY - dt.timedelta(days=1)
    service.record_checkin(yesterday, ratings=dict(zip(SYMPTOMS, [2, 3, 1], strict=True)))
    page.open_day(yesterday)
    page.open_day(DAY)
    qtbot.mouseClick(page.symptom_rows[1].buttons[0], Qt.MouseButton.LeftButton)
    assert page.same_as_yesterday_button.isEnabled()
    assert "not yet rated" in page.same_as_yesterday_button.toolTip()

    qtbot.mouseClick(page.same_as_yesterday_button, Qt.MouseButton.LeftButton)

    expected = {SYMPTOMS[0]: 2, SYMPTOMS[1]: 0, SYMPTOMS[2]: 1}  # today's own 0 stays
    assert ratings(service) == expected
    assert [row.value for row in page.symptom_rows] == [2, 0, 1]
    assert not page.same_as_yesterday_button.isEnabled()  # nothing left to copy
    service.undo()
    assert ratings(service) == {SYMPTOMS[1]: 0}


def test_wellbeing_sleep_and_the_doctor_flag_save_at_once(qtbot, page, service):
    qtbot.mouseClick(page.wellbeing.buttons[10], Qt.MouseButton.LeftButton)
    page.sleep.setValue(6.25)
    click_check_box(qtbot, page.for_doctor)

    checkin = reopened(service).checkin(DAY)
    assert checkin is not None
    assert (checkin.wellbeing, checkin.sleep_hours, checkin.for_doctor) == (10, 6.25, True)


def test_hours_slept_can_go_back_to_not_logged(qtbot, page, service):
    page.sleep.setValue(7)
    assert service.checkin(DAY).sleep_hours == 7

    page.sleep.setValue(page.sleep.minimum())

    assert service.checkin(DAY).sleep_hours is None
    assert page.sleep.text() == "not logged"


# ---- doses ----------------------------------------------------------------------------


def test_taking_as_planned_shows_the_doses(qtbot, page, service):
    assert "08:00 lorazepam 1 mg" in page.regimen_label.text()
    assert len(page.not_taken_buttons) == 2

    qtbot.mouseClick(page.take_button, Qt.MouseButton.LeftButton)

    assert [row.dose.planned_time for row in page.dose_rows] == [dt.time(8), dt.time(20)]
    assert all("Taken as planned" in row.title.text() for row in page.dose_rows)
    assert [row.mg_field.text() for row in page.dose_rows] == ["1", "1"]
    assert not page.take_button.isEnabled()
    assert page.not_taken_buttons == []
    assert len(service.doses_on(DAY)) == 2


def test_editing_a_dose_amount_persists(qtbot, page, service):
    qtbot.mouseClick(page.take_button, Qt.MouseButton.LeftButton)
    field = page.dose_rows[0].mg_field
    field.setFocus()
    field.selectAll()

    qtbot.keyClicks(field, "0.75")
    qtbot.keyClick(field, Qt.Key.Key_Return)

    assert "changed from the plan" in page.dose_rows[0].title.text()
    first = reopened(service).doses_on(DAY)[0]
    assert (first.mg, first.kind) == (0.75, DoseKind.ADJUSTED)


def test_a_liquid_dose_in_ml_stores_its_mg(qtbot, page, service):
    form = page.extra_form
    form.medication.setCurrentIndex(form.medication.findText(LIQUID, Qt.MatchFlag.MatchStartsWith))
    assert form.ml_field.isVisible()

    qtbot.keyClicks(form.ml_field, "2.5")
    assert form.mg_field.text() == "5"  # 2.5 mL at 2 mg/mL
    qtbot.mouseClick(form.record_button, Qt.MouseButton.LeftButton)

    (dose,) = service.doses_on(DAY)
    assert (dose.medication, dose.mg, dose.ml, dose.kind) == (LIQUID, 5.0, 2.5, DoseKind.EXTRA)
    (row,) = page.dose_rows
    assert (row.ml_field.text(), row.mg_field.text()) == ("2.5", "5")
    row.ml_field.selectAll()
    qtbot.keyClicks(row.ml_field, "1.5")
    qtbot.keyClick(row.ml_field, Qt.Key.Key_Return)
    assert (service.doses_on(DAY)[0].mg, service.doses_on(DAY)[0].ml) == (3.0, 1.5)


def test_a_planned_dose_recorded_as_not_taken(qtbot, page, service):
    evening = page.not_taken_buttons[1]
    assert "20:00" in evening.accessibleName()

    qtbot.mouseClick(evening, Qt.MouseButton.LeftButton)

    (dose,) = service.doses_on(DAY)
    assert (dose.kind, dose.mg, dose.planned_time) == (DoseKind.NOT_TAKEN, 0.0, dt.time(20))
    assert "Not taken" in page.dose_rows[0].title.text()
    assert page.take_button.isEnabled()  # the morning dose can still be taken as planned
    words = visible_words(page)
    assert "missed" not in words and "fail" not in words


def test_deleting_a_dose(qtbot, page, service):
    qtbot.mouseClick(page.take_button, Qt.MouseButton.LeftButton)

    qtbot.mouseClick(page.dose_rows[1].delete_button, Qt.MouseButton.LeftButton)

    assert [d.planned_time for d in service.doses_on(DAY)] == [dt.time(8)]
    assert len(page.dose_rows) == 1 and len(page.not_taken_buttons) == 1


# ---- the note -------------------------------------------------------------------------


def test_the_note_is_saved_when_focus_leaves(qtbot, page, service):
    page.note.setFocus()
    qtbot.keyClicks(page.note, "Slept badly, calmer by noon.")
    assert service.checkin(DAY) is None  # not yet: still typing

    page.for_doctor.setFocus()

    assert service.checkin(DAY).note == "Slept badly, calmer by noon."


def test_the_note_is_saved_after_a_pause_in_typing(qtbot, page, service):
    page.note.setFocus()
    qtbot.keyClicks(page.note, "Head pressure")

    qtbot.waitUntil(lambda: note_of(service) == "Head pressure", timeout=NOTE_PAUSE_MS * 3)
    assert page.note.hasFocus()  # saving did not move the cursor away


def test_a_note_typed_before_a_lock_is_saved(qtbot, page, service):
    page.note.setFocus()
    qtbot.keyClicks(page.note, "Written just before locking.")

    page.close_session()

    assert reopened(service).checkin(DAY).note == "Written just before locking."


# ---- bad input and failed saves -------------------------------------------------------


def test_an_impossible_amount_shows_why_beside_the_field_and_is_not_saved(qtbot, page, service):
    qtbot.mouseClick(page.take_button, Qt.MouseButton.LeftButton)
    row = page.dose_rows[0]
    qtbot.waitUntil(row.isVisible)  # rows added to a shown page appear on the next event loop
    row.mg_field.setFocus()
    row.mg_field.selectAll()
    generation = service.generation

    qtbot.keyClicks(row.mg_field, "500")
    qtbot.keyClick(row.mg_field, Qt.Key.Key_Return)

    assert row.message.isVisible() and row.message.tone == "problem"
    assert "500 mg of lorazepam is more than" in row.message.text()
    assert service.doses_on(DAY)[0].mg == 1.0
    assert service.generation == generation


def test_the_extra_dose_form_refuses_what_cannot_be_saved(qtbot, page, service):
    form = page.extra_form
    qtbot.keyClicks(form.mg_field, "0")
    assert "more than 0 mg" in form.message.text()
    assert not form.record_button.isEnabled()
    qtbot.keyClick(form.mg_field, Qt.Key.Key_Return)
    form.mg_field.clear()
    qtbot.keyClicks(form.mg_field, "abc")
    assert "must be a number" in form.message.text()
    assert service.doses_on(DAY) == []


def test_a_note_too_long_is_not_saved_and_says_so(qtbot, page, service):
    page.note.setPlainText("x" * 10_001)
    page.save_note()

    assert "10,001 characters" in page.note_message.text()
    assert service.checkin(DAY) is None


def test_a_failed_save_shows_the_banner_and_retry_saves(qtbot, page, service, monkeypatch):
    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_write, "write_all", disk_full)
    insomnia = page.symptom_rows[1]
    insomnia.setFocus()
    qtbot.keyClick(insomnia, Qt.Key.Key_3)

    assert page.banner.isVisible()
    assert "NOT saved" in page.banner.message.text()
    assert "disk is full" in page.banner.message.text()
    assert page.saved_indicator.text() == "Not saved"
    assert ratings(service) == {}
    assert insomnia.value == 3  # what was entered stays on screen for the retry

    monkeypatch.undo()
    qtbot.mouseClick(page.banner.retry_button, Qt.MouseButton.LeftButton)

    assert not page.banner.isVisible()
    assert ratings(reopened(service)) == {"Insomnia": 3}
    assert "Saved at" in page.saved_indicator.text()


# ---- days and the session -------------------------------------------------------------


def test_other_days_open_and_later_than_tomorrow_is_refused(qtbot, page, service):
    earlier = DAY - dt.timedelta(days=3)
    service.record_checkin(earlier, wellbeing=4, note="Three days ago.")

    page.open_day(earlier)
    assert (page.wellbeing.value, page.note.toPlainText()) == (4, "Three days ago.")
    qtbot.mouseClick(page.symptom_rows[0].buttons[1], Qt.MouseButton.LeftButton)
    assert ratings(service, earlier) == {SYMPTOMS[0]: 1}

    qtbot.mouseClick(page.today_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    assert page.day == DAY + dt.timedelta(days=1)
    assert not page.next_button.isEnabled()
    page.open_day(DAY + dt.timedelta(days=2))
    assert page.day == DAY + dt.timedelta(days=1)
    assert "up to tomorrow" in page.date_message.text()


def test_undo_elsewhere_refreshes_the_page(qtbot, page, service):
    qtbot.mouseClick(page.wellbeing.buttons[5], Qt.MouseButton.LeftButton)

    page.on_changed(service.undo())

    assert page.wellbeing.value is None


def test_close_session_clears_every_widget(qtbot, page, service):
    qtbot.mouseClick(page.take_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.symptom_rows[0].buttons[2], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.wellbeing.buttons[6], Qt.MouseButton.LeftButton)
    page.sleep.setValue(8)
    click_check_box(qtbot, page.for_doctor)
    page.note.setPlainText("Private words.")

    page.close_session()

    assert page.symptom_rows == [] and page.dose_rows == [] and page.not_taken_buttons == []
    assert page.wellbeing.value is None
    assert page.sleep.text() == "not logged"
    assert not page.for_doctor.isChecked()
    assert page.note.toPlainText() == ""
    assert page.regimen_label.text() == "" and page.day_title.text() == ""
    assert page.saved_indicator.text() == "" and not page.banner.isVisible()
    assert page.extra_form.medication.count() == 0
    assert not page.isEnabled()
    assert "private words" not in visible_words(page)
