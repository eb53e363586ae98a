"""The pages of the appointment summary, laid out from a ``ReportContent``.

Page 1 is the overview and always fits on one page: its chart shrinks a little when the page
is short (Letter), and notes or holds that do not fit continue in the appendix, which holds
the heatmap, the responses to regimen changes, the plan ahead and, when chosen, the daily log.
Every sentence records; none advises.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QEvent, QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from diary.domain.models import DaySummary
from diary.domain.stability.responses import CutResponse
from diary.report.content import Note, ReportContent
from diary.report.figures import PrintedChart, heatmap_chart, main_chart
from diary.report.layout import (
    Align,
    Block,
    Column,
    Figure,
    Fonts,
    Gap,
    Legend,
    Measure,
    Page,
    PageBreak,
    Placed,
    Table,
    Text,
    draw_lines,
    flow,
    heading,
)
from diary.report.options import NotesChoice, Paper

PAPER_POINTS = {Paper.A4: (595.28, 841.89), Paper.LETTER: (612.0, 792.0)}
MARGIN = 40.0
HEADER_HEIGHT = 34.0
FOOTER_HEIGHT = 22.0
CHART_HEIGHT = (150.0, 215.0)
LEGEND_ROOM = 24.0  # two lines of the chart's key  # page 1's chart: smallest, and wanted
NOTE_LINES = 4
PAGE1_SYMPTOMS = 6
PAGE1_EVENTS = 4
SELF_REPORTED = "Self-reported by the patient. A record of what was logged, not medical advice."
DPI = 72.0


def short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def measuring_device() -> QImage:
    """A 72-dpi image: text measured on it matches the 72-dpi PDF and printer pages."""
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    dots_per_metre = round(DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image


@dataclass
class Document:
    content: ReportContent
    width: float
    height: float
    pages: list[Page]
    measure: Measure
    fonts: Fonts
    charts: list[PrintedChart] = field(default_factory=list)  # alive until painted

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def release(self) -> None:
        """Free the offscreen charts once nothing will paint the pages again."""
        for chart in self.charts:
            chart.release()
        self.charts = []
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def build_document(content: ReportContent) -> Document:
    fonts = Fonts()
    device = measuring_device()
    measure = Measure(device)
    width, height = PAPER_POINTS[content.options.paper]
    document = Document(content, width, height, [], measure, fonts)
    builder = _Builder(document)
    document.pages = [builder.first_page(), *builder.appendix()]
    return document


class _Builder:
    def __init__(self, document: Document) -> None:
        self.doc = document
        self.content = document.content
        self.fonts = document.fonts
        self.measure = document.measure
        self.width = document.width - 2 * MARGIN
        self.top = MARGIN + HEADER_HEIGHT
        self.bottom = document.height - MARGIN - FOOTER_HEIGHT
        self.overflow: list[Block] = []

    # ---- page 1 ---------------------------------------------------------------------
    def first_page(self) -> Page:
        content = self.content
        if not content.has_entries:
            return self._place(self._no_entries())
        before_chart = [
            *self._regimen(),
            *self._summary(),
            heading("Dose and symptom burden", self.fonts),
        ]
        after_chart = [
            Text(
                "Step line: daily dose in diazepam equivalents (left axis). Dots and thick line: "
                "symptom burden, daily and 7-day average (right axis, % of the most severe "
                "rating on the symptoms rated). Gaps are days not logged.",
                self.fonts.small,
                max_lines=3,
            ),
            *self._symptoms(),
            *self._holds_and_reinstatements(),
        ]
        fixed = self._height(before_chart) + self._height(after_chart) + LEGEND_ROOM
        notes_heading = heading("Notes for the doctor", self.fonts)
        room = self.bottom - self.top - fixed - self._height([notes_heading])
        wanted_notes = min(self._height(self._note_blocks(self._page1_notes())), 4 * 40.0)
        chart_height = max(CHART_HEIGHT[0], min(CHART_HEIGHT[1], room - wanted_notes - 6))
        chart = main_chart(
            content.chart, content.options.start, content.options.end, self.width, chart_height
        )
        self.doc.charts.append(chart)
        blocks = [
            *before_chart,
            Figure(chart_height, chart.draw, after=2.0),
            Legend(chart.swatches, self.fonts.small, after=1.0),
            *after_chart,
        ]
        blocks.append(notes_heading)
        blocks += self._fit_notes(self.bottom - self.top - self._height(blocks))
        return self._place(blocks)

    def _no_entries(self) -> list[Block]:
        options = self.content.options
        first = self.content.first_entry
        lines = [
            f"There are no entries in the diary from {short_date(options.start)} to "
            f"{short_date(options.end)}: nothing was logged and no regimen was in force."
        ]
        if first is None:
            lines.append("The diary has no entries yet.")
        elif first > options.end:
            lines.append(f"The diary's first entry is on {short_date(first)}.")
        blocks: list[Block] = [heading("No entries in this period", self.fonts)]
        return blocks + [Text(line, self.fonts.body, max_lines=3, after=4.0) for line in lines]

    def _regimen(self) -> list[Block]:
        status = self.content.status
        title = f"Regimen in force on {short_date(self.content.options.end)}"
        regimen = status.regimen
        if regimen is None or not regimen.doses:
            return [heading(title, self.fonts), Text("No regimen was in force.", self.fonts.body)]
        rows = [
            [
                f"{dose.time:%H:%M}",
                dose.drug,
                dose.medication or "",
                f"{dose.mg:g} mg",
                f"{dz:.3g} mg",
            ]
            for dose, dz in zip(regimen.doses, status.dz_by_dose, strict=True)
        ]
        columns = [
            Column("Time", 0.7),
            Column("Drug", 1.3),
            Column("Product", 2.6, max_lines=1),
            Column("Amount", 0.9, Align.RIGHT),
            Column("DZ-eq", 0.9, Align.RIGHT),
        ]
        total = status.dz_total or 0.0
        since = f"since {short_date(regimen.date)} ({regimen.kind.value})"
        note = (
            f"Total {total:.3g} mg diazepam-equivalent (DZ-eq) a day, {since}. DZ-eq by the "
            f"{self.content.table_title} table."
        )
        return [
            heading(title, self.fonts),
            Table(columns, rows, self.fonts, after=1.0),
            Text(note, self.fonts.small, max_lines=2, after=5.0),
        ]

    def _summary(self) -> list[Block]:
        figures = self.content.status.figures
        period = self.content.period
        options = self.content.options

        def mg(value: float | None) -> str:
            return "-" if value is None else f"{value:.3g} mg"

        on_taper = "-"
        if figures.taper_start is not None and figures.days_on_taper is not None:
            months = figures.days_on_taper / (365.25 / 12)
            on_taper = f"{months:.1f} months (since {short_date(figures.taper_start)})"
        rate = "-"
        if figures.mg_per_month is not None:
            rate = f"{figures.mg_per_month:.3g} mg"
            if figures.percent_per_month is not None:
                rate += f" ({figures.percent_per_month:.1f}% of start)"
        reduced = "-" if figures.percent_reduced is None else f"{figures.percent_reduced:.1f}%"
        logged = len(self.content.days)
        left = [
            ("Start DZ-eq a day", mg(figures.start_mg)),
            ("Now (end of period)", mg(figures.current_mg)),
            ("Reduced since start", reduced),
            ("On taper", on_taper),
            ("Average reduction a month", rate),
        ]
        right = [
            ("Cuts", str(period.cuts), str(figures.cuts)),
            ("Reinstatements", str(period.reinstatements), str(figures.reinstatements)),
            ("Hold days", str(period.hold_days), str(figures.hold_days)),
            ("Days logged", f"{logged} of {options.days}", ""),
            ("", "", ""),
        ]
        rows = [[a, b, c, d, e] for (a, b), (c, d, e) in zip(left, right, strict=True)]
        columns = [
            Column("Taper", 1.9),
            Column("", 2.1),
            Column("Counts", 1.1),
            Column("This period", 0.9, Align.RIGHT),
            Column("Overall", 0.8, Align.RIGHT),
        ]
        return [heading("Taper summary", self.fonts), Table(columns, rows, self.fonts)]

    def _symptoms(self) -> list[Block]:
        trends = self.content.trends[:PAGE1_SYMPTOMS]
        days = self.content.options.days
        title = "Symptoms, most severe first (self-rated 0 none to 4 very severe)"
        if not trends:
            return [
                heading(title, self.fonts),
                Text("No symptoms were rated in this period.", self.fonts.body),
            ]
        rows = [
            [
                t.name,
                str(t.days_rated),
                _number(t.mean),
                "-" if t.worst is None else str(t.worst),
                _number(t.previous_mean),
                _change(t.change),
            ]
            for t in trends
        ]
        columns = [
            Column("Symptom", 3.4, max_lines=1),
            Column("Days rated", 0.9, Align.RIGHT),
            Column("Mean", 0.7, Align.RIGHT),
            Column("Worst", 0.7, Align.RIGHT),
            Column(f"Mean, previous {days} days", 1.5, Align.RIGHT),
            Column("Change", 0.8, Align.RIGHT),
        ]
        return [heading(title, self.fonts), Table(columns, rows, self.fonts)]

    def _event_rows(self) -> list[list[str]]:
        rows = []
        for hold in self.content.holds:
            end = "ongoing" if hold.end is None else short_date(hold.end)
            rows.append([f"{short_date(hold.start)} to {end}", "Hold", hold.reason or "-"])
        for change in self.content.reinstatements:
            what = f"{change.from_mg:.3g} to {change.to_mg:.3g} mg DZ-eq a day"
            who = "with the prescriber" if change.prescriber_involved else ""
            reason = "; ".join(part for part in (what, change.reason, who) if part)
            rows.append([short_date(change.date), "Reinstatement", reason])
        return rows

    def _event_columns(self) -> list[Column]:
        return [Column("Dates", 2.2), Column("What", 1.1), Column("Details and reason", 4.0)]

    def _holds_and_reinstatements(self) -> list[Block]:
        title = "Holds and reinstatements in this period"
        rows = self._event_rows()
        if not rows:
            return [heading(title, self.fonts), Text("None in this period.", self.fonts.body)]
        blocks: list[Block] = [heading(title, self.fonts)]
        blocks.append(Table(self._event_columns(), rows[:PAGE1_EVENTS], self.fonts, after=1.0))
        if len(rows) > PAGE1_EVENTS:
            more = len(rows) - PAGE1_EVENTS
            blocks.append(Text(f"{more} more in the appendix.", self.fonts.small))
            self.overflow += [
                heading(f"{title} (all {len(rows)})", self.fonts),
                Table(self._event_columns(), rows, self.fonts),
            ]
        return blocks + [Gap(3.0)]

    # ---- notes on page 1 ------------------------------------------------------------
    def _page1_notes(self) -> list[Note]:
        return self.content.flagged_notes

    def _note_blocks(self, notes: list[Note]) -> list[Block]:
        return [
            Text(f"{short_date(n.date)}: {n.text}", self.fonts.body, max_lines=NOTE_LINES)
            for n in notes
        ]

    def _fit_notes(self, room: float) -> list[Block]:
        if self.content.options.notes is NotesChoice.NONE:
            return [Text("Notes are not included in this summary.", self.fonts.body)]
        notes = self._page1_notes()
        if not notes:
            return [Text("No notes were flagged for the doctor in this period.", self.fonts.body)]
        marker_room = self.measure.line_height(self.fonts.small) + 4
        placed: list[Block] = []
        used = 0.0
        for index, block in enumerate(self._note_blocks(notes)):
            needed = block.height(self.measure, self.width)
            last = index == len(notes) - 1
            if used + needed + (0 if last else marker_room) > room:
                rest = notes[index:]
                placed.append(
                    Text(f"{len(rest)} more flagged notes in the appendix.", self.fonts.small)
                )
                self.overflow += [
                    heading("Notes for the doctor (continued)", self.fonts),
                    *self._note_blocks(rest),
                ]
                break
            placed.append(block)
            used += needed
        return placed

    # ---- the appendix ---------------------------------------------------------------
    def appendix(self) -> list[Page]:
        if not self.content.has_entries:
            return []
        blocks: list[Block] = [PageBreak(), Text("Appendix", self.fonts.title, after=6.0)]
        blocks += self._heatmap()
        blocks += self._responses()
        blocks += self._plan()
        blocks += self.overflow
        if self.content.other_notes:
            blocks.append(heading("Other notes in this period (not flagged)", self.fonts))
            blocks += self._note_blocks(self.content.other_notes)
        if self.content.options.daily_log:
            blocks += [PageBreak(), *self._daily_log()]
        return flow(blocks, self.measure, self.width, self.top, self.bottom)

    def _heatmap(self) -> list[Block]:
        data = self.content.chart
        rows = len(data.symptoms)
        title = "Symptom heatmap (each row a symptom, each column a day)"
        if rows == 0:
            return [heading(title, self.fonts), Text("No symptoms are tracked.", self.fonts.body)]
        size = min(self.bottom - self.top - 80, 60.0 + rows * 12.0)
        options = self.content.options
        chart = heatmap_chart(data, options.start, options.end, self.width, size)
        self.doc.charts.append(chart)
        return [
            heading(title, self.fonts),
            Figure(size, chart.draw, after=2.0),
            Legend(chart.swatches, self.fonts.small, after=1.0),
            Text(
                "Darker is milder, lighter is more severe; hatched cells were not rated "
                "(not rated is not the same as none).",
                self.fonts.small,
                max_lines=2,
                after=8.0,
            ),
        ]

    def _responses(self) -> list[Block]:
        title = "Responses to regimen changes in this period"
        responses = self.content.cut_responses
        if not responses:
            return [
                heading(title, self.fonts),
                Text(
                    "No cut, crossover step or reinstatement in this period.",
                    self.fonts.body,
                    after=8.0,
                ),
            ]
        rows = [
            self._response_row(r, last=i == len(responses) - 1) for i, r in enumerate(responses)
        ]
        columns = [
            Column("Date", 1.1),
            Column("Change", 1.1),
            Column("DZ-eq a day", 1.3),
            Column("14 days before", 0.9, Align.RIGHT),
            Column("14 days after", 0.9, Align.RIGHT),
            Column("Peak burden", 1.2, Align.RIGHT),
            Column("Back in usual range", 1.3, Align.RIGHT),
        ]
        note = (
            "Burden: symptom burden (% of the most severe rating), mean of the days logged. "
            "Back: days from the change until the 7-day burden was back within the usual "
            "range of the 14 days before it (day 0: it stayed within)."
        )
        return [heading(title, self.fonts), Table(columns, rows, self.fonts, 8.0, note=note)]

    def _response_row(self, response: CutResponse, last: bool) -> list[str]:
        words = {"cut": "Cut", "updose": "Reinstatement", "crossover": "Crossover step"}
        change = words.get(response.kind, response.kind)
        if response.percent is not None:
            change += f" {abs(response.percent):.0f}%"
        window_end = response.date + dt.timedelta(days=self.content.response_window_days - 1)
        after = (
            "not yet" if window_end > self.content.options.end else _percent(response.after_mean)
        )
        peak = "-"
        if response.peak is not None:
            peak = f"{response.peak:.0f}% on day {response.peak_delay_days}"
        if response.days_to_baseline is not None:
            back = f"day {response.days_to_baseline}"
        elif response.before_mean is None:
            back = "no baseline"
        else:
            back = "not yet" if last else "not before next change"
        return [
            short_date(response.date),
            change,
            f"{response.from_mg:.3g} to {response.to_mg:.3g} mg",
            _percent(response.before_mean),
            after,
            peak,
            back,
        ]

    def _plan(self) -> list[Block]:
        title = "Plan ahead, as recorded in the diary"
        steps = self.content.plan_steps
        if not steps:
            return [
                heading(title, self.fonts),
                Text("No plan is recorded.", self.fonts.body, after=8.0),
            ]
        previous = self.content.status.dz_total
        rows = []
        for step in steps:
            doses = ", ".join(
                f"{d.drug} {d.mg:g} mg at {d.time:%H:%M}" + (f" ({d.how})" if d.how else "")
                for d in step.doses
            )
            change = "-"
            if previous:
                change = f"{(previous - step.diazepam_mg) / previous * 100:.1f}%"
            doses = doses or "nothing (the plan's final step)"
            rows.append([short_date(step.start), doses, f"{step.diazepam_mg:.3g} mg", change])
            previous = step.diazepam_mg
        columns = [
            Column("From", 1.1),
            Column("Doses", 4.4, max_lines=3),
            Column("DZ-eq a day", 1.0, Align.RIGHT),
            Column("Step", 0.8, Align.RIGHT),
        ]
        note = (
            "Dates include recorded holds. A step becomes the regimen only when it is "
            "recorded as taken; the plan can be changed at any time with the prescriber."
        )
        return [heading(title, self.fonts), Table(columns, rows, self.fonts, 8.0, note=note)]

    def _daily_log(self) -> list[Block]:
        days = self.content.days
        title = "Daily log (days with anything logged)"
        if not days:
            return [heading(title, self.fonts), Text("Nothing was logged.", self.fonts.body)]
        with_notes = self.content.options.notes is not NotesChoice.NONE
        columns = [
            Column("Date", 1.1),
            Column("Doses taken", 1.8, max_lines=2),
            Column("Burden", 0.7, Align.RIGHT),
            Column("Wellbeing", 0.8, Align.RIGHT),
            Column("Sleep", 0.6, Align.RIGHT),
        ]
        if with_notes:
            columns.append(Column("Note (excerpt)", 3.4, max_lines=1))
        rows = [self._day_row(day, with_notes) for day in days]
        return [heading(title, self.fonts), Table(columns, rows, self.fonts)]

    def _day_row(self, day: DaySummary, with_notes: bool) -> list[str]:
        doses = ", ".join(f"{drug} {mg:g} mg" for drug, mg in day.total_mg_by_drug.items())
        if day.in_hold:
            doses = (doses + " (hold)").strip()
        row = [
            f"{day.date:%a} {short_date(day.date)}",
            doses or "-",
            _percent(day.burden_percent),
            "-" if day.wellbeing is None else f"{day.wellbeing}/10",
            "-" if day.sleep_hours is None else f"{day.sleep_hours:g} h",
        ]
        if with_notes:
            row.append(day.note)
        return row

    # ---- helpers --------------------------------------------------------------------
    def _height(self, blocks: list[Block]) -> float:
        return sum(block.height(self.measure, self.width) for block in blocks)

    def _place(self, blocks: list[Block]) -> Page:
        page = Page()
        y = self.top
        for block in blocks:
            page.placed.append(Placed(block, y))
            y += block.height(self.measure, self.width)
        return page


def _change(value: float | None) -> str:
    """A signed change to one decimal; no sign on a change that rounds to zero."""
    if value is None:
        return "-"
    return "0.0" if abs(value) < 0.05 else f"{value:+.1f}"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


# ---- painting ---------------------------------------------------------------------------


def paint_page(painter: QPainter, document: Document, index: int) -> None:
    """Paint page ``index`` (0-based) in points: the painter's device is 72 dpi, or the
    painter is scaled as if it were."""
    painter.fillRect(0, 0, round(document.width) + 1, round(document.height) + 1, QColor("white"))
    _paint_header(painter, document)
    width = document.width - 2 * MARGIN
    for placed in document.pages[index].placed:
        placed.block.paint(painter, document.measure, MARGIN, placed.y, width)
    _paint_footer(painter, document, index)


def _paint_header(painter: QPainter, document: Document) -> None:
    fonts, measure = document.fonts, document.measure
    options = document.content.options
    width = document.width - 2 * MARGIN
    period = f"{short_date(options.start)} to {short_date(options.end)} ({options.days} days)"
    painter.setPen(QColor("#000000"))
    title = "Appointment summary"
    draw_lines(painter, measure, [title], fonts.heading, MARGIN, MARGIN)
    room = width - measure.metrics(fonts.heading).horizontalAdvance(title) - 12
    draw_lines(
        painter,
        measure,
        [measure.fit(period, fonts.heading, room)],
        fonts.heading,
        MARGIN,
        MARGIN,
        width,
        Align.RIGHT.value,
    )
    people = []
    if options.patient_name:
        people.append(f"Patient: {options.patient_name}")
    if options.prescriber_name:
        people.append(f"Prescriber: {options.prescriber_name}")
    people.append(f"Generated {short_date(document.content.generated)} by Taper Diary")
    line = measure.fit(" \N{MIDDLE DOT} ".join(people), fonts.body, width)
    y = MARGIN + measure.line_height(fonts.heading)
    draw_lines(painter, measure, [line], fonts.body, MARGIN, y)
    y += measure.line_height(fonts.body) + 2
    painter.setPen(QPen(QColor("#000000"), 0.8))
    painter.drawLine(QPointF(MARGIN, y), QPointF(MARGIN + width, y))


def _paint_footer(painter: QPainter, document: Document, index: int) -> None:
    fonts, measure = document.fonts, document.measure
    width = document.width - 2 * MARGIN
    top = document.height - MARGIN - FOOTER_HEIGHT + 6
    painter.setPen(QPen(QColor("#000000"), 0.5))
    painter.drawLine(QPointF(MARGIN, top), QPointF(MARGIN + width, top))
    number = f"Page {index + 1} of {document.page_count}"
    number_width = measure.metrics(fonts.small).horizontalAdvance(number)
    text = measure.fit(SELF_REPORTED, fonts.small, width - number_width - 12)
    draw_lines(painter, measure, [text], fonts.small, MARGIN, top + 3)
    draw_lines(painter, measure, [number], fonts.small, MARGIN, top + 3, width, Align.RIGHT.value)
