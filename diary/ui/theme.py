"""Colours, text size and focus rings.

The dark palette is made for light-sensitive eyes: no pure white on pure black, muted
accents, and a clearly visible focus ring on whatever has the keyboard. By default the
theme follows the system (dark when the system does not say). The Settings page chooses the
theme and text size (remembered in QSettings, applied live by ``LiveAppearance``);
``TAPER_DIARY_THEME`` (dark, light or system) and ``TAPER_DIARY_TEXT_SCALE`` (e.g. 2 or 200%)
decide over that choice while they are set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, QSettings, Qt, QTemporaryDir
from PySide6.QtGui import QColor, QFontInfo, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEME_ENV = "TAPER_DIARY_THEME"
TEXT_SCALE_ENV = "TAPER_DIARY_TEXT_SCALE"
MIN_TEXT_SCALE, MAX_TEXT_SCALE = 0.75, 3.0


class ThemeMode(StrEnum):
    SYSTEM = "system"
    DARK = "dark"
    LIGHT = "light"


@dataclass(frozen=True)
class Colours:
    window: str
    base: str
    alternate: str
    raised: str
    text: str
    muted_text: str
    disabled_text: str
    accent: str
    selection: str
    selection_text: str
    border: str  # gridlines and separators
    field_border: str  # outlines that show where a control is: at least 3:1 (WCAG 1.4.11)
    problem: str
    fine: str


DARK = Colours(
    window="#1f2226",
    base="#262a2f",
    alternate="#2b3036",
    raised="#30363d",
    text="#d5d8dc",
    muted_text="#a3aab2",
    disabled_text="#6f767e",
    accent="#8fb3d9",
    selection="#3f5a75",
    selection_text="#eceff2",
    border="#454c55",
    field_border="#7a828b",
    problem="#e3a383",
    fine="#a3cfa6",
)

LIGHT = Colours(
    window="#f2f1ee",
    base="#fbfaf8",
    alternate="#f0eeea",
    raised="#e6e4df",
    text="#23262a",
    muted_text="#555b62",
    disabled_text="#9a9ea3",
    accent="#2f5f8f",
    selection="#c5d7ea",
    selection_text="#16191c",
    border="#b9bcc0",
    field_border="#7b8086",
    problem="#9c3d17",
    fine="#2e6b34",
)


def text_scale_from_env() -> float:
    raw = os.environ.get(TEXT_SCALE_ENV, "").strip().rstrip("%")
    if not raw:
        return 1.0
    try:
        value = float(raw)
    except ValueError:
        return 1.0
    if value > 10:  # given as a percentage
        value /= 100
    return min(max(value, MIN_TEXT_SCALE), MAX_TEXT_SCALE)


def mode_from_env() -> ThemeMode:
    try:
        return ThemeMode(os.environ.get(THEME_ENV, ThemeMode.SYSTEM).strip().lower())
    except ValueError:
        return ThemeMode.SYSTEM


def colours_for(mode: ThemeMode, app: QApplication) -> Colours:
    if mode is ThemeMode.LIGHT:
        return LIGHT
    if mode is ThemeMode.DARK:
        return DARK
    return LIGHT if app.styleHints().colorScheme() == Qt.ColorScheme.Light else DARK


def apply_theme(app: QApplication, mode: ThemeMode) -> Colours:
    app.setStyle(QStyleFactory.create("Fusion"))
    colours = colours_for(mode, app)
    app.setPalette(palette_for(colours))
    app.setStyleSheet(style_sheet(colours, QFontInfo(app.font()).pixelSize()))
    return colours


def palette_for(c: Colours) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: c.window,
        QPalette.ColorRole.WindowText: c.text,
        QPalette.ColorRole.Base: c.base,
        QPalette.ColorRole.AlternateBase: c.alternate,
        QPalette.ColorRole.Text: c.text,
        QPalette.ColorRole.Button: c.raised,
        QPalette.ColorRole.ButtonText: c.text,
        QPalette.ColorRole.ToolTipBase: c.raised,
        QPalette.ColorRole.ToolTipText: c.text,
        QPalette.ColorRole.PlaceholderText: c.muted_text,
        QPalette.ColorRole.Highlight: c.selection,
        QPalette.ColorRole.HighlightedText: c.selection_text,
        QPalette.ColorRole.Link: c.accent,
        QPalette.ColorRole.BrightText: c.problem,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.disabled_text))
    return palette


TICK_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">'
    '<path d="M4.5 12.5l5 5 10-11" fill="none" stroke="{colour}" stroke-width="3.5" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)
_images = QTemporaryDir()  # style sheets take images from files only; removed at exit


def tick_image(colour: str) -> str:
    """A file with a tick in ``colour`` for the ticked checkbox (the style sheet replaces
    the style's own tick); empty when no temporary folder could be made."""
    if not _images.isValid():
        return ""
    path = os.path.join(_images.path(), f"tick-{colour.lstrip('#')}.svg")
    if not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as image:
            image.write(TICK_SVG.format(colour=colour))
    return path.replace(os.sep, "/")


def style_sheet(c: Colours, text_px: int) -> str:
    """Sizes follow the text size, so everything grows together at large text."""
    target = round(text_px * 2.6)  # comfortable click targets
    pad = max(4, round(text_px * 0.5))
    return f"""
    QPushButton {{
        min-height: {target}px; padding: 0 {pad * 2}px; border-radius: {pad}px;
        background: {c.raised}; border: 1px solid {c.field_border};
    }}
    QPushButton:default {{ border: 1px solid {c.accent}; }}
    QPushButton:hover {{ background: {c.alternate}; }}
    QPushButton:disabled {{ color: {c.disabled_text}; border-color: {c.border}; }}
    QPushButton:flat {{
        background: transparent; border: 3px solid transparent; color: {c.accent};
        text-decoration: underline;
    }}
    QPushButton:flat:hover {{ background: {c.alternate}; }}
    QPushButton:flat:disabled {{ color: {c.disabled_text}; }}
    QLineEdit {{
        min-height: {target}px; padding: 0 {pad}px; border-radius: {pad // 2}px;
        background: {c.base}; border: 1px solid {c.field_border};
    }}
    QPushButton:focus, QLineEdit:focus, QCheckBox:focus, QTableView:focus,
    QScrollArea:focus {{
        border: 3px solid {c.accent};
    }}
    /* the ring takes its extra width from the padding: the text keeps its room */
    QPushButton:focus {{ padding: 0 {pad * 2 - 2}px; }}
    QPushButton, QCheckBox {{ outline: none; }}  /* the ring above replaces the dotted box */
    QCheckBox {{ min-height: {target}px; spacing: {pad}px; }}
    QCheckBox::indicator {{
        width: {round(text_px * 1.2)}px; height: {round(text_px * 1.2)}px;
        border: 2px solid {c.muted_text}; border-radius: 3px; background: {c.base};
    }}
    QCheckBox::indicator:checked {{
        background: {c.accent}; border-color: {c.accent}; image: url("{tick_image(c.base)}");
    }}
    QTableView {{ border: 1px solid {c.field_border}; gridline-color: {c.border}; }}
    QHeaderView::section {{
        background: {c.raised}; color: {c.text}; padding: {pad // 2}px {pad}px;
        border: 0; border-right: 1px solid {c.border};
    }}
    QLabel[role="title"] {{ font-size: {round(text_px * 1.6)}px; font-weight: 600; }}
    QLabel[role="explanation"] {{ color: {c.muted_text}; }}
    QLabel[tone="problem"] {{ color: {c.problem}; }}
    QLabel[tone="fine"] {{ color: {c.fine}; }}
    QLabel[role="recovery-key"] {{
        font-family: "DejaVu Sans Mono", "Menlo", "Consolas", monospace;
        font-size: {round(text_px * 1.8)}px; padding: {pad * 2}px;
        background: {c.base}; border: 1px solid {c.border}; border-radius: {pad}px;
    }}
    QStatusBar {{ color: {c.muted_text}; }}
    """


# ---- the Settings page's choice, remembered and applied live ----------------------------
# A preference, not health data: kept in QSettings. An environment variable, when set, still
# decides (so a screenshot or a test run can pin the look whatever was chosen).
THEME_KEY = "appearance/theme"
TEXT_SCALE_KEY = "appearance/text_scale_percent"
TEXT_SCALE_CHOICES = tuple(range(100, 201, 10))  # percent, in 10% steps


@dataclass(frozen=True)
class Appearance:
    mode: ThemeMode = ThemeMode.SYSTEM
    text_percent: int = 100

    @property
    def text_scale(self) -> float:
        return self.text_percent / 100


def stored_appearance(settings: QSettings) -> Appearance:
    """What the person chose on the Settings page; defaults for anything missing or odd."""
    try:
        mode = ThemeMode(str(settings.value(THEME_KEY, ThemeMode.SYSTEM.value)))
    except ValueError:
        mode = ThemeMode.SYSTEM
    try:
        percent = int(float(str(settings.value(TEXT_SCALE_KEY, 100))))
    except ValueError:
        percent = 100
    nearest = min(TEXT_SCALE_CHOICES, key=lambda choice: abs(choice - percent))
    return Appearance(mode, nearest)


def store_appearance(settings: QSettings, appearance: Appearance) -> None:
    settings.setValue(THEME_KEY, appearance.mode.value)
    settings.setValue(TEXT_SCALE_KEY, appearance.text_percent)
    settings.sync()


def overriding_env() -> list[str]:
    """The environment variables set now that decide over the stored choice."""
    return [name for name in (THEME_ENV, TEXT_SCALE_ENV) if os.environ.get(name, "").strip()]


def effective_mode(chosen: ThemeMode) -> ThemeMode:
    return mode_from_env() if os.environ.get(THEME_ENV, "").strip() else chosen


def effective_text_scale(chosen: float) -> float:
    return text_scale_from_env() if os.environ.get(TEXT_SCALE_ENV, "").strip() else chosen


class LiveAppearance(QObject):
    """Applies a theme and text size to the whole running app, and again on every change.

    One per application (``live_appearance`` finds or makes it). It remembers the font size
    the app started with, so text sizes are always scaled from that, never compounded, and
    follows the system's light/dark switch while the mode is "follow system".
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("taperDiaryLiveAppearance")
        self._app = app
        self._base_point_size = app.font().pointSizeF()
        self._mode = ThemeMode.SYSTEM
        self._scale = 1.0
        app.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    @property
    def mode(self) -> ThemeMode:
        return self._mode

    @property
    def text_scale(self) -> float:
        return self._scale

    def apply(self, appearance: Appearance) -> Colours:
        """Apply ``appearance`` (the environment variables still decide when set)."""
        self._mode = effective_mode(appearance.mode)
        self._scale = effective_text_scale(appearance.text_scale)
        font = self._app.font()
        font.setPointSizeF(self._base_point_size * self._scale)
        self._app.setFont(font)
        return apply_theme(self._app, self._mode)

    def _system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode is ThemeMode.SYSTEM:
            apply_theme(self._app, self._mode)


def live_appearance(app: QApplication) -> LiveAppearance:
    found = app.findChild(LiveAppearance, "taperDiaryLiveAppearance")
    return found if isinstance(found, LiveAppearance) else LiveAppearance(app)


def apply_stored_appearance(app: QApplication, settings: QSettings) -> Colours:
    """At start-up, before any window: the remembered theme and text size (or the env's)."""
    return live_appearance(app).apply(stored_appearance(settings))
