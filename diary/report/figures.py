"""The report's charts: the Charts page's own builders (``MainChart``, ``HeatmapChart``) in
the print style, built offscreen at a size of the same shape as their place on the page and
painted through QPainter, so the PDF gets vector lines and real text, not a picture."""

from __future__ import annotations

import datetime as dt
import types

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import QApplication

from diary.charts.data import BandKind, ChartData, MarkKind
from diary.charts.export import render_chart
from diary.charts.heatmap import UNRATED_LABEL, HeatmapChart
from diary.charts.main_view import BAND_WORDS, MARK_WORDS, MainChart
from diary.charts.style import (
    MARK_PEN_STYLES,
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    style_for_print,
)
from diary.report.layout import Swatch

# Scene pixels per point of paper: the chart is laid out a little larger than its place
# and scaled down, so its 10 px text prints at about 7.5 pt.
SCENE_PER_POINT = 1.35
CHART_TEXT_PX = 10


class PrintedChart:
    """One chart, kept alive until the pages are painted."""

    def __init__(self, width_pt: float, height_pt: float) -> None:
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setBackground("#ffffff")
        size = (round(width_pt * SCENE_PER_POINT), round(height_pt * SCENE_PER_POINT))
        self.widget.resize(*size)
        self.widget.ci.setGeometry(QRectF(0, 0, *size))
        font = QFont("DejaVu Sans")
        font.setPixelSize(CHART_TEXT_PX)
        self.style = style_for_print(font)
        self.chart: MainChart | HeatmapChart | None = None
        self.swatches: list[Swatch] = []

    def settle(self) -> None:
        """Lay the scene out at its final size. Qt lays out only shown widgets; this one is
        "shown" without ever reaching the screen."""
        self.widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.widget.show()
        QApplication.processEvents()
        self.widget.ci.setGeometry(QRectF(0, 0, self.widget.width(), self.widget.height()))
        QApplication.processEvents()

    def paint_axes_directly(self) -> None:
        """pyqtgraph caches each axis as a QPicture, which Qt replays scaled by the ratio of
        the screen's dpi to the page's: ticks and dates would land in the wrong places. On
        paper each axis draws straight onto the page's painter instead."""
        for item in self.widget.scene().items():
            if isinstance(item, pg.AxisItem):
                item.paint = types.MethodType(_paint_axis, item)

    def release(self) -> None:
        """Drop the offscreen widget (before the application ends)."""
        self.widget.close()
        self.widget.deleteLater()

    def draw(self, painter: QPainter, target: QRectF) -> None:
        self.prepare_for_paper()
        render_chart(self.widget.ci, painter, target)

    def prepare_for_paper(self) -> None:
        """Export mode makes pyqtgraph draw each scatter symbol as a vector shape instead of
        stamping cached bitmaps, so no raster image ends up in the PDF."""
        for item in self.widget.scene().items():
            if isinstance(item, pg.GraphicsItem):
                item.setExportMode(True, {"antialias": True})
        self.paint_axes_directly()


def _paint_axis(axis: pg.AxisItem, painter: QPainter, *_: object) -> None:
    painter.save()
    if axis.style["tickFont"]:
        painter.setFont(axis.style["tickFont"])
    specs = axis.generateDrawSpecs(painter)
    if specs is not None:
        axis.drawPicture(painter, *specs)
    painter.restore()


def _drop_legend(printed: PrintedChart, legend: pg.LegendItem, row: int) -> None:
    legend.setVisible(False)
    legend.setMaximumHeight(0)
    printed.widget.ci.layout.setRowStretchFactor(row, 0)


def _main_swatches(chart: MainChart) -> list[Swatch]:
    """The key of the main view, as its own legend lists it."""
    style, data = chart.style, chart.data
    swatches = [Swatch("DZ-eq total", pen=chart.dz_line.opts["pen"])]
    swatches += [Swatch(line.name(), pen=line.opts["pen"]) for line in chart.drug_lines]
    swatches.append(Swatch("Burden (day)", pen=style.pen(style.burden), dot=True))
    swatches.append(Swatch("Burden (7-day)", pen=chart.rolling_line.opts["pen"]))
    for kind in (MarkKind.CUT, MarkKind.UPDOSE, MarkKind.CROSSOVER, MarkKind.APPOINTMENT):
        if data.marks_of(kind):
            pen = style.pen(style.marks[kind], 1.5, MARK_PEN_STYLES[kind])
            swatches.append(Swatch(MARK_WORDS[kind], pen=pen))
    for band in BandKind:
        if data.bands_of(band):
            swatches.append(Swatch(BAND_WORDS[band], brush=style.band_brush(band)))
    return swatches


def main_chart(
    data: ChartData, first: dt.date, last: dt.date, width_pt: float, height_pt: float
) -> PrintedChart:
    """DZ-eq and burden with holds, cuts and reinstatements marked, ``first`` to ``last``."""
    printed = PrintedChart(width_pt, height_pt)
    chart = MainChart(printed.widget.ci, printed.style)
    chart.show_sleep = False
    chart.show_wellbeing = False
    # Page 1 has no room for the sleep strip: its row gives all its height to the plot.
    chart.strip.setMaximumHeight(0)
    printed.widget.ci.layout.setRowStretchFactor(1, 0)
    chart.set_data(data)
    _drop_legend(printed, chart.legend, row=2)
    printed.settle()
    chart.show_days(first, last)
    chart.fit_to_visible()
    printed.chart = chart
    printed.swatches = _main_swatches(chart)
    return printed


def heatmap_chart(
    data: ChartData, first: dt.date, last: dt.date, width_pt: float, height_pt: float
) -> PrintedChart:
    printed = PrintedChart(width_pt, height_pt)
    chart = HeatmapChart(printed.widget.ci, printed.style)
    chart.set_data(data)
    _drop_legend(printed, chart.legend, row=1)
    printed.settle()
    chart.show_days(first, last)
    printed.chart = chart
    unrated = QBrush(QColor(printed.style.muted), Qt.BrushStyle.BDiagPattern)
    printed.swatches = [
        Swatch(label, brush=QBrush(QColor(colour)))
        for colour, label in zip(SEVERITY_COLOURS, SEVERITY_LABELS, strict=True)
    ] + [Swatch(UNRATED_LABEL, brush=unrated)]
    return printed
