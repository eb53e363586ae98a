"""The appointment summary on the 10-year demo diary, offscreen (``python -m bench`` runs it).

Each run reads the period from the service, lays out the pages, builds the charts and paints
the PDF into memory (everything ``taper-diary report`` does after unlocking, except the final
write). Targets from issue 6: a 90-day report within 1.5 s, the full ten years within 5 s.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from diary.bootstrap import open_diary  # noqa: E402 - the platform must be chosen first
from diary.report import render  # noqa: E402
from diary.report.options import ReportOptions  # noqa: E402

ROUNDS = 5


def bench_report(path: Path, passphrase: str, report, timed) -> None:  # type: ignore[no-untyped-def]
    render.application()
    service = open_diary(path, passphrase=passphrase)
    today = dt.date.today()
    cases = [
        ("90-day report", 90, False),
        ("1-year report", 365, False),
        ("10-year report", 3650, False),
        ("10-year report with the daily log", 3650, True),
    ]
    try:
        print("appointment summary PDF (read + layout + charts + paint, in memory):")
        for name, days, daily_log in cases:
            options = ReportOptions(today - dt.timedelta(days=days - 1), today, daily_log=daily_log)
            pages = [0]

            def once(options: ReportOptions = options, pages: list[int] = pages) -> None:
                document = render.build(service, options, today)
                render.pdf_bytes(document)
                pages[0] = document.page_count
                document.release()

            samples = timed(once, ROUNDS)
            report(f"{name} ({pages[0]} pages)", samples)
    finally:
        service.close()
