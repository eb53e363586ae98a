"""Run slow work (key derivation) off the GUI thread.

A ``BackgroundTask`` runs one function on the thread pool. The function must not touch
widgets; its result or exception comes back through the ``succeeded`` / ``failed``
signals, delivered on the GUI thread. Keep a reference to the task until it reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class BackgroundTask(QObject):
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.running = False
        self.succeeded.connect(self._finish)
        self.failed.connect(self._finish)

    def start(self, pool: QThreadPool | None = None) -> None:
        self.running = True
        (pool or QThreadPool.globalInstance()).start(_Runner(self._work, self))

    def _finish(self, _result: object) -> None:
        self.running = False


class _Runner(QRunnable):
    def __init__(self, work: Callable[[], Any], task: BackgroundTask) -> None:
        super().__init__()
        self._work = work
        self._task = task

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # noqa: BLE001 - every failure is reported, none lost
            self._task.failed.emit(error)
        else:
            self._task.succeeded.emit(result)
