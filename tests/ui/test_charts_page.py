"""The Charts page on a real encrypted diary with known content: what it draws, hover,
click, range presets, export, the heatmap's unrated cells and clearing on lock."""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from diary.bootstrap import create_diary
from diary.charts.data import DAY_SECONDS, BandKind, MarkKind, day_x
from diary.domain.models import ChangeKind, EventKind, Form, RegimenDose
from diary.services.demo import write_demo
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams
from diary.ui.pages.charts_page import ChartsPage, Preset, View
from tests.ui.conftest import PASSPHRASE, RecordingDialogs

FIRST = dt.date(2024, 1, 1)
LAST = dt.date(2024, 3, 31)
CUTS = (dt.date(2024, 1, 20), dt.date(2024, 3, 10))
UPDOSE = dt.date(2024, 2, 10)
CROSSOVER = dt.date(2024, 3, 1)
APPOINTMENTS = (dt.date(2024, 1, 10), dt.date(2024, 3, 5))
HOLD = (dt.date(2024, 2, 10), dt.date(2024, 2, 25))
NOT_LOGGED = (dt.date(2024, 1, 5), dt.date(2024, 1, 6), dt.date(2024, 1, 7))
ANXIETY_UNRATED = dt.date(2024, 2, 1)  # insomnia rated, anxiety not
ANXIETY_NONE = dt.date(2024, 2, 2)  # anxiety rated 0
KNOWN_DAY = dt.date(2024, 2, 14)
MORNING = dt.time(8)


def _doses(diazepam_mg: float, clonazepam_mg: float = 0.0) -> list[RegimenDose]:
    doses = [RegimenDose("diazepam", diazepam_mg, MORNING)]
    if clonazepam_mg:
        doses.append(RegimenDose("clonazepam", clonazepam_mg, dt.time(20)))
    return doses


def _fill(service: DiaryService) -> tuple[str, str]:
    service.add_medication("Valium 2", "diazepam", Form.TABLET, strength_mg=2)
    service.add_medication("Klonopin 0.5", "clonazepam", Form.TABLET, strength_mg=0.5)
    service.set_regimen(_doses(10), FIRST)
    service.set_regimen(_doses(9), CUTS[0], ChangeKind.CUT)
    service.set_regimen(_doses(10), UPDOSE, ChangeKind.UPDOSE, reason="too fast")
    service.set_regimen(_doses(5, 0.25), CROSSOVER, ChangeKind.CROSSOVER)
    service.set_regimen(_doses(4, 0.25), CUTS[1], ChangeKind.CUT)
    service.start_hold(HOLD[0], "settling")
    service.end_hold(HOLD[1])
    for day, title in zip(APPOINTMENTS, ("GP visit", "Prescriber"), strict=True):
        service.add_event(day, EventKind.APPOINTMENT, title)
    anxiety, insomnia = (s.name for s in service.symptoms()[:2])
    day = FIRST
    while day <= LAST:
        if day not in NOT_LOGGED:
            ratings = {insomnia: 2, anxiety: 1}
            if day == ANXIETY_UNRATED:
                ratings = {insomnia: 2}
            if day == ANXIETY_NONE:
                ratings = {insomnia: 2, anxiety: 0}
            service.record_checkin(day, ratings=ratings, sleep_hours=7.0, wellbeing=6)
        day += dt.timedelta(days=1)
    return anxiety, insomnia


@pytest.fixture
def service(tmp_path: Path) -> Iterator[DiaryService]:
    opened, _ = create_diary(tmp_path / "diary.tpd", PASSPHRASE, kdf=KdfParams.MINIMUM)
    yield opened
    opened.close()


@pytest.fixture
def symptoms(service: DiaryService) -> tuple[str, str]:
    return _fill(service)


@pytest.fixture
def saved_to(tmp_path: Path) -> list[Path]:
    return []


@pytest.fixture
def page(qtbot, service, symptoms, dialogs: RecordingDialogs, tmp_path, saved_to) -> ChartsPage:
    def choose(_parent: QWidget, _title: str, suggested: str, _filter: str) -> Path:
        path = tmp_path / suggested
        saved_to.append(path)
        return path

    page = ChartsPage(dialogs, choose_path=choose, today=lambda: LAST)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    page.open_session(service)
    page.apply_preset(Preset.ALL)
    return page


def _scene_point(page: ChartsPage, day: dt.date) -> QPointF:
    box = page.main.dz_box
    low, high = box.viewRange()[1]
    return box.mapViewToScene(QPointF(day_x(day) + DAY_SECONDS / 2, (low + high) / 2))


def _widget_point(page: ChartsPage, view: View, scene_point: QPointF) -> QPoint:
    return page.views[view].mapFromScene(scene_point)


def test_the_main_view_draws_one_line_per_regimen_change_and_appointment(page: ChartsPage):
    def lines(kind: MarkKind) -> int:
        x, _ = page.main.mark_lines[kind].getData()
        return 0 if x is None else len(x) // 2  # two points per vertical line

    assert lines(MarkKind.CUT) == len(CUTS)
    assert lines(MarkKind.UPDOSE) == 1
    assert lines(MarkKind.CROSSOVER) == 1
    assert lines(MarkKind.APPOINTMENT) == len(APPOINTMENTS)
    holds = page.main.bands[BandKind.HOLD].opts
    assert list(holds["x0"]) == [day_x(HOLD[0])]
    assert list(holds["x1"]) == [day_x(HOLD[1]) + DAY_SECONDS]
    assert "Reinstated +11%" in page.main.visible_labels()


def test_one_burden_point_per_logged_day_and_gaps_where_nothing_was_logged(page: ChartsPage):
    x, y = page.main.burden_points.getData()
    logged = (LAST - FIRST).days + 1 - len(NOT_LOGGED)
    assert np.count_nonzero(np.isfinite(page.data.burden)) == logged
    assert np.count_nonzero(np.isfinite(y)) == logged
    for day in NOT_LOGGED:
        index = page.data.index_of(day)
        assert index is not None
        assert math.isnan(page.data.burden[index])
        assert math.isnan(page.data.sleep[index])
    assert page.main.rolling_line.opts["connect"] == "finite"


def test_the_per_drug_lines_appear_during_the_crossover_only(page: ChartsPage):
    assert sorted(page.data.dz_by_drug) == ["clonazepam", "diazepam"]
    diazepam = page.data.dz_by_drug["diazepam"]
    before = page.data.index_of(CROSSOVER - dt.timedelta(days=5))
    assert before is not None and math.isnan(diazepam[before])
    assert diazepam[page.data.index_of(CROSSOVER)] == 5


def test_hovering_a_day_shows_its_figures(qtbot, page: ChartsPage):
    point = _widget_point(page, View.MAIN, _scene_point(page, KNOWN_DAY))
    qtbot.mouseMove(page.views[View.MAIN].viewport(), point)
    qtbot.waitUntil(lambda: page.hovered_day == KNOWN_DAY)
    text = page.hover_label.text()
    assert "14 Feb 2024" in text
    assert "DZ-eq 10 mg" in text
    assert "burden 38%" in text  # (2 + 1) of 2 x 4 = 37.5%
    assert "slept 7 h" in text and "wellbeing 6/10" in text


def test_hovering_a_day_not_logged_says_so(page: ChartsPage):
    page.hover(View.MAIN, _scene_point(page, NOT_LOGGED[1]))
    assert "burden: not logged" in page.hover_label.text()


def test_clicking_a_day_asks_to_open_it(qtbot, page: ChartsPage):
    point = _widget_point(page, View.MAIN, _scene_point(page, KNOWN_DAY))
    with qtbot.waitSignal(page.open_day, timeout=2000) as opened:
        qtbot.mouseClick(page.views[View.MAIN].viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert opened.args == [KNOWN_DAY]


@pytest.mark.parametrize(
    ("preset", "first"),
    [
        (Preset.DAYS_30, LAST - dt.timedelta(days=29)),
        (Preset.DAYS_90, LAST - dt.timedelta(days=89)),
        (Preset.YEAR, FIRST),  # the diary is shorter than a year
        (Preset.SINCE_APPOINTMENT, APPOINTMENTS[-1]),
        (Preset.ALL, FIRST),
    ],
)
def test_range_presets_show_their_days(qtbot, page: ChartsPage, preset: Preset, first: dt.date):
    qtbot.mouseClick(page.preset_button[preset], Qt.MouseButton.LeftButton)
    assert page.main.visible_days() == (first, LAST)
    low, high = page.heatmap.plot.getViewBox().viewRange()[0]
    assert (low, high) == (day_x(first), day_x(LAST) + DAY_SECONDS)


def test_the_chart_exports_as_png_and_svg(qtbot, page: ChartsPage, saved_to: list[Path]):
    qtbot.mouseClick(page.export_png, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.view_button[View.HEATMAP], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.export_svg, Qt.MouseButton.LeftButton)
    png, svg = saved_to
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(png))
    assert not image.isNull() and image.width() > 200
    root = ElementTree.parse(svg).getroot()
    assert root.tag.endswith("svg")
    assert "heatmap" in svg.name


def test_the_heatmap_tells_unrated_apart_from_none(page: ChartsPage, symptoms):
    anxiety, _ = symptoms
    heatmap = page.heatmap
    assert math.isnan(heatmap.rating(ANXIETY_UNRATED, anxiety))
    assert heatmap.rating(ANXIETY_NONE, anxiety) == 0
    pixels = heatmap.image.image
    row = heatmap.rows.index(anxiety)
    unrated, none = (pixels[row, page.data.index_of(d)] for d in (ANXIETY_UNRATED, ANXIETY_NONE))
    assert unrated[3] == 0  # transparent: the hatched "not rated" background shows
    assert none[3] == 255
    page.show_view(View.HEATMAP)
    box = heatmap.plot.getViewBox()
    middle = box.mapViewToScene(QPointF(day_x(ANXIETY_UNRATED) + DAY_SECONDS / 2, row + 0.5))
    page.hover(View.HEATMAP, middle)
    assert f"{anxiety}: not rated" in page.hover_label.text()


def test_unticking_a_symptom_removes_its_heatmap_row(page: ChartsPage, symptoms):
    anxiety, _ = symptoms
    item = page.symptom_list.findItems(anxiety, Qt.MatchFlag.MatchExactly)[0]
    item.setCheckState(Qt.CheckState.Unchecked)
    assert anxiety not in page.heatmap.rows
    assert len(page.heatmap.rows) == len(page.data.symptoms) - 1


def test_symptom_lines_sleep_and_wellbeing_toggle(page: ChartsPage, symptoms):
    page.symptom_lines.setChecked(True)
    assert {line.name() for line in page.main.symptom_lines} == set(page.chosen_symptoms())
    page.show_sleep.setChecked(False)
    page.show_wellbeing.setChecked(False)
    assert page.main.sleep_line.getData()[1] is None  # nothing drawn
    assert not page.main.strip.isVisible()


def test_the_cut_aligned_view_has_one_curve_per_cut_and_highlights_the_last(page: ChartsPage):
    assert [c.date for c in page.data.curves] == list(CUTS)
    assert len(page.aligned.earlier) == len(CUTS) - 1
    assert page.aligned.last is not None
    offsets, _ = page.aligned.last.getData()
    assert offsets[0] == -14 and offsets[-1] == 60


def test_close_session_clears_the_plots(page: ChartsPage):
    page.hover(View.MAIN, _scene_point(page, KNOWN_DAY))
    page.close_session()
    assert page.data.is_empty
    x, _ = page.main.burden_points.getData()
    assert x is None or len(x) == 0
    assert page.main.labels == []
    assert page.heatmap.rows == ()
    assert page.aligned.last is None and page.aligned.earlier == []
    assert page.symptom_list.count() == 0
    assert page.hover_label.text().strip() == ""


def test_an_empty_diary_says_nothing_is_logged(qtbot, tmp_path: Path, dialogs):
    service, _ = create_diary(tmp_path / "empty.tpd", PASSPHRASE, kdf=KdfParams.MINIMUM)
    page = ChartsPage(dialogs, today=lambda: LAST)
    qtbot.addWidget(page)
    page.show()
    try:
        page.open_session(service)
        assert page.data.is_empty
        assert page.empty_note.isVisible()
    finally:
        service.close()


def test_labels_never_overlap_on_the_ten_year_demo(qtbot, tmp_path: Path, dialogs):
    service, _ = create_diary(tmp_path / "demo.tpd", PASSPHRASE, kdf=KdfParams.MINIMUM)
    end = dt.date(2025, 6, 1)
    write_demo(service, days=3650, end=end)
    page = ChartsPage(dialogs, today=lambda: end)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    qtbot.waitExposed(page)
    try:
        page.open_session(service)
        for preset in (Preset.ALL, Preset.YEAR, Preset.DAYS_90):
            page.apply_preset(preset)
            shown = [lab.item for lab in page.main.labels if lab.item.isVisible()]
            assert shown
            rects = [item.sceneBoundingRect() for item in shown]
            for i, first in enumerate(rects):
                assert not any(first.intersects(other) for other in rects[i + 1 :])
    finally:
        service.close()


def test_a_new_check_in_shows_once_the_page_is_seen(qtbot, page: ChartsPage, service, symptoms):
    _, insomnia = symptoms
    day = NOT_LOGGED[0]
    page.hide()
    changes = service.record_checkin(day, ratings={insomnia: 4})
    page.on_changed(changes)
    assert math.isnan(page.data.burden[page.data.index_of(day)])  # not rebuilt while hidden
    page.show()
    qtbot.waitUntil(lambda: page.data.burden[page.data.index_of(day)] == 100)


def test_a_new_diary_with_only_a_regimen_draws_without_looping(qtbot, tmp_path: Path, dialogs):
    # A one-day regimen and no check-ins once made the y-fit re-signal the x range endlessly
    # (RecursionError, then the app hung); found by trying the app as a new user.
    service, _ = create_diary(tmp_path / "new.tpd", PASSPHRASE, kdf=KdfParams.MINIMUM)
    try:
        service.add_medication("Diazepam 5 mg", "diazepam", strength_mg=5.0, split=2)
        service.set_regimen(_doses(7.5), dt.date.today(), ChangeKind.START)
        page = ChartsPage(dialogs)
        qtbot.addWidget(page)
        page.resize(1200, 800)
        page.show()
        qtbot.waitExposed(page)

        page.open_session(service)
        qtbot.wait(50)

        assert page.main.data.dz_total[-1] == pytest.approx(7.5)
        page.close_session()
    finally:
        service.close()
