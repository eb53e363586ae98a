"""The Charts page: the main view (DZ-eq and symptom burden over time), the symptom heatmap
and the cut-aligned view, with range presets, hover figures, toggles and export.

It reads the diary through ``charts.adapter`` once per change and never changes it; opening
a day in Today is the ``open_day`` signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from diary.charts.adapter import chart_data
from diary.charts.aligned import AlignedChart
from diary.charts.data import ChartData
from diary.charts.export import FORMATS, export_chart
from diary.charts.heatmap import HeatmapChart
from diary.charts.main_view import MainChart, describe_day
from diary.charts.style import ChartStyle, style_from_palette
from diary.domain.changes import Changes
from diary.domain.errors import DiaryError
from diary.services.diary_service import DiaryService
from diary.ui.dialogs import Dialogs
from diary.ui.widgets.form_parts import explanation_label

# parent, title, suggested file name, file-type filter -> the chosen path, or None
ChoosePath = Callable[[QWidget, str, str, str], Path | None]

SIDE_WIDTH_IN_CHARACTERS = 34


def ask_save_path(parent: QWidget, title: str, suggested: str, file_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return Path(chosen) if chosen else None


class View(Enum):
    MAIN = "Dose and symptoms"
    HEATMAP = "Symptom heatmap"
    ALIGNED = "Around each cut"


class Preset(Enum):
    DAYS_30 = ("30 days", 30)
    DAYS_90 = ("90 days", 90)
    YEAR = ("1 year", 365)
    SINCE_APPOINTMENT = ("Since last appointment", None)
    ALL = ("All", None)

    def __init__(self, label: str, days: int | None) -> None:
        self.label = label
        self.days = days


def preset_days(preset: Preset, data: ChartData) -> tuple[dt.date, dt.date] | None:
    """The first and last day a preset shows, or None when the diary has no days."""
    if data.first is None or data.last is None:
        return None
    last = data.last
    if preset.days is not None:
        return max(data.first, last - dt.timedelta(days=preset.days - 1)), last
    if preset is Preset.SINCE_APPOINTMENT:
        appointment = data.last_appointment()
        if appointment is not None and appointment < last:
            return appointment, last
    return data.first, last


class ChartsPage(QWidget):
    title = "Charts"
    open_day = Signal(object)  # dt.date: the day to open in the Today page

    def __init__(
        self,
        dialogs: Dialogs,
        choose_path: ChoosePath = ask_save_path,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._dialogs = dialogs
        self._choose_path = choose_path
        self._today = today
        self._service: DiaryService | None = None
        self.data = ChartData()
        self.preset = Preset.YEAR
        self.hovered_day: dt.date | None = None
        self._stale = False  # changed while hidden: rebuilt when next shown
        self._build_charts()
        self._build_controls()
        self._lay_out()
        self._connect()
        self._mark_chosen_buttons()
        self.show_view(View.MAIN)

    # ---- building -------------------------------------------------------------------
    def _build_charts(self) -> None:
        style = self._style()
        self.stack = QStackedWidget()
        self.views: dict[View, pg.GraphicsLayoutWidget] = {}
        for view in View:
            widget = pg.GraphicsLayoutWidget()
            widget.setBackground(style.background)
            widget.setAccessibleName(f"Chart: {view.value}")
            self.views[view] = widget
            self.stack.addWidget(widget)
        self.main = MainChart(self.views[View.MAIN].ci, style)
        self.heatmap = HeatmapChart(self.views[View.HEATMAP].ci, style)
        self.aligned = AlignedChart(self.views[View.ALIGNED].ci, style)

    def _build_controls(self) -> None:
        self.view_buttons = QButtonGroup(self)
        self.view_button: dict[View, QPushButton] = {}
        for view in View:
            button = QPushButton(view.value)
            button.setCheckable(True)
            self.view_buttons.addButton(button)
            self.view_button[view] = button
        self.preset_button: dict[Preset, QPushButton] = {}
        self.preset_buttons = QButtonGroup(self)
        for preset in Preset:
            button = QPushButton(preset.label)
            button.setCheckable(True)
            button.setAccessibleName(f"Show {preset.label.lower()}")
            self.preset_buttons.addButton(button)
            self.preset_button[preset] = button
        self.export_png = QPushButton("Save as &PNG\N{HORIZONTAL ELLIPSIS}")
        self.export_svg = QPushButton("Save as &SVG\N{HORIZONTAL ELLIPSIS}")
        self.hover_label = QLabel(" ")
        self.hover_label.setAccessibleName("The figures of the day under the pointer")
        self.hover_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = explanation_label(
            "Drag or scroll to move and zoom through time. Click a day to open it in Today."
        )
        self.empty_note = explanation_label(
            "Nothing is logged yet. The charts fill in as days, doses and check-ins are recorded."
        )
        self.empty_note.hide()
        self.show_sleep = QCheckBox("H&ours slept")
        self.show_wellbeing = QCheckBox("&Wellbeing")
        self.symptom_lines = QCheckBox("Chosen symptoms as &lines")
        for box in (self.show_sleep, self.show_wellbeing):
            box.setChecked(True)
        self.symptom_list = QListWidget()
        self.symptom_list.setAccessibleName("Symptoms to show")

    def _lay_out(self) -> None:
        views = QHBoxLayout()
        for button in self.view_button.values():
            views.addWidget(button)
        views.addStretch(1)
        views.addWidget(self.export_png)
        views.addWidget(self.export_svg)
        presets = QHBoxLayout()
        presets.addWidget(QLabel("Show:"))
        for button in self.preset_button.values():
            presets.addWidget(button)
        presets.addStretch(1)
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Also show</b>"))
        side.addWidget(self.show_sleep)
        side.addWidget(self.show_wellbeing)
        side.addWidget(self.symptom_lines)
        side.addWidget(QLabel("<b>Symptoms</b>"))
        side.addWidget(self.symptom_list, 1)
        self.side = QWidget()
        self.side.setLayout(side)
        self.side.setFixedWidth(self.fontMetrics().averageCharWidth() * SIDE_WIDTH_IN_CHARACTERS)
        body = QHBoxLayout()
        body.addWidget(self.stack, 1)
        body.addWidget(self.side)
        layout = QVBoxLayout(self)
        layout.addLayout(views)
        layout.addLayout(presets)
        layout.addWidget(self.hover_label)
        layout.addWidget(self.empty_note)
        layout.addLayout(body, 1)
        layout.addWidget(self.hint)

    def _connect(self) -> None:
        for view, button in self.view_button.items():
            button.clicked.connect(lambda _checked=False, v=view: self.show_view(v))
        for preset, button in self.preset_button.items():
            button.clicked.connect(lambda _checked=False, p=preset: self.apply_preset(p))
        self.export_png.clicked.connect(lambda: self.export(".png"))
        self.export_svg.clicked.connect(lambda: self.export(".svg"))
        for box in (self.show_sleep, self.show_wellbeing, self.symptom_lines):
            box.toggled.connect(self._series_toggled)
        self.symptom_list.itemChanged.connect(lambda _item: self._series_toggled())
        for view, widget in self.views.items():
            if view is View.ALIGNED:
                continue
            scene = widget.scene()
            scene.sigMouseMoved.connect(lambda pos, v=view: self.hover(v, pos))
            scene.sigMouseClicked.connect(lambda event, v=view: self._clicked(v, event))

    def _style(self) -> ChartStyle:
        return style_from_palette(self.palette(), self.font())

    def _mark_chosen_buttons(self) -> None:
        """The chosen view and range look pressed, in the theme's selection colour; a chart
        with the keyboard (a screen reader names it) has the focus ring."""
        palette = self.palette()
        chosen = palette.color(palette.ColorRole.Highlight).name()
        chosen_text = palette.color(palette.ColorRole.HighlightedText).name()
        ring = palette.color(palette.ColorRole.Link).name()
        self.setStyleSheet(
            f"QPushButton:checked {{ background: {chosen}; color: {chosen_text}; }}"
            " QGraphicsView { border: 3px solid transparent; }"
            f" QGraphicsView:focus {{ border: 3px solid {ring}; }}"
        )

    # ---- the page protocol ----------------------------------------------------------
    def open_session(self, service: DiaryService) -> None:
        self._service = service
        self.reload()
        self.apply_preset(self.preset)

    def close_session(self) -> None:
        """Forget the diary: empty charts, no figures, no symptom names."""
        self._service = None
        self._stale = False
        self._set_data(ChartData())
        self.hover_label.setText(" ")
        self.hovered_day = None
        self.empty_note.hide()

    def on_changed(self, changes: Changes) -> None:
        if (
            changes.checkins
            or changes.doses
            or changes.holds
            or changes.events
            or changes.regimen
            or changes.symptoms
            or changes.settings
        ):
            if self.isVisible():
                self._reload_keeping_range()
            else:
                self._stale = True  # a few hundred ms on ten years: not while unseen

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._reload_keeping_range()

    def _reload_keeping_range(self) -> None:
        shown = self.main.visible_days() if not self.data.is_empty else None
        self.reload()
        if shown is not None:
            self.show_days(*shown)

    def focus_first_field(self) -> None:
        self.view_button[self.current_view()].setFocus()

    def reload(self) -> None:
        if self._service is None:
            return
        self._stale = False
        self._set_data(chart_data(self._service, self._today()))
        self.empty_note.setVisible(self.data.is_empty)

    def _set_data(self, data: ChartData) -> None:
        self.data = data
        self._fill_symptom_list()
        self.main.shown_symptoms = self.chosen_line_symptoms()
        self.main.show_sleep = self.show_sleep.isChecked()
        self.main.show_wellbeing = self.show_wellbeing.isChecked()
        self.main.set_data(data)
        self.heatmap.set_data(data)
        self.heatmap.choose_rows(self.chosen_symptoms())
        self.aligned.set_data(data)

    def _fill_symptom_list(self) -> None:
        previous = {
            self.symptom_list.item(i).text(): self.symptom_list.item(i).checkState()
            for i in range(self.symptom_list.count())
        }
        self.symptom_list.blockSignals(True)
        self.symptom_list.clear()
        for name in self.data.symptoms:
            item = QListWidgetItem(name)
            item.setToolTip(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(previous.get(name, Qt.CheckState.Checked))
            self.symptom_list.addItem(item)
        self.symptom_list.blockSignals(False)

    # ---- views, ranges, toggles -----------------------------------------------------
    def current_view(self) -> View:
        widget = self.stack.currentWidget()
        return next(v for v, w in self.views.items() if w is widget)

    def show_view(self, view: View) -> None:
        self.stack.setCurrentWidget(self.views[view])
        self.view_button[view].setChecked(True)
        dated = view is not View.ALIGNED
        for button in self.preset_button.values():
            button.setEnabled(dated)
        self.symptom_lines.setEnabled(view is View.MAIN)
        self.show_sleep.setEnabled(view is View.MAIN)
        self.show_wellbeing.setEnabled(view is View.MAIN)

    def apply_preset(self, preset: Preset) -> None:
        self.preset = preset
        self.preset_button[preset].setChecked(True)
        days = preset_days(preset, self.data)
        if days is not None:
            self.show_days(*days)

    def show_days(self, first: dt.date, last: dt.date) -> None:
        self.main.show_days(first, last)
        self.heatmap.show_days(first, last)

    def chosen_symptoms(self) -> tuple[str, ...]:
        return tuple(
            self.symptom_list.item(i).text()
            for i in range(self.symptom_list.count())
            if self.symptom_list.item(i).checkState() == Qt.CheckState.Checked
        )

    def chosen_line_symptoms(self) -> tuple[str, ...]:
        return self.chosen_symptoms() if self.symptom_lines.isChecked() else ()

    def _series_toggled(self) -> None:
        self.main.set_series_shown(
            self.chosen_line_symptoms(),
            self.show_sleep.isChecked(),
            self.show_wellbeing.isChecked(),
        )
        self.heatmap.choose_rows(self.chosen_symptoms())

    # ---- pointer --------------------------------------------------------------------
    def hover(self, view: View, scene_pos: QPointF) -> None:
        """Show the figures of the day under ``scene_pos`` (a point of that view's scene)."""
        day, symptom = self._day_at(view, scene_pos)
        self.hovered_day = day
        self.main.show_cursor(day if view is View.MAIN else None)
        if day is None:
            self.hover_label.setText(" ")
            return
        text = describe_day(self.data, day)
        if symptom is not None:
            rating = self.heatmap.rating(day, symptom)
            text += f" · {symptom}: " + (f"{rating:.0f}/4" if rating == rating else "not rated")
        self.hover_label.setText(text)

    def _day_at(self, view: View, scene_pos: QPointF) -> tuple[dt.date | None, str | None]:
        if view is View.MAIN:
            return self.main.day_at(scene_pos), None
        cell = self.heatmap.cell_at(scene_pos)
        return (None, None) if cell is None else cell

    def _clicked(self, view: View, event: MouseClickEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        day, _ = self._day_at(view, event.scenePos())
        if day is not None:
            self.open_day.emit(day)

    # ---- export ---------------------------------------------------------------------
    def export(self, suffix: str) -> Path | None:
        """Ask where to save the chart showing now, and save it as PNG or SVG."""
        view = self.current_view()
        suggested = f"taper-diary-{view.name.lower()}-{self._today():%Y-%m-%d}{suffix}"
        path = self._choose_path(self, "Save the chart", suggested, FORMATS[suffix])
        if path is None:
            return None
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            return export_chart(self.views[view].ci, path, self._style().background)
        except DiaryError as error:
            self._dialogs.show_error(self, "The chart was not saved", error.message)
            return None

    # ---- theme and text size --------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        built = hasattr(self, "aligned")  # Qt sends these while the page is being built
        if built and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            style = self._style()
            if event.type() == QEvent.Type.PaletteChange:
                self._mark_chosen_buttons()
            for widget in self.views.values():
                widget.setBackground(style.background)
            for chart in (self.main, self.heatmap, self.aligned):
                chart.apply_style(style)
