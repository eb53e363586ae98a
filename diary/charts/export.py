"""Writing a chart to a PNG or SVG file, the same picture the screen shows.

Both render the chart's part of its scene through a QPainter, the path the PDF report uses
too (pyqtgraph's own SVG exporter fails on hatched brushes and broken lines).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgGenerator

from diary.domain.errors import DiaryError

FORMATS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}
PNG_SCALE = 2  # twice the screen's pixels: sharp when printed or zoomed


def render_chart(chart: pg.GraphicsLayout, painter: QPainter, target: QRectF) -> None:
    """Paint ``chart`` (as it is on screen, background included) into ``target``."""
    scene = chart.scene()
    source = chart.sceneBoundingRect()
    painter.fillRect(target, scene.backgroundBrush())
    scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)


def export_chart(chart: pg.GraphicsLayout, path: Path, background: str) -> Path:
    """Write ``chart`` to ``path`` as PNG or SVG, chosen by the suffix (PNG when none)."""
    if path.suffix.lower() not in FORMATS:
        path = path.with_suffix(".png")
    size = chart.sceneBoundingRect().size().toSize()
    written = (
        _write_svg(chart, path, size, background)
        if path.suffix.lower() == ".svg"
        else _write_png(chart, path, size, background)
    )
    if not written or not path.is_file() or path.stat().st_size == 0:
        raise DiaryError(
            f"The chart could not be saved to {path}. Check the folder can be written."
        )
    return path


def _write_png(chart: pg.GraphicsLayout, path: Path, size: QSize, background: str) -> bool:
    image = QImage(size * PNG_SCALE, QImage.Format.Format_ARGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    render_chart(chart, painter, QRectF(image.rect()))
    painter.end()
    # QImageWriter, not QImage.save: the stubs and the run time agree on its format argument
    return QImageWriter(str(path), b"PNG").write(image)


def _write_svg(chart: pg.GraphicsLayout, path: Path, size: QSize, background: str) -> bool:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle("Taper Diary chart")
    painter = QPainter()
    if not painter.begin(generator):
        return False
    painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor(background))
    render_chart(chart, painter, QRectF(0, 0, size.width(), size.height()))
    return painter.end()
