"""What every Settings section is: a title, a sentence on what it does, its controls, and
the same four moves (fill from the diary, forget, say which changes concern it, where the
keyboard starts).

A section changes the diary only through ``save``, which the page gives it: the page runs
the change through the window, shows "Saved" or the NOT SAVED banner with Retry, and tells
the section whether it worked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from diary.domain.changes import Changes
from diary.services.diary_service import DiaryService
from diary.ui.widgets.form_parts import explanation_label, title_label

Action = Callable[[DiaryService], Changes]
Save = Callable[[Action], bool]  # True once the change is on disk
FORM_WIDTH_IN_CHARACTERS = 70  # fields and their messages; tables use the section's width


class Section(QWidget):
    title = ""
    explanation = ""

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setAccessibleName(self.title)
        self.title_label = title_label(self.title)
        self.explanation_label: QLabel = explanation_label(self.explanation)
        self.body = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.explanation_label)
        layout.addLayout(self.body)
        layout.addStretch(1)

    def add_narrow(self, widget: QWidget, characters: int = FORM_WIDTH_IN_CHARACTERS) -> None:
        """Add ``widget`` at the left, as wide as the room allows up to ``characters``."""
        row = QHBoxLayout()
        row.addWidget(narrow(widget, characters), 1)
        row.addStretch(0)
        self.body.addLayout(row)

    def load(self, service: DiaryService) -> None:
        """Show what the diary holds now."""
        raise NotImplementedError

    def clear(self) -> None:
        """Forget everything shown or typed (the diary is locking)."""
        raise NotImplementedError

    def concerns(self, changes: Changes) -> bool:
        """Whether ``changes`` alter what this section shows."""
        return False

    def first_field(self) -> QWidget:
        """Where the keyboard goes when the section is chosen."""
        return self


def narrow(widget: QWidget, characters: int = FORM_WIDTH_IN_CHARACTERS) -> QWidget:
    """Keep ``widget`` to a readable width: a field as wide as the window is hard to scan."""
    widget.setMaximumWidth(widget.fontMetrics().averageCharWidth() * characters)
    policy = widget.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
    widget.setSizePolicy(policy)
    return widget


def subheading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    label.setWordWrap(True)
    return label
