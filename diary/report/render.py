"""One painting path for every output: the PDF file, the printer and the on-screen preview.

``paint_document`` paints all pages onto a QPdfWriter or a QPrinter set up by ``configure``
(72 dpi, so one unit is one point and the charts' fonts and lines keep their proportions);
the preview paints the same pages into images.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import (
    QColor,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from diary.domain.errors import DiaryError
from diary.report.content import gather
from diary.report.document import DPI, Document, build_document, paint_page
from diary.report.options import Paper, ReportOptions
from diary.services.diary_service import DiaryService
from diary.storage import atomic_write

PDF_TITLE = "Taper Diary appointment summary"
CREATOR = "Taper Diary"
PAGE_SIZES = {Paper.A4: QPageSize.PageSizeId.A4, Paper.LETTER: QPageSize.PageSizeId.Letter}


def application() -> QApplication:
    """The running QApplication, or a new one; without a display it draws offscreen, so
    ``taper-diary report`` works over SSH and in scripts."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication([PDF_TITLE])


def write_report(service: DiaryService, options: ReportOptions, path: Path, today: dt.date) -> int:
    """Build the report and save it to ``path``; returns the number of pages."""
    application()
    document = build(service, options, today)
    try:
        save_pdf(document, path)
        return document.page_count
    finally:
        document.release()


def build(service: DiaryService, options: ReportOptions, today: dt.date) -> Document:
    """Check ``options``, read the period and lay out the pages."""
    return build_document(gather(service, options.checked(today), today))


def configure(device: QPdfWriter | QPrinter, paper: Paper) -> None:
    """Paper size, no device margins (the pages draw their own) and 72 dpi."""
    layout = QPageLayout(
        QPageSize(PAGE_SIZES[paper]),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
    )
    device.setPageLayout(layout)
    device.setResolution(round(DPI))


def paint_document(device: QPagedPaintDevice, document: Document) -> bool:
    """Paint every page onto ``device`` (already configured); False if it cannot be painted."""
    painter = QPainter()
    if not painter.begin(device):
        return False
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for index in range(document.page_count):
        if index:
            device.newPage()
        paint_page(painter, document, index)
    return painter.end()


def pdf_bytes(document: Document) -> bytes:
    """The whole PDF in memory: title and creator only in its metadata."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(PDF_TITLE)
    writer.setCreator(CREATOR)
    configure(writer, document.content.options.paper)
    painted = paint_document(writer, document)
    del writer  # finishes the file
    buffer.close()
    if not painted:
        raise DiaryError("The report could not be drawn, so nothing was written.")
    return bytes(data.data())


def save_pdf(document: Document, path: Path) -> Path:
    """Write the PDF to ``path`` whole or not at all: a temp file in the same folder, then
    ``os.replace``."""
    data = pdf_bytes(document)
    if path.is_dir():
        raise DiaryError(f"{path} is a folder; give a file name for the report.")
    try:
        temp = atomic_write.write_temp(path, data)
        try:
            atomic_write.replace(temp, path)
        except OSError:
            atomic_write.remove_quietly(temp)
            raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise DiaryError(
            f"The report could not be written to {path} ({reason}), so nothing was saved."
        ) from None
    return path


def preview_images(document: Document, scale: float = 1.0) -> list[QImage]:
    """Each page as an image, ``scale`` pixels per point, painted by the same code."""
    images = []
    size = QSizeF(document.width * scale, document.height * scale).toSize()
    dots = round(DPI / 0.0254)
    for index in range(document.page_count):
        image = QImage(size, QImage.Format.Format_RGB32)
        # 72 dpi so fonts are measured as on paper; the painter scales to the pixels.
        image.setDotsPerMeterX(dots)
        image.setDotsPerMeterY(dots)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        paint_page(painter, document, index)
        painter.end()
        images.append(image)
    return images
