"""Appearance: light, dark or follow the system, and the text size from 100% to 200%.

A preference of this computer, not health data: kept in QSettings and applied to the whole
app at once. ``TAPER_DIARY_THEME`` and ``TAPER_DIARY_TEXT_SCALE``, when set, still decide;
the section says so.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSlider,
    QWidget,
)

from diary.services.diary_service import DiaryService
from diary.ui.settings.section import Save, Section, subheading
from diary.ui.theme import (
    TEXT_SCALE_CHOICES,
    Appearance,
    ThemeMode,
    live_appearance,
    overriding_env,
    store_appearance,
    stored_appearance,
)
from diary.ui.widgets.form_parts import FieldMessage

MODE_WORDS = {
    ThemeMode.LIGHT: "&Light",
    ThemeMode.DARK: "Dar&k: easier on light-sensitive eyes",
    ThemeMode.SYSTEM: "&Follow the system (dark when it does not say)",
}
STEP = 10  # percent


class AppearanceSection(Section):
    title = "Appearance"
    explanation = (
        "How Taper Diary looks on this computer. Changes show at once and are remembered; "
        "they are not part of the diary."
    )
    applied = Signal()

    def __init__(self, save: Save, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self._settings = settings
        self._loading = False
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[ThemeMode, QRadioButton] = {}
        self.body.addWidget(subheading("Theme"))
        for mode, words in MODE_WORDS.items():
            button = QRadioButton(words)
            button.setAccessibleName(words.replace("&", ""))
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            self.body.addWidget(button)
            button.toggled.connect(lambda on: self._changed() if on else None)

        self.size_slider = QSlider(Qt.Orientation.Horizontal)
        self.size_slider.setRange(TEXT_SCALE_CHOICES[0] // STEP, TEXT_SCALE_CHOICES[-1] // STEP)
        self.size_slider.setSingleStep(1)
        self.size_slider.setPageStep(1)
        self.size_slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.size_slider.setTickInterval(1)
        self.size_slider.setTracking(False)  # dragging applies once, on release
        self.size_slider.setAccessibleName("Text size")
        self.size_slider.setMinimumHeight(self.fontMetrics().height() * 2)
        self.size_slider.valueChanged.connect(self._changed)
        self.size_slider.sliderMoved.connect(self._show_percent)
        self.size_label = QLabel()
        self.size_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("200%") * 2)
        self.override_message = FieldMessage()
        size_row = QWidget()
        size_layout = QHBoxLayout(size_row)
        size_layout.setContentsMargins(0, 0, 0, 0)
        size_layout.addWidget(self.size_slider, 1)
        size_layout.addWidget(self.size_label)
        self.body.addWidget(subheading("Text size"))
        self.add_narrow(size_row)
        self.body.addWidget(self.override_message)
        self.clear()

    def load(self, service: DiaryService) -> None:
        self._show(stored_appearance(self._settings))

    def clear(self) -> None:
        """Nothing here is diary content; the controls show the stored choice."""
        self._show(stored_appearance(self._settings))

    def first_field(self) -> QWidget:
        checked = self.mode_group.checkedButton()
        return checked if checked is not None else self.size_slider

    def chosen(self) -> Appearance:
        mode = next((m for m, b in self.mode_buttons.items() if b.isChecked()), ThemeMode.SYSTEM)
        return Appearance(mode, self.size_slider.value() * STEP)

    def _show(self, appearance: Appearance) -> None:
        self._loading = True
        self.mode_buttons[appearance.mode].setChecked(True)
        self.size_slider.setValue(appearance.text_percent // STEP)
        self._show_percent(self.size_slider.value())
        self._loading = False
        overriding = overriding_env()
        if overriding:
            self.override_message.show_note(
                f"{' and '.join(overriding)} {'is' if len(overriding) == 1 else 'are'} set "
                "where Taper Diary was started, and decide over the choice here while set."
            )
        else:
            self.override_message.clear_message()

    def _show_percent(self, value: int) -> None:
        self.size_label.setText(f"{value * STEP}%")
        self.size_slider.setAccessibleDescription(f"{value * STEP}%")

    def _changed(self) -> None:
        if self._loading:
            return
        appearance = self.chosen()
        self._show_percent(self.size_slider.value())
        store_appearance(self._settings, appearance)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            live_appearance(app).apply(appearance)
        self.applied.emit()
