"""Medications and products: what the person takes, how it comes (tablet strength or liquid
concentration) and how finely it can be measured (tablet halves or quarters, syringe marks).

A medication no longer taken is retired, not deleted: its doses stay in the history with its
name, and it can be brought back. Drug and form stay once added, because recorded doses and
regimens depend on them; a new product of another drug or form is a new medication.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from diary.domain.changes import Changes
from diary.domain.equivalence import known_drugs
from diary.domain.errors import ValidationError
from diary.domain.models import DEFAULT_SYRINGE_ML, Form, Medication
from diary.domain.names import find_name
from diary.services.diary_service import DiaryService
from diary.services.medication_rules import checked_medication
from diary.ui.models.text_rows_model import TextColumn, TextRowsModel
from diary.ui.settings.section import Action, Save, Section
from diary.ui.taper.fields import NumberField, above, save_on_return
from diary.ui.taper.plan_table import table_view
from diary.ui.widgets.form_parts import FieldMessage, explanation_label, title_label

SPLIT_CHOICES = {1: "Whole tablets only", 2: "Halves", 4: "Quarters"}
FORM_WORDS = {Form.TABLET: "Tablet", Form.CAPSULE: "Capsule", Form.LIQUID: "Liquid"}


def amount_words(med: Medication) -> str:
    if med.form is Form.LIQUID:
        return (
            "\N{EM DASH}"
            if med.concentration_mg_ml is None
            else (f"{med.concentration_mg_ml:g} mg per mL")
        )
    return "\N{EM DASH}" if med.strength_mg is None else f"{med.strength_mg:g} mg"


def measured_words(med: Medication) -> str:
    if med.form is Form.LIQUID:
        return f"syringe marks of {med.syringe_ml:g} mL"
    if med.form is Form.TABLET:
        return SPLIT_CHOICES[med.split].lower() if med.split in SPLIT_CHOICES else ""
    return "whole capsules"


COLUMNS: tuple[TextColumn[Medication], ...] = (
    TextColumn("Name", lambda m: m.name),
    TextColumn("Drug", lambda m: m.drug),
    TextColumn("Form", lambda m: FORM_WORDS[m.form]),
    TextColumn("Strength", amount_words),
    TextColumn("Measured as", measured_words),
    TextColumn("In use", lambda m: "retired" if m.retired else "in use"),
)


@dataclass(frozen=True)
class Typed:
    """The editor's fields, read once."""

    name: str
    drug: str
    form: Form
    strength_mg: float | None
    concentration_mg_ml: float | None
    split: int
    syringe_ml: float | None


class MedicationEditor(QFrame):
    """The form to add a medication or change one, with a message beside each field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "group")
        self.editing: Medication | None = None
        self.others: list[str] = []  # names of the other medications, for clashes
        self.heading = title_label("")
        self.name = QLineEdit()
        self.name.setAccessibleName("Medication name")
        self.name.setPlaceholderText("as on the box, e.g. Valium 2 mg")
        self.name_message = FieldMessage()
        self.drug = QComboBox()
        self.drug.setEditable(True)
        self.drug.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.drug.addItems(known_drugs())
        self.drug.setAccessibleName("Drug (type to search)")
        completer = QCompleter(known_drugs(), self.drug)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.drug.setCompleter(completer)
        self.drug_message = FieldMessage()
        self.form = QComboBox()
        self.form.setAccessibleName("Form")
        for kind, words in FORM_WORDS.items():
            self.form.addItem(words, kind.value)
        self.strength = NumberField(
            "&Tablet or capsule strength:",
            "strength",
            above(0, "strength", " mg"),
            unit="mg",
            example="e.g. 2",
        )
        self.concentration = NumberField(
            "&Concentration of the liquid:",
            "concentration",
            above(0, "concentration", " mg"),
            unit="mg per mL",
            example="e.g. 1",
        )
        self.split = QComboBox()
        self.split.setAccessibleName("How the tablets can be split")
        for split, words in SPLIT_CHOICES.items():
            self.split.addItem(words, split)
        self.syringe = NumberField(
            "S&yringe marks:",
            "syringe resolution",
            above(0, "syringe resolution", " mL"),
            unit="mL",
            example=f"e.g. {DEFAULT_SYRINGE_ML:g}",
        )
        self.form_message = FieldMessage()
        self.save_button = QPushButton("&Save medication")
        self.save_button.setProperty("role", "primary")
        self.cancel_button = QPushButton("Ca&ncel")
        self.cancel_button.setAccessibleName("Cancel editing the medication")
        save_on_return(self, self.save_button, self.explain_not_ready)

        fields = QFormLayout()
        fields.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        fields.addRow("&Name:", self._with_message(self.name, self.name_message))
        fields.addRow("&Drug:", self._with_message(self.drug, self.drug_message))
        fields.addRow("&Form:", self.form)
        fields.addRow(self.strength)
        fields.addRow(self.concentration)
        fields.addRow("Tablets can be taken as:", self.split)
        fields.addRow(self.syringe)
        self.split_label = fields.labelForField(self.split)
        self.fixed_note = explanation_label(
            "The drug and form stay as they are: recorded doses depend on them. For another "
            "drug or form, add a new medication."
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.fixed_note)
        layout.addLayout(fields)
        layout.addWidget(self.form_message)
        layout.addLayout(buttons)

        self.name.textChanged.connect(self.check)
        self.drug.currentTextChanged.connect(self.check)
        self.form.currentIndexChanged.connect(self._form_chosen)
        self.split.currentIndexChanged.connect(self.check)
        for field in (self.strength, self.concentration, self.syringe):
            field.changed.connect(self.check)
        self.start_new([])

    @staticmethod
    def _with_message(field: QWidget, message: FieldMessage) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(message)
        return box

    # ---- filling --------------------------------------------------------------------
    def start_new(self, others: list[str]) -> None:
        self.editing = None
        self.others = others
        self.heading.setText("Add a medication")
        self.fixed_note.hide()
        self.name.clear()
        self.drug.setEnabled(True)
        self.form.setEnabled(True)
        self.drug.setCurrentIndex(-1)
        self.drug.setEditText("")
        self.form.setCurrentIndex(0)
        self.strength.clear()
        self.concentration.clear()
        self.split.setCurrentIndex(0)
        self.syringe.clear()
        self.syringe.set_value(DEFAULT_SYRINGE_ML)
        self._clear_messages()
        self._form_chosen()

    def start_edit(self, med: Medication, others: list[str]) -> None:
        self.editing = med
        self.others = others
        self.heading.setText(f"Change {med.name}")
        self.fixed_note.show()
        self.name.setText(med.name)
        self.drug.setEditText(med.drug)
        self.form.setCurrentIndex(self.form.findData(med.form.value))
        self.drug.setEnabled(False)
        self.form.setEnabled(False)
        self.strength.clear()
        self.concentration.clear()
        self.strength.set_value(med.strength_mg)
        self.concentration.set_value(med.concentration_mg_ml)
        self.split.setCurrentIndex(max(self.split.findData(med.split), 0))
        self.syringe.set_value(med.syringe_ml)
        self._clear_messages()
        self._form_chosen()

    def forget(self) -> None:
        """Empty every field (the diary is locking)."""
        self.start_new([])
        self.syringe.clear()

    def _clear_messages(self) -> None:
        for message in (self.name_message, self.drug_message, self.form_message):
            message.clear_message()

    # ---- reading and checking -------------------------------------------------------
    def chosen_form(self) -> Form:
        return Form(str(self.form.currentData()))

    def typed(self) -> Typed:
        liquid = self.chosen_form() is Form.LIQUID
        return Typed(
            name=self.name.text(),
            drug=self.drug.currentText().strip(),
            form=self.chosen_form(),
            strength_mg=None if liquid else self.strength.value,
            concentration_mg_ml=self.concentration.value if liquid else None,
            split=int(self.split.currentData()) if self.chosen_form() is Form.TABLET else 1,
            syringe_ml=self.syringe.value if liquid else DEFAULT_SYRINGE_ML,
        )

    def problems(self) -> dict[str, str]:
        """Field -> the first problem with it, by the same rules the diary applies."""
        typed = self.typed()
        liquid = typed.form is Form.LIQUID
        in_use = (self.concentration, self.syringe) if liquid else (self.strength,)
        for field in in_use:
            if field.problem is not None:
                return {field.edit.accessibleName(): field.problem}
        try:
            med = checked_medication(
                Medication(
                    typed.name,
                    typed.drug,
                    typed.form,
                    typed.strength_mg,
                    typed.concentration_mg_ml,
                    None,
                    typed.split,
                    typed.syringe_ml if typed.syringe_ml is not None else DEFAULT_SYRINGE_ML,
                )
            )
        except ValidationError as problem:
            return {problem.field or "": problem.message}
        clash = find_name(med.name, self.others)
        if clash is not None:
            return {"medication name": f'You already have a medication called "{clash}".'}
        if typed.form is not Form.LIQUID and typed.strength_mg is None:
            return {"Strength": "Enter the strength of one tablet or capsule in mg."}
        return {}

    def check(self) -> bool:
        """Show the first problem beside its field; True when the medication can be saved."""
        problems = self.problems()
        self._clear_messages()
        field, text = next(iter(problems.items()), ("", ""))
        typed_fields = {"medication name": self.name.text(), "drug": self.drug.currentText()}
        beside_text = {"medication name": self.name_message, "drug": self.drug_message}
        beside_number = {
            "strength_mg": self.strength,
            "mg": self.strength,
            "concentration_mg_ml": self.concentration,
            "syringe_ml": self.syringe,
        }
        own_messages = {f.edit.accessibleName() for f in beside_number.values()}
        if field in beside_text:
            if typed_fields[field].strip():  # an untouched field is not complained about
                beside_text[field].show_problem(text)
        elif field in beside_number:
            beside_number[field].show_problem(text)
        elif text and field not in own_messages:  # a number field shows its own once typed
            self.form_message.show_problem(text)
        self.save_button.setEnabled(not problems)
        return not problems

    def explain_not_ready(self) -> None:
        """Return was pressed before the medication can be saved: say what is missing,
        even about a field not typed in yet."""
        messages = (self.name_message, self.drug_message, self.form_message)
        numbers = (self.strength.message, self.concentration.message, self.syringe.message)
        if any(m.isVisible() and m.text() for m in (*messages, *numbers)):
            return
        text = next(iter(self.problems().values()), "")
        if text:
            self.form_message.show_problem(text)

    def _form_chosen(self) -> None:
        form = self.chosen_form()
        self.strength.setVisible(form is not Form.LIQUID)
        self.concentration.setVisible(form is Form.LIQUID)
        self.syringe.setVisible(form is Form.LIQUID)
        self.split.setVisible(form is Form.TABLET)
        if self.split_label is not None:
            self.split_label.setVisible(form is Form.TABLET)
        self.check()


class MedicationsSection(Section):
    title = "Medications and products"
    explanation = (
        "What you take, how it comes, and how finely you can measure it. Plans and cuts use "
        "this to offer only amounts you can actually take."
    )

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self._service: DiaryService | None = None
        self.model: TextRowsModel[Medication] = TextRowsModel(COLUMNS)
        self.table = table_view(self.model, "Medications")
        self.table.setMinimumHeight(self.fontMetrics().height() * 8)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.edit_selected)
        self.add_button = QPushButton("&Add a medication")
        self.edit_button = QPushButton("&Change the selected")
        self.edit_button.setAccessibleName("Change the selected medication")
        self.retire_button = QPushButton("&Retire the selected")
        self.add_button.clicked.connect(self.start_adding)
        self.edit_button.clicked.connect(self.edit_selected)
        self.retire_button.clicked.connect(self.toggle_retired)
        self.message = FieldMessage()
        self.editor = MedicationEditor()
        self.editor.save_button.clicked.connect(self.save_editor)
        self.editor.cancel_button.clicked.connect(self.close_editor)
        self.editor.name.returnPressed.connect(self.save_editor)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.retire_button)
        buttons.addStretch(1)
        self.body.addWidget(self.table)
        self.body.addLayout(buttons)
        self.body.addWidget(self.message)
        self.add_narrow(self.editor, 90)
        self.clear()

    # ---- the section protocol -------------------------------------------------------
    def load(self, service: DiaryService) -> None:
        self._service = service
        selected = self.selected()
        meds = service.medications(include_retired=True)
        self.model.set_rows(meds)
        names = [m.name for m in meds]
        if selected is not None and selected.name in names:
            self.table.selectRow(names.index(selected.name))
        elif meds:
            self.table.selectRow(0)
        self._update_buttons()

    def clear(self) -> None:
        self._service = None
        self.model.clear()
        self.message.clear_message()
        self.editor.forget()
        self.editor.hide()
        self._update_buttons()

    def concerns(self, changes: Changes) -> bool:
        return changes.medications

    def first_field(self) -> QWidget:
        return self.table if self.model.rowCount() else self.add_button

    # ---- what the person does -------------------------------------------------------
    def selected(self) -> Medication | None:
        selection = self.table.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, name: str) -> None:
        names = [self.model.row_at(i).name for i in range(self.model.rowCount())]
        if name in names:
            self.table.selectRow(names.index(name))

    def start_adding(self) -> None:
        self.message.clear_message()
        self.editor.start_new(self._names())
        self.editor.show()
        self.editor.name.setFocus()

    def edit_selected(self) -> None:
        med = self.selected()
        if med is None:
            return
        self.message.clear_message()
        self.editor.start_edit(med, [n for n in self._names() if n != med.name])
        self.editor.show()
        self.editor.name.setFocus()

    def close_editor(self) -> None:
        self.editor.hide()
        self.editor.forget()
        self.add_button.setFocus()

    def save_editor(self) -> None:
        if not self.editor.check():
            return
        typed, old = self.editor.typed(), self.editor.editing
        name = " ".join(typed.name.split())
        action = adding(typed) if old is None else changing(old, typed)
        if self._save(action):
            self.close_editor()
            self.select(name)
            self.message.show_fine(f'"{name}" is saved.')

    def toggle_retired(self) -> None:
        med = self.selected()
        if med is None:
            return
        retire = not med.retired
        if self._save(lambda service: service.set_medication_retired(med.name, retire)):
            self.select(med.name)
            self.message.show_fine(
                f"{med.name} is retired: it is no longer offered, and its recorded doses stay "
                "in the history."
                if retire
                else f"{med.name} is in use again."
            )

    def _names(self) -> list[str]:
        return [self.model.row_at(i).name for i in range(self.model.rowCount())]

    def _update_buttons(self) -> None:
        med = self.selected()
        self.add_button.setEnabled(self._service is not None)
        self.edit_button.setEnabled(med is not None)
        self.retire_button.setEnabled(med is not None)
        retired = med is not None and med.retired
        self.retire_button.setText(
            "&Bring back the selected" if retired else "&Retire the selected"
        )
        self.retire_button.setAccessibleName(
            "Bring back the selected medication" if retired else "Retire the selected medication"
        )


def adding(typed: Typed) -> Action:
    def add(service: DiaryService) -> Changes:
        return service.add_medication(
            typed.name,
            typed.drug,
            typed.form,
            typed.strength_mg,
            typed.concentration_mg_ml,
            typed.split,
            typed.syringe_ml if typed.syringe_ml is not None else DEFAULT_SYRINGE_ML,
        )

    return add


def changing(old: Medication, typed: Typed) -> Action:
    """A new name and new handling, as one change (and one undo step)."""

    def change(service: DiaryService) -> Changes:
        label = f"change medication {old.name}"
        with service.batch(label):
            renamed = service.rename_medication(old.name, typed.name)
            name = " ".join(typed.name.split()) if renamed.medications else old.name
            service.update_medication(
                name,
                strength_mg=typed.strength_mg,
                concentration_mg_ml=typed.concentration_mg_ml,
                split=typed.split,
                syringe_ml=typed.syringe_ml,
            )
        return Changes(label, medications=True)

    return change
