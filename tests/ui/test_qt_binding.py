"""The Qt binding itself must not corrupt Python: PySide6 6.12.0 dropped a reference to True
on every Signal.emit(), and after a few thousand repaints the app aborted (bool_dealloc); it
also dropped one to None on calls that return nothing."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    carried = Signal(object)


def test_emitting_signals_leaves_the_reference_count_of_true_alone(qapp: object) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(lambda: received.append(None))
    emitter.carried.connect(received.append)
    before = sys.getrefcount(True)

    for _ in range(1000):
        emitter.fired.emit()
        emitter.carried.emit(True)
    received.clear()

    # A stray reference or two comes and goes; the 6.12.0 bug loses one per emit (2000 here).
    assert abs(sys.getrefcount(True) - before) < 10


def test_calls_returning_nothing_leave_the_reference_count_of_none_alone(qapp: object) -> None:
    """6.12.0 also dropped a reference to None on each call that returns nothing."""
    emitter = _Emitter()
    before = sys.getrefcount(None)

    for number in range(1000):
        emitter.setObjectName(f"emitter {number}")
        emitter.blockSignals(False)

    assert abs(sys.getrefcount(None) - before) < 10
