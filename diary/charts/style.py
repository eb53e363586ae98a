"""Colours, line styles and fonts of the charts.

Colours are Okabe-Ito (Okabe & Ito, "Color Universal Design", 2008), distinguishable with
the common kinds of colour blindness. Every series also differs by line style or symbol, so
the picture still reads in greyscale, as the printed report is.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette, QPen
from PySide6.QtWidgets import QApplication

from diary.charts.data import BandKind, MarkKind

# Okabe-Ito
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"

# Severity 0 (none) to 4 (very severe): five steps of viridis, light and dark both readable,
# ordered by lightness so greyscale keeps the order too.
SEVERITY_COLOURS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
SEVERITY_LABELS = ("0 none", "1 mild", "2 moderate", "3 severe", "4 very severe")

MARK_PEN_STYLES = {
    MarkKind.START: Qt.PenStyle.SolidLine,
    MarkKind.CUT: Qt.PenStyle.DashLine,
    MarkKind.UPDOSE: Qt.PenStyle.SolidLine,
    MarkKind.CROSSOVER: Qt.PenStyle.DashDotLine,
    MarkKind.APPOINTMENT: Qt.PenStyle.DotLine,
}

DRUG_PEN_STYLES = (Qt.PenStyle.DashLine, Qt.PenStyle.DashDotLine, Qt.PenStyle.DotLine)


@dataclass(frozen=True)
class ChartStyle:
    background: str
    text: str
    muted: str
    grid: str
    dz: str
    drugs: tuple[str, ...]
    burden: str
    sleep: str
    wellbeing: str
    marks: dict[MarkKind, str]
    bands: dict[BandKind, tuple[str, int]]  # colour, alpha 0-255
    highlight: str  # the last cut in the cut-aligned view
    earlier: str  # earlier cuts there
    font: QFont
    line_width: float = 2.5
    # Dashes on daily series (thousands of segments) cost Qt tens of milliseconds per paint:
    # the screen tells them apart by colour, paper (printed in grey) by dash pattern.
    dashed_daily_lines: bool = False

    @property
    def text_px(self) -> int:
        size = self.font.pixelSize()
        return size if size > 0 else round(self.font.pointSizeF() * 96 / 72)

    def pen(
        self, colour: str, width: float | None = None, style: Qt.PenStyle | None = None
    ) -> QPen:
        pen = QPen(QColor(colour))
        pen.setWidthF(self.line_width if width is None else width)
        pen.setCosmetic(True)
        if style is not None:
            pen.setStyle(style)
        return pen

    def daily_pen(self, colour: str, style: Qt.PenStyle) -> QPen:
        """A thin pen for a dense daily series: solid on screen, ``style`` on paper."""
        if self.dashed_daily_lines:
            return self.pen(colour, 1.5, style)
        return self.pen(colour, 1)

    def band_brush(self, kind: BandKind) -> QBrush:
        colour, alpha = self.bands[kind]
        fill = QColor(colour)
        fill.setAlpha(alpha)
        if kind is BandKind.WAVE:
            return QBrush(fill, Qt.BrushStyle.BDiagPattern)
        return QBrush(fill)

    def small_font(self) -> QFont:
        font = QFont(self.font)
        font.setPointSizeF(max(6.0, self.font.pointSizeF() * 0.9))
        return font


def _app_font() -> QFont:
    app = QApplication.instance()
    return QFont(app.font()) if isinstance(app, QApplication) else QFont()


def style_from_palette(palette: QPalette, font: QFont | None = None) -> ChartStyle:
    """The on-screen style: the window's theme colours behind Okabe-Ito series."""
    base = palette.color(QPalette.ColorRole.Base)
    dark = base.lightnessF() < 0.5
    text = palette.color(QPalette.ColorRole.Text).name()
    muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
    return ChartStyle(
        background=base.name(),
        text=text,
        muted=muted,
        grid=palette.color(QPalette.ColorRole.Mid).name(),
        dz=SKY_BLUE if dark else BLUE,
        drugs=(YELLOW if dark else BLACK, GREEN, PURPLE),
        burden=VERMILLION if not dark else "#F08040",
        sleep=GREEN,
        wellbeing=PURPLE,
        # Marks stay neutral so they never look like a series; a reinstatement stands out.
        marks={
            MarkKind.START: muted,
            MarkKind.CUT: text,
            MarkKind.UPDOSE: GREEN,
            MarkKind.CROSSOVER: text,
            MarkKind.APPOINTMENT: muted,
        },
        bands={
            BandKind.HOLD: (YELLOW if dark else "#C8B400", 40 if dark else 55),
            BandKind.WINDOW: (GREEN, 70),
            BandKind.WAVE: (PURPLE, 150),
        },
        highlight=ORANGE,
        earlier=muted,
        font=font or _app_font(),
    )


def style_for_print(font: QFont | None = None) -> ChartStyle:
    """Black on white for paper: the report is often printed in black and white."""
    return ChartStyle(
        background="#ffffff",
        text=BLACK,
        muted="#555555",
        grid="#bbbbbb",
        dz=BLUE,
        drugs=(BLACK, GREEN, PURPLE),
        burden=VERMILLION,
        sleep=GREEN,
        wellbeing=PURPLE,
        marks={
            MarkKind.START: "#555555",
            MarkKind.CUT: BLACK,
            MarkKind.UPDOSE: GREEN,
            MarkKind.CROSSOVER: BLACK,
            MarkKind.APPOINTMENT: "#777777",
        },
        bands={
            BandKind.HOLD: ("#999999", 60),
            BandKind.WINDOW: (GREEN, 80),
            BandKind.WAVE: (PURPLE, 170),
        },
        highlight=VERMILLION,
        earlier="#888888",
        font=font or _app_font(),
        dashed_daily_lines=True,
    )
