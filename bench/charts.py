"""Charts page redraw on the 10-year demo diary, offscreen (``python -m bench`` runs it).

- building the chart data once per change (service reads + stability report + arrays);
- preparing the main view's items from that data;
- the full-range redraw of the main view: painting the whole ten years into a 1400 x 800
  image, as the screen would after a change or a resize;
- panning: moving the visible year by a few days and painting again.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402 - the platform must be chosen first

from diary.bootstrap import open_diary  # noqa: E402
from diary.charts.adapter import chart_data  # noqa: E402
from diary.charts.data import DAY_SECONDS  # noqa: E402
from diary.ui.dialogs import Dialogs  # noqa: E402
from diary.ui.pages.charts_page import ChartsPage, Preset  # noqa: E402

ROUNDS = 30
SIZE = (1400, 800)


def bench_charts(path: Path, passphrase: str, report, timed) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance() or QApplication([])
    service = open_diary(path, passphrase=passphrase)
    today = dt.date.today()
    try:
        page = ChartsPage(Dialogs(), today=lambda: today)
        page.resize(*SIZE)
        page.show()
        app.processEvents()
        page.open_session(service)
        page.apply_preset(Preset.ALL)
        app.processEvents()
        view = page.views[next(iter(page.views))]
        print(
            f"Charts page, main view, whole diary ({page.data.day_count} days), "
            f"{SIZE[0]}x{SIZE[1]} offscreen:"
        )
        report(
            "chart data from the service (once per change)",
            timed(lambda: chart_data(service, today), 10),
        )
        report(
            "main view items from the data (once per change)",
            timed(lambda: page.main.set_data(page.data), ROUNDS),
        )
        report("full-range redraw of the main view (paint)", timed(view.grab, ROUNDS))
        page.apply_preset(Preset.YEAR)
        box = page.main.dz_box
        step = [5 * DAY_SECONDS]

        def pan() -> None:
            low, high = box.viewRange()[0]
            step[0] = -step[0]
            box.setXRange(low + step[0], high + step[0], padding=0)
            view.grab()

        report("pan one year's view by 5 days and repaint", timed(pan, ROUNDS))
        page.close_session()
    finally:
        service.close()
