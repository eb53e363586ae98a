"""The cut-aligned view: the 7-day burden around each cut, by days since the cut, so the
person sees their usual rise and easing and whether the last cut behaves like the others.
The last cut is drawn bold, earlier ones faint, and their median as a dashed line."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from diary.charts.axes import style_axis
from diary.charts.data import AlignedCurve, ChartData, FloatArray, nan_median
from diary.charts.style import ChartStyle

EARLIER_ALPHA = 110


def median_curve(curves: tuple[AlignedCurve, ...]) -> tuple[FloatArray, FloatArray]:
    """Offsets and the median of the curves at each (NaN where fewer than two have a value)."""
    if not curves:
        return np.zeros(0), np.zeros(0)
    return curves[0].offsets, nan_median([c.values for c in curves])


class AlignedChart:
    """Builds the cut-aligned view into ``layout`` and redraws it from a ``ChartData``."""

    def __init__(self, layout: pg.GraphicsLayout, style: ChartStyle) -> None:
        self.style = style
        self.data = ChartData()
        self.plot: pg.PlotItem = layout.addPlot(row=0, col=0)
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.legend = pg.LegendItem(colCount=3)
        layout.addItem(self.legend, row=1, col=0)
        self.zero = pg.InfiniteLine(pos=0, angle=90, movable=False)
        self.plot.addItem(self.zero, ignoreBounds=True)
        self.earlier: list[pg.PlotDataItem] = []
        self.last: pg.PlotDataItem | None = None
        self.median = pg.PlotDataItem(connect="finite")
        self.plot.addItem(self.median)
        self.apply_style(style)

    def apply_style(self, style: ChartStyle) -> None:
        self.style = style
        style_axis(self.plot.getAxis("left"), style, "7-day symptom burden (%)")
        style_axis(self.plot.getAxis("bottom"), style, "Days since the cut")
        self.zero.setPen(style.pen(style.muted, 1, Qt.PenStyle.SolidLine))
        self.legend.setLabelTextColor(QColor(style.text))
        self.legend.setLabelTextSize(f"{style.text_px}px")
        self.set_data(self.data)

    def set_data(self, data: ChartData) -> None:
        self.data = data
        for item in self.earlier:
            self.plot.removeItem(item)
        if self.last is not None:
            self.plot.removeItem(self.last)
        self.earlier, self.last = [], None
        self.legend.clear()
        curves = data.curves
        faint = QColor(self.style.earlier)
        faint.setAlpha(EARLIER_ALPHA)
        for curve in curves[:-1]:
            item = pg.PlotDataItem(curve.offsets, curve.values, connect="finite")
            item.setPen(pg.mkPen(faint, width=1.2, cosmetic=True))
            self.plot.addItem(item)
            self.earlier.append(item)
        offsets, median = median_curve(curves)
        self.median.setData(offsets, median)
        self.median.setPen(self.style.pen(self.style.text, 2.5, Qt.PenStyle.DashLine))
        if curves:
            newest = curves[-1]
            self.last = pg.PlotDataItem(newest.offsets, newest.values, connect="finite")
            self.last.setPen(self.style.pen(self.style.highlight, 3.5))
            self.last.setSymbol("o")
            self.last.setSymbolSize(max(4, self.style.text_px // 3))
            self.last.setSymbolBrush(QColor(self.style.highlight))
            self.last.setSymbolPen(None)
            self.plot.addItem(self.last)
            self.legend.addItem(self.last, f"Last cut ({newest.date:%d %b %Y})")
        if self.earlier:
            self.legend.addItem(self.earlier[0], f"Earlier cuts ({len(self.earlier)})")
        if len(curves) >= 2:
            self.legend.addItem(self.median, "Median of all cuts")
        self._fit()

    def _fit(self) -> None:
        values = [c.values for c in self.data.curves]
        joined = np.concatenate(values) if values else np.empty(0)
        finite = joined[np.isfinite(joined)]
        top = max(10.0, float(np.max(finite))) if finite.size else 10.0
        self.plot.setYRange(0, min(100.0, top * 1.1), padding=0)
        if self.data.curves:
            offsets = self.data.curves[0].offsets
            self.plot.setXRange(float(offsets[0]), float(offsets[-1]), padding=0.02)
