"""Symptoms tracked: the standard list and the person's own, each with a tick box, in the
order the Today page asks about them. Unticking stops asking; past ratings stay."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.errors import ValidationError
from diary.domain.models import Symptom
from diary.domain.names import find_name
from diary.domain.validation import clean_name
from diary.services.diary_service import DiaryService
from diary.ui.settings.section import Save, Section, subheading
from diary.ui.widgets.form_parts import FieldMessage, buddy_label

OWN = " (your own)"


def item_text(symptom: Symptom) -> str:
    return symptom.name + (OWN if symptom.custom else "")


class SymptomsSection(Section):
    title = "Symptoms tracked"
    explanation = (
        "Ticked symptoms are asked about on the Today page, in this order. Untick one to stop "
        "asking about it: its past ratings stay in the diary and in reports, and ticking it "
        "again brings it back. Move the selected symptom with the buttons or Ctrl+Up and "
        "Ctrl+Down."
    )

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self._names: list[str] = []
        self._loading = False

        self.list = QListWidget()
        self.list.setAccessibleName("Symptoms, ticked when tracked")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setMinimumHeight(self.fontMetrics().height() * 22)
        self.list.itemChanged.connect(self._ticked)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.up_button = QPushButton("Move &up")
        self.up_button.setAccessibleName("Move the selected symptom up")
        self.down_button = QPushButton("Move do&wn")
        self.down_button.setAccessibleName("Move the selected symptom down")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", +1)):
            shortcut = QShortcut(QKeySequence(keys), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda step=step: self.move_selected(step))

        self.new_name = QLineEdit()
        self.new_name.setAccessibleName("Name of your own symptom")
        self.new_name.setPlaceholderText("e.g. Jaw clenching")
        self.new_name.textChanged.connect(self._check_new_name)
        self.new_name.returnPressed.connect(self.add_symptom)
        self.add_button = QPushButton("&Add symptom")
        self.add_button.setAccessibleName("Add your own symptom")
        self.add_button.clicked.connect(self.add_symptom)
        self.new_message = FieldMessage()

        moves = QHBoxLayout()
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        add_row = QWidget()
        add_layout = QHBoxLayout(add_row)
        add_layout.setContentsMargins(0, 0, 0, 0)
        add_layout.addWidget(self.new_name, 1)
        add_layout.addWidget(self.add_button)
        self.add_narrow(self.list, 90)
        self.body.addLayout(moves)
        self.body.addWidget(subheading("Add your own"))
        self.body.addWidget(buddy_label("&Name of the symptom:", self.new_name))
        self.add_narrow(add_row, 90)
        self.body.addWidget(self.new_message)
        self._service: DiaryService | None = None
        self.clear()

    # ---- the section protocol -------------------------------------------------------
    def load(self, service: DiaryService) -> None:
        self._service = service
        current = self.selected_name()
        self._loading = True
        self.list.clear()
        symptoms = service.symptoms(include_retired=True)
        self._names = [s.name for s in symptoms]
        for symptom in symptoms:
            item = QListWidgetItem(item_text(symptom))
            item.setData(Qt.ItemDataRole.UserRole, symptom.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if symptom.tracked else Qt.CheckState.Unchecked
            item.setCheckState(state)
            self.list.addItem(item)
        self._loading = False
        self.select(current)
        self._check_new_name()

    def clear(self) -> None:
        self._service = None
        self._loading = True
        self.list.clear()
        self._loading = False
        self._names = []
        self.new_name.clear()
        self.new_message.clear_message()
        self._update_buttons()

    def concerns(self, changes: Changes) -> bool:
        return changes.symptoms

    def first_field(self) -> QWidget:
        return self.list

    # ---- what the person does -------------------------------------------------------
    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select(self, name: str | None) -> None:
        row = self._names.index(name) if name in self._names else 0 if self._names else -1
        self.list.setCurrentRow(row)
        self._update_buttons()

    def move_selected(self, step: int) -> None:
        name = self.selected_name()
        if name is None:
            return
        position = self._names.index(name) + step
        if not 0 <= position < len(self._names):
            return
        if self._save(lambda service: service.move_symptom(name, position)):
            self.select(name)
            self.list.setFocus()

    def add_symptom(self) -> None:
        problem, name = self._new_name_problem()
        if problem is not None:
            self.new_message.show_problem(problem)
            return
        if self._save(lambda service: service.add_symptom(name)):
            self.new_name.clear()
            self.new_message.show_fine(f'"{name}" is added at the end of the list and ticked.')
            self.select(find_name(name, self._names))

    def _ticked(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        name = str(item.data(Qt.ItemDataRole.UserRole))
        tracked = item.checkState() == Qt.CheckState.Checked
        if not self._save(lambda service: service.set_symptom_tracked(name, tracked)):
            self._loading = True  # show the state the diary still holds
            item.setCheckState(Qt.CheckState.Unchecked if tracked else Qt.CheckState.Checked)
            self._loading = False

    # ---- checks as you type ---------------------------------------------------------
    def _new_name_problem(self) -> tuple[str | None, str]:
        text = self.new_name.text()
        try:
            name = clean_name(text, "symptom name")
        except ValidationError as problem:
            return problem.message, ""
        existing = find_name(name, self._names)
        if existing is not None:
            return f'"{existing}" is already in your list of symptoms.', name
        return None, name

    def _check_new_name(self) -> None:
        problem, _ = self._new_name_problem()
        typed = bool(self.new_name.text())
        self.add_button.setEnabled(self._service is not None and problem is None)
        if typed and problem is not None:
            self.new_message.show_problem(problem)
        elif typed or self.new_message.tone == "problem":
            self.new_message.clear_message()  # an empty field keeps "... is added"

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.list.count() - 1)
