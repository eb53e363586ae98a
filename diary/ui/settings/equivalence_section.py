"""Equivalence: which table turns doses into diazepam equivalents, with its source, and the
person's own values per drug.

A table that gives a range for a drug (e.g. bromazepam 5-6 mg in the Ashton Manual) has no
single value to use: the row is marked so, and the person enters the value their prescriber
uses. We never pick a midpoint for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from diary.domain.changes import Changes
from diary.domain.equivalence import DEFAULT_TABLE, TABLES, EquivalenceTable, Factor, known_drugs
from diary.services.diary_service import DiaryService
from diary.ui.models.text_rows_model import RIGHT, TextColumn, TextRowsModel
from diary.ui.settings.section import Save, Section, subheading
from diary.ui.taper.fields import NumberField
from diary.ui.taper.plan_table import table_view
from diary.ui.widgets.form_parts import FieldMessage, buddy_label, explanation_label

MAX_OVERRIDE_MG = 1000.0
RANGE_NOTE = "A range: choose a value with your prescriber"
MISSING_NOTE = "Not in this table: enter the value your prescriber uses"


@dataclass(frozen=True)
class DrugRow:
    drug: str
    factor: Factor | None  # the table's value or range; None when the table lacks the drug
    own: float | None  # the person's override
    taken: bool  # one of the person's medications is of this drug

    @property
    def needs_choice(self) -> bool:
        return self.own is None and (self.factor is None or self.factor.is_range)

    @property
    def in_use(self) -> str:
        return (
            f"{self.own:g} mg (yours)"
            if self.own is not None
            else (
                "\N{EM DASH}"
                if self.factor is None or self.factor.is_range
                else f"{self.factor} mg"
            )
        )

    @property
    def note(self) -> str:
        if self.own is not None:
            return "Your own value is used"
        if self.factor is None:
            return MISSING_NOTE
        return RANGE_NOTE if self.factor.is_range else ""


COLUMNS: tuple[TextColumn[DrugRow], ...] = (
    TextColumn("Drug", lambda r: r.drug + (" (you take this)" if r.taken else "")),
    TextColumn(
        "Table: mg equal to 10 mg diazepam",
        lambda r: "\N{EM DASH}" if r.factor is None else f"{r.factor} mg",
        RIGHT,
        lambda r: r.factor is not None and r.factor.is_range,
    ),
    TextColumn("Used", lambda r: r.in_use, RIGHT),
    TextColumn("Note", lambda r: r.note, emphasis=lambda r: r.needs_choice),
)


def drug_rows(
    table: EquivalenceTable, overrides: dict[str, float], taken: set[str]
) -> list[DrugRow]:
    """Every drug any table knows, those taken first; the values by ``table``."""
    drugs = set(known_drugs()) | set(overrides) | taken
    ordered = sorted(drugs, key=lambda drug: (drug not in taken, drug))
    return [DrugRow(d, table.factors.get(d), overrides.get(d), d in taken) for d in ordered]


def override_check(value: float) -> str | None:
    if not 0 < value <= MAX_OVERRIDE_MG:
        return f"The amount must be more than 0 and at most {MAX_OVERRIDE_MG:g} mg."
    return None


class EquivalenceSection(Section):
    title = "Equivalence"
    explanation = (
        "Doses of different benzodiazepines are compared as diazepam equivalents (DZ-eq). "
        "The figures are approximate and vary between people; the table and any value of "
        "your own are shown wherever DZ-eq appears."
    )

    def __init__(self, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self._service: DiaryService | None = None
        self._loading = False
        self.table_choice = QComboBox()
        self.table_choice.setAccessibleName("Equivalence table")
        for table in TABLES.values():
            default = " (default)" if table.name == DEFAULT_TABLE else ""
            self.table_choice.addItem(table.title + default, table.name)
        self.table_choice.currentIndexChanged.connect(self._table_chosen)
        self.source_label = explanation_label("")
        self.source_label.setAccessibleName("Source of the table")
        self.model: TextRowsModel[DrugRow] = TextRowsModel(COLUMNS)
        self.drugs = table_view(self.model, "Drugs and their equivalents")
        self.drugs.setMinimumHeight(self.fontMetrics().height() * 26)
        self.drugs.selectionModel().selectionChanged.connect(self._drug_selected)
        self.chosen_drug = QLabel()
        self.chosen_drug.setWordWrap(True)
        self.own_value = NumberField(
            "&Your value:",
            "amount equal to 10 mg diazepam",
            override_check,
            unit="mg = 10 mg diazepam",
        )
        self.own_value.changed.connect(self._update_buttons)
        self.own_value.edit.returnPressed.connect(self.set_own_value)
        self.set_button = QPushButton("&Use my value")
        self.set_button.setProperty("role", "primary")
        self.set_button.clicked.connect(self.set_own_value)
        self.remove_button = QPushButton("&Remove my value")
        self.remove_button.clicked.connect(self.remove_own_value)
        self.message = FieldMessage()
        buttons = QHBoxLayout()
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.body.addWidget(buddy_label("&Table:", self.table_choice))
        self.add_narrow(self.table_choice)
        self.body.addWidget(self.source_label)
        self.body.addWidget(subheading("Drugs"))
        self.body.addWidget(self.drugs)
        self.body.addWidget(self.chosen_drug)
        self.add_narrow(self.own_value)
        self.body.addLayout(buttons)
        self.body.addWidget(self.message)
        self.clear()

    # ---- the section protocol -------------------------------------------------------
    def load(self, service: DiaryService) -> None:
        self._service = service
        selected = self.selected()
        table = TABLES[service.equivalence_table()]
        self._loading = True
        self.table_choice.setCurrentIndex(self.table_choice.findData(table.name))
        self._loading = False
        self.source_label.setText(f"Source: {table.source}")
        taken = {m.drug for m in service.medications(include_retired=False)}
        rows = drug_rows(table, service.equivalence_overrides(), taken)
        self.model.set_rows(rows)
        drugs = [row.drug for row in rows]
        wanted = selected.drug if selected is not None else None
        self.drugs.selectRow(drugs.index(wanted) if wanted in drugs else 0)
        self._drug_selected()

    def clear(self) -> None:
        self._service = None
        self._loading = True
        self.table_choice.setCurrentIndex(self.table_choice.findData(DEFAULT_TABLE))
        self._loading = False
        self.source_label.clear()
        self.model.clear()
        self.chosen_drug.clear()
        self.own_value.clear()
        self.message.clear_message()
        self._update_buttons()

    def concerns(self, changes: Changes) -> bool:
        return changes.settings or changes.medications

    def first_field(self) -> QWidget:
        return self.table_choice

    # ---- what the person does -------------------------------------------------------
    def selected(self) -> DrugRow | None:
        selection = self.drugs.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_drug(self, drug: str) -> None:
        drugs = [self.model.row_at(i).drug for i in range(self.model.rowCount())]
        if drug in drugs:
            self.drugs.selectRow(drugs.index(drug))

    def set_own_value(self) -> None:
        row, value = self.selected(), self.own_value.value
        if row is None or value is None:
            self.own_value.reveal()
            return
        if self._save(lambda service: service.set_equivalence_override(row.drug, value)):
            self.message.show_fine(f"{value:g} mg {row.drug} is now taken as 10 mg diazepam.")

    def remove_own_value(self) -> None:
        row = self.selected()
        if row is None or row.own is None:
            return
        if self._save(lambda service: service.set_equivalence_override(row.drug, None)):
            self.message.show_fine(f"The table's value for {row.drug} is used again.")

    def _table_chosen(self) -> None:
        if self._loading or self._service is None:
            return
        name = str(self.table_choice.currentData())
        if not self._save(lambda service: service.set_equivalence_table(name)):
            self.load(self._service)  # show the table still in use

    def _drug_selected(self) -> None:
        row = self.selected()
        self.message.clear_message()
        if row is None:
            self.chosen_drug.clear()
            self.own_value.clear()
        else:
            self.chosen_drug.setText(describe(row))
            self.own_value.clear()
            if row.own is not None:
                self.own_value.set_value(row.own)
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected()
        value = self.own_value.value
        self.set_button.setEnabled(row is not None and value is not None and value != row.own)
        self.remove_button.setEnabled(row is not None and row.own is not None)
        self.own_value.setEnabled(row is not None)


def describe(row: DrugRow) -> str:
    """One sentence about the selected drug, above its field."""
    if row.factor is None:
        table = "The chosen table has no value for it"
    elif row.factor.is_range:
        table = (
            f"The table gives a range of {row.factor} mg; choose the value your prescriber "
            "uses and enter it below"
        )
    else:
        table = f"The table takes {row.factor} mg as equal to 10 mg diazepam"
    own = "" if row.own is None else f"; your own value, {row.own:g} mg, is used instead"
    return f"<b>{row.drug.capitalize()}</b>: {table}{own}."
