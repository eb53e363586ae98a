"""A small page-layout engine for the report: blocks of wrapped text, tables and charts,
measured in points (the paint device is always 72 dpi, see ``render.configure``) and placed
top to bottom on pages.

Every line of text is measured before it is placed, so nothing is clipped: long text wraps
(at word boundaries, or anywhere for a very long word) and a block with a line limit ends
with a visible marker instead of running off the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPaintDevice,
    QPainter,
    QPen,
    QTextLayout,
    QTextOption,
)

SHORTENED = " \N{HORIZONTAL ELLIPSIS} [shortened]"
CELL_PAD = 3.0
RULE = QColor("#777777")
HEADER_FILL = QColor("#e6e6e6")


def font(size: float, bold: bool = False, italic: bool = False) -> QFont:
    result = QFont("DejaVu Sans")
    result.setPointSizeF(size)
    result.setBold(bold)
    result.setItalic(italic)
    result.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No ligatures: text copied from the PDF (or searched in it) keeps plain "fi" and "fl".
    for tag in ("liga", "clig"):
        result.setFeature(QFont.Tag(tag), 0)
    return result


@dataclass(frozen=True)
class Fonts:
    body: QFont = field(default_factory=lambda: font(8.5))
    bold: QFont = field(default_factory=lambda: font(8.5, bold=True))
    small: QFont = field(default_factory=lambda: font(7.5))
    note: QFont = field(default_factory=lambda: font(8.5, italic=True))
    heading: QFont = field(default_factory=lambda: font(10.5, bold=True))
    title: QFont = field(default_factory=lambda: font(14, bold=True))


class Measure:
    """Font metrics on the report's paint device (72 dpi: one unit is one point)."""

    def __init__(self, device: QPaintDevice) -> None:
        self.device = device
        self._metrics: dict[str, QFontMetricsF] = {}

    def metrics(self, of: QFont) -> QFontMetricsF:
        key = of.key()
        if key not in self._metrics:
            self._metrics[key] = QFontMetricsF(of, self.device)
        return self._metrics[key]

    def line_height(self, of: QFont) -> float:
        return self.metrics(of).lineSpacing()

    def wrap(self, text: str, of: QFont, width: float, max_lines: int | None = None) -> list[str]:
        """``text`` as lines no wider than ``width``; with ``max_lines``, the last line kept
        ends with the shortened marker when text was left out."""
        lines: list[str] = []
        for paragraph in text.splitlines() or [""]:
            lines += self._wrap_paragraph(paragraph, of, width)
            if max_lines is not None and len(lines) > max_lines:
                break
        if max_lines is None or len(lines) <= max_lines:
            return lines
        metrics = self.metrics(of)
        room = max(1.0, width - metrics.horizontalAdvance(SHORTENED))
        last = metrics.elidedText(lines[max_lines - 1], Qt.TextElideMode.ElideRight, room)
        last = last.rstrip("\N{HORIZONTAL ELLIPSIS}").rstrip()
        return [*lines[: max_lines - 1], last + SHORTENED]

    def _wrap_paragraph(self, text: str, of: QFont, width: float) -> list[str]:
        if not text.strip():
            return [""]
        layout = QTextLayout(text, of, self.device)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            start = line.textStart()
            lines.append(text[start : start + line.textLength()].rstrip())
        layout.endLayout()
        return lines

    def fit(self, text: str, of: QFont, width: float) -> str:
        """One line: ``text`` itself, or cut short with an ellipsis."""
        return self.metrics(of).elidedText(
            " ".join(text.split()), Qt.TextElideMode.ElideRight, width
        )


def draw_lines(
    painter: QPainter,
    measure: Measure,
    lines: list[str],
    of: QFont,
    x: float,
    y: float,
    width: float = 0.0,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> float:
    """Draw ``lines`` from ``y`` (their top); returns the y below the last line."""
    metrics = measure.metrics(of)
    painter.setFont(of)
    for line in lines:
        left = x
        if align == Qt.AlignmentFlag.AlignRight and width:
            left = x + width - metrics.horizontalAdvance(line)
        painter.drawText(QPointF(left, y + metrics.ascent()), line)
        y += metrics.lineSpacing()
    return y


class Block:
    """Something placed on a page: ``height`` for the page width, then ``paint``."""

    keep_with_next = False

    def height(self, measure: Measure, width: float) -> float:
        raise NotImplementedError

    def paint(self, painter: QPainter, measure: Measure, x: float, y: float, width: float) -> None:
        raise NotImplementedError

    def split(
        self, measure: Measure, width: float, room: float
    ) -> tuple[Block | None, Block | None]:
        """The part that fits in ``room`` and the rest; unsplittable blocks move whole."""
        return None, self


@dataclass
class Gap(Block):
    size: float

    def height(self, measure: Measure, width: float) -> float:
        return self.size

    def paint(self, painter: QPainter, measure: Measure, x: float, y: float, width: float) -> None:
        return None


class PageBreak(Block):
    """What follows starts on a new page."""

    def height(self, measure: Measure, width: float) -> float:
        return 0.0

    def paint(self, painter: QPainter, measure: Measure, x: float, y: float, width: float) -> None:
        return None


@dataclass
class Text(Block):
    text: str
    of: QFont
    max_lines: int | None = None
    after: float = 3.0
    indent: float = 0.0
    colour: str = "#000000"
    keep: bool = False
    before: float = 0.0

    def __post_init__(self) -> None:
        self.keep_with_next = self.keep

    def lines(self, measure: Measure, width: float) -> list[str]:
        return measure.wrap(self.text, self.of, width - self.indent, self.max_lines)

    def height(self, measure: Measure, width: float) -> float:
        lines = len(self.lines(measure, width))
        return self.before + lines * measure.line_height(self.of) + self.after

    def paint(self, painter: QPainter, measure: Measure, x: float, y: float, width: float) -> None:
        painter.setPen(QColor(self.colour))
        lines = self.lines(measure, width)
        draw_lines(painter, measure, lines, self.of, x + self.indent, y + self.before)


def heading(text: str, fonts: Fonts) -> Text:
    return Text(text, fonts.heading, max_lines=2, after=2.0, keep=True, before=4.0)


class Align(Enum):
    LEFT = Qt.AlignmentFlag.AlignLeft
    RIGHT = Qt.AlignmentFlag.AlignRight


@dataclass(frozen=True)
class Column:
    title: str
    share: float  # of the table's width
    align: Align = Align.LEFT
    max_lines: int = 2


@dataclass
class Table(Block):
    """Rows of wrapped cells under a shaded header row; splits between rows, repeating the
    header on the next page."""

    columns: list[Column]
    rows: list[list[str]]
    fonts: Fonts
    after: float = 6.0
    _cache: dict[float, list[list[list[str]]]] = field(default_factory=dict, repr=False)
    note: str = ""  # small print under the last row: it never lands on a page of its own

    def _widths(self, width: float) -> list[float]:
        total = sum(c.share for c in self.columns)
        return [width * c.share / total for c in self.columns]

    def _cells(self, measure: Measure, width: float) -> list[list[list[str]]]:
        if width not in self._cache:
            widths = self._widths(width)
            self._cache[width] = [
                [
                    measure.wrap(cell, self.fonts.body, w - 2 * CELL_PAD, column.max_lines)
                    for cell, w, column in zip(row, widths, self.columns, strict=True)
                ]
                for row in self.rows
            ]
        return self._cache[width]

    def _header_lines(self, measure: Measure, width: float) -> list[list[str]]:
        return [
            measure.wrap(c.title, self.fonts.bold, w - 2 * CELL_PAD, 2)
            for c, w in zip(self.columns, self._widths(width), strict=True)
        ]

    def _header_height(self, measure: Measure, width: float) -> float:
        lines = max(len(cell) for cell in self._header_lines(measure, width))
        return lines * measure.line_height(self.fonts.bold) + 2 * CELL_PAD

    def _row_heights(self, measure: Measure, width: float) -> list[float]:
        line = measure.line_height(self.fonts.body)
        return [
            max(len(c) for c in row) * line + 2 * CELL_PAD for row in self._cells(measure, width)
        ]

    def _note_lines(self, measure: Measure, width: float) -> list[str]:
        return measure.wrap(self.note, self.fonts.small, width, 3) if self.note else []

    def _note_height(self, measure: Measure, width: float) -> float:
        lines = self._note_lines(measure, width)
        return len(lines) * measure.line_height(self.fonts.small) + (2.0 if lines else 0.0)

    def height(self, measure: Measure, width: float) -> float:
        rows = sum(self._row_heights(measure, width)) + self._note_height(measure, width)
        return self._header_height(measure, width) + rows + self.after

    def split(
        self, measure: Measure, width: float, room: float
    ) -> tuple[Block | None, Block | None]:
        used = self._header_height(measure, width)
        count = 0
        for row_height in self._row_heights(measure, width):
            if used + row_height > room:
                break
            used += row_height
            count += 1
        if count == len(self.rows):
            count -= 1  # the note did not fit: the last row goes on with it
        if count <= 0:
            return None, self
        cells = self._cells(measure, width)
        # The wrapped cells go with each part: a long table is wrapped once, not per page.
        head, tail = self.rows[:count], self.rows[count:]
        first = Table(self.columns, head, self.fonts, 2.0, {width: cells[:count]})
        rest = Table(self.columns, tail, self.fonts, self.after, {width: cells[count:]}, self.note)
        return first, rest

    def paint(self, painter: QPainter, measure: Measure, x: float, y: float, width: float) -> None:
        widths = self._widths(width)
        header_height = self._header_height(measure, width)
        painter.fillRect(QRectF(x, y, width, header_height), HEADER_FILL)
        painter.setPen(QColor("#000000"))
        self._paint_row(
            painter, measure, self._header_lines(measure, width), self.fonts.bold, x, y, widths
        )
        y += header_height
        for cells, row_height in zip(
            self._cells(measure, width), self._row_heights(measure, width), strict=True
        ):
            painter.setPen(QColor("#000000"))
            self._paint_row(painter, measure, cells, self.fonts.body, x, y, widths)
            y += row_height
            painter.setPen(QPen(RULE, 0.4))
            painter.drawLine(QPointF(x, y), QPointF(x + width, y))
        if self.note:
            painter.setPen(QColor("#000000"))
            lines = self._note_lines(measure, width)
            draw_lines(painter, measure, lines, self.fonts.small, x, y + 2.0)

    def _paint_row(
        self,
        painter: QPainter,
        measure: Measure,
        cells: list[list[str]],
        of: QFont,
        x: float,
        y: float,
        widths: list[float],
    ) -> None:
        for lines, w, column in zip(cells, widths, self.columns, strict=True):
            draw_lines(
                painter,
                measure,
                lines,
                of,
                x + CELL_PAD,
                y + CELL_PAD,
                w - 2 * CELL_PAD,
                column.align.value,
            )
            x += w


@dataclass
class Figure(Block):
    """A chart drawn by ``draw`` into its rectangle (vector: it paints through QPainter)."""

    size: float
    draw: Callable[[QPainter, QRectF], None]
    after: float = 6.0

    def height(self, measure: Measure, width: float) -> float:
        return self.size + self.after

    def paint(self, painter: QPainter, measure: Measure, x: float, y: float, width: float) -> None:
        painter.save()
        self.draw(painter, QRectF(x, y, width, self.size))
        painter.restore()


@dataclass
class Placed:
    block: Block
    y: float


@dataclass
class Page:
    placed: list[Placed] = field(default_factory=list)


def flow(
    blocks: list[Block], measure: Measure, width: float, top: float, bottom: float
) -> list[Page]:
    """Place ``blocks`` on as many pages as they need, from ``top`` to ``bottom`` on each.
    A heading stays with the block after it; a table too long for the rest of a page
    continues on the next one."""
    pages = [Page()]
    y = top
    index = 0
    pending = list(blocks)
    while index < len(pending):
        block = pending[index]
        if isinstance(block, PageBreak):
            if pages[-1].placed:
                pages.append(Page())
                y = top
            index += 1
            continue
        needed = block.height(measure, width)
        if block.keep_with_next and index + 1 < len(pending):
            following = pending[index + 1]
            first_part, _ = following.split(measure, width, bottom - y - needed)
            if first_part is None and following.height(measure, width) > bottom - y - needed:
                needed = bottom - top + 1 if y > top else needed  # move the heading on
        if y + needed <= bottom:
            pages[-1].placed.append(Placed(block, y))
            y += block.height(measure, width)
            index += 1
            continue
        part, rest = block.split(measure, width, bottom - y)
        if part is not None and rest is not None:
            pages[-1].placed.append(Placed(part, y))
            pending[index] = rest
        elif y == top:
            # Taller than a whole page and cannot split: it is placed and cut at the bottom.
            pages[-1].placed.append(Placed(block, y))
            index += 1
        pages.append(Page())
        y = top
    return [page for page in pages if page.placed] or [Page()]


@dataclass(frozen=True)
class Swatch:
    """One legend entry: a line sample (``pen``), a filled box (``brush``) or a dot."""

    label: str
    pen: QPen | None = None
    brush: QBrush | None = None
    dot: bool = False


@dataclass
class Legend(Block):
    """A chart's key drawn as page text (pyqtgraph's own legend mis-sizes its text on paper)."""

    swatches: list[Swatch]
    of: QFont
    after: float = 4.0
    sample: float = 18.0
    gap: float = 12.0

    def _rows(self, measure: Measure, width: float) -> list[list[tuple[Swatch, float]]]:
        metrics = measure.metrics(self.of)
        rows: list[list[tuple[Swatch, float]]] = [[]]
        used = 0.0
        for swatch in self.swatches:
            size = self.sample + 4 + metrics.horizontalAdvance(swatch.label) + self.gap
            if rows[-1] and used + size > width:
                rows.append([])
                used = 0.0
            rows[-1].append((swatch, size))
            used += size
        return rows

    def height(self, measure: Measure, width: float) -> float:
        return len(self._rows(measure, width)) * measure.line_height(self.of) + self.after

    def paint(self, painter: QPainter, measure: Measure, x: float, y: float, width: float) -> None:
        line = measure.line_height(self.of)
        for row in self._rows(measure, width):
            left = x
            middle = y + line / 2
            for swatch, size in row:
                box = QRectF(left, middle - line * 0.3, self.sample, line * 0.6)
                painter.save()
                if swatch.brush is not None:
                    painter.fillRect(box, swatch.brush)
                    painter.setPen(QPen(RULE, 0.4))
                    painter.drawRect(box)
                if swatch.pen is not None and not swatch.dot:
                    painter.setPen(swatch.pen)
                    painter.drawLine(QPointF(box.left(), middle), QPointF(box.right(), middle))
                if swatch.dot and swatch.pen is not None:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(swatch.pen.color())
                    painter.drawEllipse(QPointF(box.center().x(), middle), 2.2, 2.2)
                painter.restore()
                painter.setPen(QColor("#000000"))
                draw_lines(painter, measure, [swatch.label], self.of, left + self.sample + 4, y)
                left += size
            y += line
