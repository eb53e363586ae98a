"""Backups: the encrypted copies of earlier saves kept beside the diary, newest first.

Restoring one replaces the whole diary by it, after asking; the diary as it was becomes a
backup too, and Undo (Ctrl+Z) brings it back. "Open backups folder" shows the folder in the
file manager through a local file address: nothing leaves the computer.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from diary.domain.changes import Changes
from diary.domain.models import BackupInfo
from diary.services.diary_service import DiaryService
from diary.ui.dialogs import Dialogs
from diary.ui.models.text_rows_model import RIGHT, TextColumn, TextRowsModel
from diary.ui.settings.section import Save, Section
from diary.ui.taper.plan_table import table_view
from diary.ui.widgets.form_parts import FieldMessage


@dataclass(frozen=True)
class BackupRow:
    id: str
    saved: str
    generation: str


def backup_row(backup: BackupInfo) -> BackupRow:
    local = backup.saved_at.astimezone()
    generation = (
        "damaged copy set aside" if backup.generation == 0 else f"save number {backup.generation}"
    )
    return BackupRow(backup.id, f"{local:%Y-%m-%d %H:%M}", generation)


COLUMNS: tuple[TextColumn[BackupRow], ...] = (
    TextColumn("Saved at", lambda r: r.saved),
    TextColumn("Which save", lambda r: r.generation, RIGHT),
)


class BackupsSection(Section):
    title = "Backups"
    explanation = (
        "Taper Diary keeps encrypted copies of earlier saves beside the diary: the latest "
        "saves, one a day for a month and one a month for a year. They open with the same "
        "passphrase and recovery key as the diary."
    )

    def __init__(self, save: Save, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(save, parent)
        self._dialogs = dialogs
        self._service: DiaryService | None = None
        self.model: TextRowsModel[BackupRow] = TextRowsModel(COLUMNS)
        self.table = table_view(self.model, "Backups, newest first")
        self.table.setMinimumHeight(self.fontMetrics().height() * 12)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self.restore_selected)
        self.restore_button = QPushButton("&Restore the selected backup…")
        self.restore_button.setAccessibleName("Restore the selected backup")
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button = QPushButton("&Open backups folder")
        self.folder_button.clicked.connect(self.open_folder)
        self.message = FieldMessage()
        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.folder_button)
        buttons.addStretch(1)
        self.body.addWidget(self.table)
        self.body.addLayout(buttons)
        self.body.addWidget(self.message)
        self.clear()

    def load(self, service: DiaryService) -> None:
        self._service = service
        selected = self.selected()
        rows = [backup_row(b) for b in service.backups()]
        self.model.set_rows(rows)
        ids = [row.id for row in rows]
        if selected is not None and selected.id in ids:
            self.table.selectRow(ids.index(selected.id))
        elif rows:
            self.table.selectRow(0)
        if not rows:
            self.message.show_note("There are no backups yet: the first is made at the next save.")
        elif self.message.tone != "fine":
            self.message.clear_message()
        self._update_buttons()

    def clear(self) -> None:
        self._service = None
        self.model.clear()
        self.message.clear_message()
        self._update_buttons()

    def concerns(self, changes: Changes) -> bool:
        return True  # every save rotates the file before it into the backups

    def first_field(self) -> QWidget:
        return self.table

    def selected(self) -> BackupRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def restore_selected(self) -> None:
        row = self.selected()
        if row is None or self._service is None:
            return
        question = (
            f"Replace the whole diary by the backup saved at {row.saved}? Everything recorded "
            "since then leaves the diary, but it is not lost: the diary as it is now becomes a "
            "backup too, and Undo (Ctrl+Z) brings it straight back."
        )
        if not self._dialogs.confirm(self, "Restore a backup", question, "Restore this backup"):
            return
        if self._save(lambda service: service.restore_backup(row.id)):
            self.message.show_fine(
                f"The diary is as it was at {row.saved}. Undo (Ctrl+Z) brings back what was "
                "there before."
            )

    def open_folder(self) -> None:
        if self._service is None:
            return
        folder = self._service.backup_folder()
        if not folder.is_dir():
            self.message.show_note("There are no backups yet: the first is made at the next save.")
            return
        self._dialogs.open_folder(folder)

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)
        self.folder_button.setEnabled(self._service is not None)
