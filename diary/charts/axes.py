"""Axis and layout helpers the three views share: fonts and colours that follow the style."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

from diary.charts.style import ChartStyle


def style_axis(axis: pg.AxisItem, style: ChartStyle, label: str = "") -> None:
    axis.setStyle(tickFont=style.font, tickTextOffset=max(4, style.text_px // 3))
    axis.setTextPen(QColor(style.text))
    axis.setPen(QColor(style.muted))
    if label:
        axis.setLabel(label, color=style.text, **{"font-size": f"{style.text_px}px"})


def date_axis() -> pg.DateAxisItem:
    # Day coordinates are UTC midnights (see data.day_x), so no zone offset is applied.
    return pg.DateAxisItem(orientation="bottom", utcOffset=0)
