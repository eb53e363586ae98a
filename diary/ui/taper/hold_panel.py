"""Start a hold (a stretch with no cut, for as long as the person chooses) or end the one
going on. Later plan steps move by the hold's length; nothing here suggests either."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QWidget

from diary.domain.changes import Changes
from diary.domain.models import Hold
from diary.domain.validation import FUTURE_ALLOWANCE, describe_date
from diary.services.diary_service import DiaryService
from diary.ui.taper.fields import Panel, date_field, to_date, to_qdate
from diary.ui.taper.wording import hold_words
from diary.ui.widgets.form_parts import FieldMessage, buddy_label

Action = Callable[[DiaryService], Changes]
Save = Callable[[Action], bool]


class HoldPanel(Panel):
    def __init__(self, save: Save) -> None:
        super().__init__("Hold", "", "Start the hold")
        self._save = save
        self._hold: Hold | None = None
        self._today = dt.date.today()
        self.date = date_field("Date")
        self.date.dateChanged.connect(self._check)
        self.date_message = FieldMessage()
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the hold (optional)")
        self.reason.setPlaceholderText("e.g. letting things settle")
        self.reason_label = buddy_label("Rea&son (optional)", self.reason)
        self.form.addWidget(buddy_label("&Date", self.date))
        self.form.addWidget(self.date)
        self.form.addWidget(self.date_message)
        self.form.addWidget(self.reason_label)
        self.form.addWidget(self.reason)
        self.confirm_button.clicked.connect(self.confirm)

    @property
    def ending(self) -> bool:
        return self._hold is not None

    def load(self, service: DiaryService, today: dt.date) -> None:
        self._today = today
        self._hold = next((h for h in service.holds() if h.end is None), None)
        self.date.setMaximumDate(to_qdate(today + FUTURE_ALLOWANCE))
        self.date.setDate(to_qdate(today))
        self.reason.clear()
        if self._hold is None:
            self.title.setText("Start a hold")
            self.explanation.setText(
                "A hold is a stretch without a cut, for as long as you choose. While it lasts, "
                "the later steps of a plan move later by the same number of days."
            )
            self.confirm_button.setText("Start the hold")
        else:
            self.title.setText("End the hold")
            self.explanation.setText(
                f"{hold_words(self._hold, today)}. Ending it keeps the regimen as it is; "
                "the plan's next step stays where the hold has moved it."
            )
            self.confirm_button.setText("End the hold")
        self.setAccessibleName(self.title.text())
        self.reason.setVisible(self._hold is None)
        self.reason_label.setVisible(self._hold is None)
        self._check()

    def clear(self) -> None:
        self._hold = None
        self.reason.clear()
        self.explanation.clear()
        self.date_message.clear_message()
        self.result_message.clear_message()

    def first_field(self) -> QWidget:
        return self.date

    def _check(self) -> None:
        day = to_date(self.date.date())
        problem = None
        if self._hold is not None and day < self._hold.start:
            problem = (
                f"The hold began on {describe_date(self._hold.start)}; it cannot end before that."
            )
        if problem:
            self.date_message.show_problem(problem)
        else:
            self.date_message.clear_message()
        self.confirm_button.setEnabled(problem is None)

    def confirm(self) -> None:
        day = to_date(self.date.date())
        if self._hold is None:
            reason = self.reason.text().strip()
            done = self._save(lambda s: s.start_hold(day, reason))
            what = f"The hold from {describe_date(day)} is recorded."
        else:
            done = self._save(lambda s: s.end_hold(day))
            what = f"The hold ends on {describe_date(day)}."
        if done:
            self.result_message.show_fine(what)
            self.closed.emit()
