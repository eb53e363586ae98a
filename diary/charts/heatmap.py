"""The symptom heatmap: one row per tracked symptom, one column per day, coloured by the
rating (0-4). A day a symptom was not rated shows the hatched background, never the colour
of 0: "not rated" is not "none"."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGraphicsRectItem

from diary.charts.axes import date_axis, style_axis
from diary.charts.data import DAY_SECONDS, ChartData, day_x, x_day
from diary.charts.style import SEVERITY_COLOURS, SEVERITY_LABELS, ChartStyle

UNRATED_LABEL = "not rated"


def severity_rgba(severity: npt.NDArray[np.float64]) -> npt.NDArray[np.uint8]:
    """RGBA for each rating (rows x days x 4); unrated (NaN) is fully transparent."""
    colours = [QColor(c) for c in SEVERITY_COLOURS]
    lut = np.array([[c.red(), c.green(), c.blue(), 255] for c in colours], dtype=np.uint8)
    rated = np.isfinite(severity)
    levels = np.clip(np.nan_to_num(severity, nan=0.0), 0, 4).astype(np.intp)
    image = lut[levels]
    image[~rated] = 0
    return image


class HeatmapChart:
    """Builds the heatmap into ``layout`` and redraws it from a ``ChartData``."""

    def __init__(self, layout: pg.GraphicsLayout, style: ChartStyle) -> None:
        self.style = style
        self.data = ChartData()
        self.rows: tuple[str, ...] = ()
        self.chosen: tuple[str, ...] | None = None  # None: every tracked symptom
        self.plot: pg.PlotItem = layout.addPlot(row=0, col=0, axisItems={"bottom": date_axis()})
        self.plot.invertY(True)  # the first symptom at the top, as in the Today page
        self.plot.setMouseEnabled(x=True, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.unrated = QGraphicsRectItem()
        self.unrated.setPen(pg.mkPen(None))
        self.plot.addItem(self.unrated)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.legend = pg.LegendItem(colCount=len(SEVERITY_COLOURS) + 1)
        layout.addItem(self.legend, row=1, col=0)
        self.apply_style(style)

    def apply_style(self, style: ChartStyle) -> None:
        self.style = style
        style_axis(self.plot.getAxis("left"), style)
        style_axis(self.plot.getAxis("bottom"), style)
        self.unrated.setBrush(QBrush(QColor(style.muted), Qt.BrushStyle.BDiagPattern))
        self.legend.clear()
        self.legend.setLabelTextColor(QColor(style.text))
        self.legend.setLabelTextSize(f"{style.text_px}px")
        for colour, label in zip(SEVERITY_COLOURS, SEVERITY_LABELS, strict=True):
            sample = pg.BarGraphItem(x0=[], x1=[], y0=[], height=[], brush=QColor(colour))
            self.legend.addItem(sample, label)
        hatched = pg.BarGraphItem(x0=[], x1=[], y0=[], height=[], brush=self.unrated.brush())
        self.legend.addItem(hatched, UNRATED_LABEL)
        self.set_data(self.data)

    def set_data(self, data: ChartData) -> None:
        self.data = data
        self._draw()

    def choose_rows(self, symptoms: tuple[str, ...] | None) -> None:
        """Show only ``symptoms`` (in the diary's order); None shows every tracked one."""
        self.chosen = symptoms
        self._draw()

    def _draw(self) -> None:
        data = self.data
        names = data.symptoms if self.chosen is None else self.chosen
        indexes = [data.symptoms.index(n) for n in names if n in data.symptoms]
        self.rows = tuple(data.symptoms[i] for i in indexes)
        self.plot.getAxis("left").setTicks([[(i + 0.5, n) for i, n in enumerate(self.rows)], []])
        if data.is_empty or not indexes:
            self.image.clear()
            self.unrated.setRect(QRectF())
            return
        assert data.first is not None
        self.cells = data.severity[indexes]
        self.image.setImage(severity_rgba(self.cells), autoLevels=False)
        rect = QRectF(day_x(data.first), 0, data.day_count * DAY_SECONDS, len(indexes))
        self.image.setRect(rect)
        self.unrated.setRect(rect)
        self.plot.setLimits(
            xMin=rect.left() - DAY_SECONDS,
            xMax=rect.right() + DAY_SECONDS,
            minXRange=7 * DAY_SECONDS,
            yMin=0,
            yMax=len(indexes),
        )
        self.plot.setYRange(0, len(indexes), padding=0)

    def show_days(self, first: dt.date, last: dt.date) -> None:
        self.plot.setXRange(day_x(first), day_x(last) + DAY_SECONDS, padding=0)

    def cell_at(self, scene_pos: QPointF) -> tuple[dt.date, str | None] | None:
        """The day and symptom under a point of the scene, or None off the heatmap."""
        box = self.plot.getViewBox()
        if not box.sceneBoundingRect().contains(scene_pos):
            return None
        point = box.mapSceneToView(scene_pos)
        day = x_day(point.x())
        if self.data.index_of(day) is None:
            return None
        row = int(np.floor(point.y()))
        return day, self.rows[row] if 0 <= row < len(self.rows) else None

    def rating(self, day: dt.date, symptom: str) -> float:
        """The rating shown for ``symptom`` on ``day`` (NaN: not rated)."""
        index = self.data.index_of(day)
        if index is None or symptom not in self.rows:
            return float("nan")
        return float(self.cells[self.rows.index(symptom), index])
