"""Every page by keyboard alone: Tab goes round each page (and each Settings section) and
comes back to where it started, stopping only on visible, enabled widgets that a screen
reader can name, each of which looks different while it has the keyboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QImage
from PySide6.QtWidgets import QApplication, QWidget

from diary import bootstrap
from diary.domain.models import Form, RegimenDose
from diary.ui.main_window import MainWindow
from diary.ui.theme import ThemeMode, apply_theme
from tests.ui.conftest import PASSPHRASE
from tests.ui.test_window import TODAY, open_window

MAX_STOPS = 120  # more than any page has; a walk that never comes back fails
SKIPPED_BY_DESIGN = "QTabBar"  # the page tabs: named by the tab, focus drawn by the style


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def looks(widget: QWidget) -> QImage:
    return widget.grab().toImage()


def walk(qtbot, window: MainWindow, start: QWidget) -> list[str]:
    """Tab from ``start`` until the keyboard is back there; the problems seen on the way."""
    problems: list[str] = []
    current = start
    for _ in range(MAX_STOPS):
        focused_look = looks(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
        reached = QApplication.focusWidget()
        if reached is current:  # a date field steps through its parts first
            continue
        what = f"{type(current).__name__} {accessible_name(current)!r}"
        if type(current).__name__ != SKIPPED_BY_DESIGN and looks(current) == focused_look:
            problems.append(f"{what}: no visible sign of the keyboard focus")
        if reached is None or reached.window() is not window:
            return [*problems, f"Tab left the window after {what}"]
        if reached is start:
            return problems
        label = f"{type(reached).__name__} {accessible_name(reached)!r}"
        if not (reached.isVisible() and reached.isEnabled()):
            problems.append(f"{label}: hidden or disabled, yet Tab stops on it")
        if not accessible_name(reached).strip():
            problems.append(f"{type(reached).__name__}: no accessible name")
        current = reached
    return [*problems, f"Tab never came back to {type(start).__name__}"]


@pytest.fixture(params=[ThemeMode.DARK, ThemeMode.LIGHT])
def themed(request) -> Iterator[None]:
    """The app styled as ``taper-diary`` styles it (the focus rings come from the theme)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.styleSheet(), app.palette(), app.style().name()
    apply_theme(app, request.param)
    yield
    app.setStyleSheet(before[0])
    app.setPalette(before[1])
    app.setStyle(before[2])


@pytest.fixture
def window(qtbot, themed, dialogs, window_settings, sample_diary) -> MainWindow:
    """The sample diary with a regimen, so Today has doses to act on."""
    service = bootstrap.open_diary(sample_diary.path, passphrase=PASSPHRASE)
    try:
        service.add_medication("Valium", "diazepam", Form.TABLET, strength_mg=2)
        doses = [RegimenDose("diazepam", 4, dt.time(hour)) for hour in (8, 20)]
        service.set_regimen(doses, TODAY)
        service.record_checkin(TODAY, ratings={"insomnia": 2})  # Same as yesterday: disabled
    finally:
        service.close()
    return open_window(qtbot, dialogs, window_settings, sample_diary.path)


def test_tab_goes_round_every_page_on_named_visible_widgets(qtbot, window: MainWindow):
    problems: list[str] = []
    for page in window.session_pages:
        window.show_page(page)
        qtbot.wait(10)  # the new page is laid out and painted
        start = QApplication.focusWidget()
        assert start is not None and start.isVisible(), f"{page.title}: no focus on arrival"
        problems += [f"{page.title}: {p}" for p in walk(qtbot, window, start)]
    settings = window.settings_page
    window.show_page(settings)
    for section in settings.sections:
        settings.show_section(section)
        qtbot.wait(10)
        start = QApplication.focusWidget()
        assert start is not None
        problems += [f"Settings > {section.title}: {p}" for p in walk(qtbot, window, start)]
    assert problems == [], "\n".join(problems)


def test_arrow_keys_choose_among_the_chart_views(qtbot, window: MainWindow):
    charts = window.charts_page
    window.show_page(charts)
    views = list(charts.view_button.values())
    assert views[0].hasFocus()
    qtbot.keyClick(views[0], Qt.Key.Key_Right)
    assert views[1].hasFocus()
    qtbot.keyClick(views[1], Qt.Key.Key_Space)
    assert charts.stack.currentWidget() is charts.views[list(charts.view_button)[1]]
