"""The main view: DZ-eq as a step line and symptom burden on a second axis, with holds,
windows and waves as bands, regimen changes and appointments as labelled lines, and a strip
below for sleep and wellbeing.

Three view boxes share the x axis: ``frame`` (behind, y fixed 0-1) holds the bands and the
vertical marks so they always span the full height; the plot's own box holds DZ-eq (left
axis); ``burden_box`` (right axis) holds the burden. Arrays are prepared once in
``set_data``; panning and zooming only re-pick the y ranges and which labels fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics

from diary.charts.axes import date_axis, style_axis
from diary.charts.data import (
    DAY_SECONDS,
    BandKind,
    ChartData,
    FloatArray,
    Mark,
    MarkKind,
    day_x,
    step_xy,
    x_day,
)
from diary.charts.style import DRUG_PEN_STYLES, MARK_PEN_STYLES, ChartStyle

LABEL_ROWS = 3  # staggered rows of mark labels before a label is left out
APPOINTMENT_LABELS_UP_TO_DAYS = 540  # wider views label regimen changes and holds only
LABEL_GAP_PX = 6
STRIP_HEIGHT = 0.05  # windows and waves: a strip along the bottom, as a share of the height
MIN_VISIBLE_DAYS = 7
SYMPTOM_SYMBOLS = ("t", "s", "d", "+", "x", "star", "p", "h")

MARK_WORDS = {
    MarkKind.START: "Start",
    MarkKind.CUT: "Cut",
    MarkKind.UPDOSE: "Reinstatement",
    MarkKind.CROSSOVER: "Crossover",
    MarkKind.APPOINTMENT: "Appointment",
}
BAND_WORDS = {BandKind.HOLD: "Hold", BandKind.WINDOW: "Window", BandKind.WAVE: "Wave"}


@dataclass
class _Label:
    x: float
    item: pg.TextItem
    width_px: float
    priority: int  # lower is placed first: regimen changes, then holds, then appointments


def describe_day(data: ChartData, day: dt.date) -> str:
    """The day's figures in one line, as the hover label shows them."""
    index = data.index_of(day)
    parts = [f"{day:%a} {day.day} {day:%b %Y}"]
    if index is None:
        return parts[0]

    def figure(values: FloatArray, text: str, missing: str) -> None:
        value = float(values[index]) if index < len(values) else float("nan")
        parts.append(text.format(value) if np.isfinite(value) else missing)

    figure(data.dz_total, "DZ-eq {:g} mg", "DZ-eq: no regimen")
    figure(data.burden, "burden {:.0f}%", "burden: not logged")
    figure(data.rolling, "7-day {:.0f}%", "7-day: not enough days")
    figure(data.sleep, "slept {:g} h", "sleep: not logged")
    figure(data.wellbeing, "wellbeing {:.0f}/10", "wellbeing: not logged")
    marks = [m.label for m in data.marks if m.date == day]
    return " · ".join(parts + marks)


class MainChart:
    """Builds the main view into ``layout`` and redraws it from a ``ChartData``."""

    def __init__(self, layout: pg.GraphicsLayout, style: ChartStyle) -> None:
        self.style = style
        self.data = ChartData()
        self.layout = layout
        self._fitting = False  # fit_to_visible sets ranges that can signal back into it
        self.plot: pg.PlotItem = layout.addPlot(row=0, col=0, axisItems={"bottom": date_axis()})
        self.strip: pg.PlotItem = layout.addPlot(row=1, col=0, axisItems={"bottom": date_axis()})
        self.legend = pg.LegendItem(colCount=4)
        layout.addItem(self.legend, row=2, col=0)
        layout.layout.setRowStretchFactor(0, 3)
        layout.layout.setRowStretchFactor(1, 1)
        self._build_boxes()
        self._build_items()
        self.apply_style(style)

    # ---- building -------------------------------------------------------------------
    def _build_boxes(self) -> None:
        self.dz_box: pg.ViewBox = self.plot.getViewBox()
        self.frame = pg.ViewBox(enableMenu=False)
        self.burden_box = pg.ViewBox(enableMenu=False)
        for box in (self.frame, self.burden_box):
            box.setParentItem(self.plot)
            box.setXLink(self.dz_box)
        self.frame.setZValue(self.dz_box.zValue() - 1)
        self.burden_box.setZValue(self.dz_box.zValue() + 1)
        self.frame.setYRange(0, 1, padding=0)
        for box in (self.frame, self.burden_box, self.dz_box):
            box.setMouseEnabled(x=True, y=False)
            box.enableAutoRange(enable=False)
        self.frame.setMouseEnabled(x=False, y=False)
        self.plot.showAxis("right")
        self.plot.getAxis("right").linkToView(self.burden_box)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.strip.setXLink(self.dz_box)
        self.strip.setMouseEnabled(x=True, y=False)
        self.strip.enableAutoRange(enable=False)
        self.strip.hideButtons()
        self.strip.setMenuEnabled(False)
        self.dz_box.sigResized.connect(self._fit_boxes)
        self.dz_box.sigXRangeChanged.connect(lambda *_: self.fit_to_visible())

    def _build_items(self) -> None:
        def curve(box: pg.ViewBox, **options: object) -> pg.PlotDataItem:
            item = pg.PlotDataItem(connect="finite", **options)
            box.addItem(item)
            _thin_to_view(item)
            return item

        self.bands = {kind: pg.BarGraphItem(x0=[], x1=[], y0=[], height=[]) for kind in BandKind}
        for band in self.bands.values():
            self.frame.addItem(band)
        self.mark_lines = {kind: pg.PlotDataItem(connect="pairs") for kind in MarkKind}
        for line in self.mark_lines.values():
            self.frame.addItem(line)
        self.dz_line = curve(self.dz_box)
        self.drug_lines: list[pg.PlotDataItem] = []
        self.burden_points = curve(self.burden_box)
        self.rolling_line = curve(self.burden_box)
        self.symptom_lines: list[pg.PlotDataItem] = []
        self.sleep_line = curve(self.strip.getViewBox())
        self.wellbeing_line = curve(self.strip.getViewBox())
        self.cursor = pg.InfiniteLine(angle=90, movable=False)
        self.cursor.setVisible(False)
        self.frame.addItem(self.cursor, ignoreBounds=True)
        self.labels: list[_Label] = []
        self.shown_symptoms: tuple[str, ...] = ()
        self.show_sleep = True
        self.show_wellbeing = True

    def _fit_boxes(self) -> None:
        rect = self.dz_box.geometry()
        self.frame.setGeometry(rect)
        self.burden_box.setGeometry(rect)

    # ---- style ----------------------------------------------------------------------
    def apply_style(self, style: ChartStyle) -> None:
        self.style = style
        style_axis(self.plot.getAxis("left"), style, "DZ-eq (mg/day)")
        style_axis(self.plot.getAxis("right"), style, "Symptom burden (%)")
        style_axis(self.plot.getAxis("bottom"), style)
        style_axis(self.strip.getAxis("left"), style, "Sleep h · wellbeing")
        style_axis(self.strip.getAxis("bottom"), style)
        self.plot.getAxis("left").setTextPen(QColor(style.dz))
        self.plot.getAxis("right").setTextPen(QColor(style.burden))
        for band_kind, band in self.bands.items():
            band.setOpts(brush=style.band_brush(band_kind), pen=pg.mkPen(None))
        for mark_kind, line in self.mark_lines.items():
            width = 1.0 if mark_kind is MarkKind.APPOINTMENT else 1.5
            line.setPen(style.pen(style.marks[mark_kind], width, MARK_PEN_STYLES[mark_kind]))
        self.dz_line.setPen(style.pen(style.dz, style.line_width + 0.5))
        self.burden_points.setPen(None)
        burden_fill = QColor(style.burden)
        burden_fill.setAlpha(150)
        self.burden_points.setSymbol("o")
        self.burden_points.setSymbolSize(max(4, style.text_px // 3))
        self.burden_points.setSymbolBrush(burden_fill)
        self.burden_points.setSymbolPen(None)
        self.rolling_line.setPen(style.pen(style.burden, style.line_width))
        self.sleep_line.setPen(style.daily_pen(style.sleep, Qt.PenStyle.DashDotLine))
        self.wellbeing_line.setPen(style.daily_pen(style.wellbeing, Qt.PenStyle.DotLine))
        self.cursor.setPen(style.pen(style.text, 1, Qt.PenStyle.DotLine))
        self.legend.setLabelTextColor(QColor(style.text))
        self.legend.setLabelTextSize(f"{style.text_px}px")
        self.set_data(self.data)

    # ---- data -----------------------------------------------------------------------
    def set_data(self, data: ChartData) -> None:
        """Prepare every array for ``data``: the one expensive step, once per change."""
        self.data = data
        starts = data.starts()
        self._starts = starts
        self.dz_line.setData(*step_xy(starts, data.dz_total))
        self._set_drug_lines(starts)
        middles = data.middles()
        self.burden_points.setData(middles, data.burden)
        self.rolling_line.setData(middles, data.rolling)
        self._set_symptom_lines(middles)
        _show_or_clear(self.sleep_line, middles, data.sleep, self.show_sleep)
        _show_or_clear(self.wellbeing_line, middles, data.wellbeing, self.show_wellbeing)
        self.strip.setVisible(self.show_sleep or self.show_wellbeing)
        self._set_bands()
        self._set_marks()
        self._set_legend()
        self._set_limits()
        self.fit_to_visible()

    def set_series_shown(self, symptoms: tuple[str, ...], sleep: bool, wellbeing: bool) -> None:
        """Which per-symptom lines, and whether sleep and wellbeing, are drawn."""
        self.shown_symptoms = symptoms
        self.show_sleep = sleep
        self.show_wellbeing = wellbeing
        self.set_data(self.data)

    def _set_drug_lines(self, starts: FloatArray) -> None:
        for line in self.drug_lines:
            self.dz_box.removeItem(line)
        self.drug_lines = []
        for number, (drug, values) in enumerate(sorted(self.data.dz_by_drug.items())):
            colour = self.style.drugs[number % len(self.style.drugs)]
            pen_style = DRUG_PEN_STYLES[number % len(DRUG_PEN_STYLES)]
            line = pg.PlotDataItem(
                *step_xy(starts, values),
                connect="finite",
                pen=self.style.pen(colour, self.style.line_width, pen_style),
                name=f"{drug.capitalize()} (DZ-eq)",
            )
            self.dz_box.addItem(line)
            self.drug_lines.append(line)

    def _set_symptom_lines(self, middles: FloatArray) -> None:
        for line in self.symptom_lines:
            self.burden_box.removeItem(line)
        self.symptom_lines = []
        for number, name in enumerate(self.shown_symptoms):
            if name not in self.data.symptoms:
                continue
            row = self.data.severity[self.data.symptoms.index(name)]
            colour = self.style.drugs[number % len(self.style.drugs)]
            line = pg.PlotDataItem(
                middles,
                row * 25.0,  # 0-4 as a share of the most severe rating, like the burden
                connect="finite",
                pen=self.style.pen(colour, 1.2),
                symbol=SYMPTOM_SYMBOLS[number % len(SYMPTOM_SYMBOLS)],
                symbolSize=max(5, self.style.text_px // 2),
                symbolBrush=QColor(colour),
                symbolPen=None,
                name=name,
            )
            self.burden_box.addItem(line)
            _thin_to_view(line)
            self.symptom_lines.append(line)

    def _set_bands(self) -> None:
        for kind, item in self.bands.items():
            bands = self.data.bands_of(kind)
            height = 1.0 if kind is BandKind.HOLD else STRIP_HEIGHT
            item.setOpts(
                x0=np.array([day_x(b.start) for b in bands], dtype=np.float64),
                x1=np.array([day_x(b.end) + DAY_SECONDS for b in bands], dtype=np.float64),
                y0=np.zeros(len(bands)),
                height=np.full(len(bands), height),
            )

    def _set_marks(self) -> None:
        for kind, line in self.mark_lines.items():
            xs = np.array([day_x(m.date) for m in self.data.marks_of(kind)], dtype=np.float64)
            line.setData(np.repeat(xs, 2), np.tile([0.0, 1.0], len(xs)))
        for label in self.labels:
            self.frame.removeItem(label.item)
        metrics = QFontMetrics(self.style.small_font())
        self.labels = [self._label(mark, metrics) for mark in self._labelled_marks()]
        for band in self.data.bands_of(BandKind.HOLD):
            self.labels.append(self._band_label(day_x(band.start), band.label or "Hold", metrics))

    def _labelled_marks(self) -> list[Mark]:
        return [m for m in self.data.marks if m.kind is not MarkKind.START]

    def _label(self, mark: Mark, metrics: QFontMetrics) -> _Label:
        appointment = mark.kind is MarkKind.APPOINTMENT
        colour = self.style.muted if appointment else self.style.marks[mark.kind]
        item = pg.TextItem(mark.label, color=QColor(colour), anchor=(0, 0))
        item.setFont(self.style.small_font())
        self.frame.addItem(item, ignoreBounds=True)
        width = metrics.horizontalAdvance(mark.label) + 8
        return _Label(day_x(mark.date), item, width, 2 if appointment else 0)

    def _band_label(self, x: float, text: str, metrics: QFontMetrics) -> _Label:
        item = pg.TextItem(text, color=QColor(self.style.text), anchor=(0, 0))
        item.setFont(self.style.small_font())
        self.frame.addItem(item, ignoreBounds=True)
        return _Label(x, item, metrics.horizontalAdvance(text) + 8, 1)

    def _set_legend(self) -> None:
        self.legend.clear()
        style = self.style
        self.legend.addItem(self.dz_line, "DZ-eq total")
        for line in self.drug_lines:
            self.legend.addItem(line, line.name())
        self.legend.addItem(self.burden_points, "Burden (day)")
        self.legend.addItem(self.rolling_line, "Burden (7-day)")
        for line in self.symptom_lines:
            self.legend.addItem(line, line.name())
        if self.show_sleep:
            self.legend.addItem(self.sleep_line, "Hours slept")
        if self.show_wellbeing:
            self.legend.addItem(self.wellbeing_line, "Wellbeing 0-10")
        for kind in (MarkKind.CUT, MarkKind.UPDOSE, MarkKind.CROSSOVER, MarkKind.APPOINTMENT):
            if self.data.marks_of(kind):
                sample = pg.PlotDataItem(
                    pen=style.pen(style.marks[kind], 1.5, MARK_PEN_STYLES[kind])
                )
                self.legend.addItem(sample, MARK_WORDS[kind])
        for band_kind, item in self.bands.items():
            if self.data.bands_of(band_kind):
                self.legend.addItem(item, BAND_WORDS[band_kind])

    def _set_limits(self) -> None:
        if self.data.is_empty:
            return
        assert self.data.first is not None and self.data.last is not None
        low = day_x(self.data.first) - DAY_SECONDS
        high = day_x(self.data.last) + 2 * DAY_SECONDS
        self.dz_box.setLimits(xMin=low, xMax=high, minXRange=MIN_VISIBLE_DAYS * DAY_SECONDS)

    # ---- range, y fitting, labels ---------------------------------------------------
    def show_days(self, first: dt.date, last: dt.date) -> None:
        """Show ``first`` to ``last`` inclusive."""
        self.dz_box.setXRange(day_x(first), day_x(last) + DAY_SECONDS, padding=0)

    def visible_days(self) -> tuple[dt.date, dt.date]:
        low, high = self.dz_box.viewRange()[0]
        return x_day(low + DAY_SECONDS / 2), x_day(high - DAY_SECONDS / 2)

    def fit_to_visible(self) -> None:
        """Fit each y axis to the data in view, from 0; place the labels that fit."""
        if self._fitting:
            return
        self._fitting = True
        try:
            self._fit_to_visible()
        finally:
            self._fitting = False

    def _fit_to_visible(self) -> None:
        low, high = self.dz_box.viewRange()[0]
        starts = self._starts
        first = int(np.searchsorted(starts, low - DAY_SECONDS))
        last = int(np.searchsorted(starts, high)) + 1
        dz_top = _top(self.data.dz_total, first, last, minimum=1.0)
        for values in self.data.dz_by_drug.values():
            dz_top = max(dz_top, _top(values, first, last, minimum=1.0))
        self.dz_box.setYRange(0, dz_top * 1.12, padding=0)
        burden_top = _top(self.data.burden, first, last, minimum=10.0)
        for name in self.shown_symptoms:
            if name in self.data.symptoms:
                row = self.data.severity[self.data.symptoms.index(name)] * 25.0
                burden_top = max(burden_top, _top(row, first, last, minimum=10.0))
        self.burden_box.setYRange(0, min(100.0, burden_top * 1.12), padding=0)
        sleep_top = _top(self.data.sleep, first, last, minimum=10.0) if self.show_sleep else 10.0
        self.strip.setYRange(0, sleep_top * 1.1, padding=0)
        self._place_labels(low, high)

    def _place_labels(self, low: float, high: float) -> None:
        """Greedy by priority, then left to right: each label takes the first row where it
        overlaps no label already placed; a label with no room is left out until the view is
        zoomed in. Appointments are labelled only in views of up to about eighteen months."""
        per_px = (high - low) / max(1.0, self.dz_box.width())
        line_px = QFontMetrics(self.style.small_font()).height() + 2
        height_px = max(1.0, self.dz_box.height())
        with_appointments = (high - low) / DAY_SECONDS <= APPOINTMENT_LABELS_UP_TO_DAYS
        rows: list[list[tuple[float, float]]] = [[] for _ in range(LABEL_ROWS)]
        for label in sorted(self.labels, key=lambda lab: (lab.priority, lab.x)):
            start = label.x + 3 * per_px
            end = start + (label.width_px + LABEL_GAP_PX) * per_px
            # A label that would run past the right edge is left out rather than cut off.
            inside = low <= label.x and end <= high
            wanted = inside and (label.priority < 2 or with_appointments)
            row = next(
                (
                    number
                    for number, taken in enumerate(rows)
                    if all(end <= a or start >= b for a, b in taken)
                ),
                None,
            )
            if not wanted or row is None:
                label.item.setVisible(False)
                continue
            rows[row].append((start, end))
            label.item.setPos(start, 1.0 - row * line_px / height_px)
            label.item.setVisible(True)

    def visible_labels(self) -> list[str]:
        return [lab.item.toPlainText() for lab in self.labels if lab.item.isVisible()]

    # ---- pointer --------------------------------------------------------------------
    def day_at(self, scene_pos: QPointF) -> dt.date | None:
        """The diary day under a point of the scene, or None off the chart or its days."""
        for box in (self.dz_box, self.strip.getViewBox()):
            if box.isVisible() and box.sceneBoundingRect().contains(scene_pos):
                day = x_day(box.mapSceneToView(scene_pos).x())
                return day if self.data.index_of(day) is not None else None
        return None

    def show_cursor(self, day: dt.date | None) -> None:
        if day is None:
            self.cursor.setVisible(False)
            return
        self.cursor.setPos(day_x(day) + DAY_SECONDS / 2)
        self.cursor.setVisible(True)


def _show_or_clear(item: pg.PlotDataItem, x: FloatArray, y: FloatArray, shown: bool) -> None:
    if shown:
        item.setData(x, y)
    else:
        item.clear()


def _thin_to_view(item: pg.PlotDataItem) -> None:
    """Draw only the points in view, and at most about two per pixel column (their minimum
    and maximum, so no peak is lost). Set after the item is in its view box: pyqtgraph looks
    the box up at once."""
    item.setClipToView(True)
    item.setDownsampling(auto=True, method="peak")


def _top(values: FloatArray, first: int, last: int, minimum: float) -> float:
    window = values[max(0, first) : max(0, last)] if len(values) else values
    finite = window[np.isfinite(window)]
    return max(minimum, float(finite.max())) if len(finite) else minimum
