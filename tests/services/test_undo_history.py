"""The undo history's bounds, as a property: never more than 50 steps or about 64 MB."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from diary.services.undo import UndoHistory


@given(sizes=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=80))
def test_history_keeps_the_newest_steps_within_its_bounds(sizes: list[int]) -> None:
    history = UndoHistory(max_steps=10, max_bytes=100)
    for index, size in enumerate(sizes):
        history.record(f"step {index}", b"x" * size)
    kept = []
    while (step := history.peek_undo()) is not None:
        kept.append(step)
        history.undone(b"")
    assert kept[0].label == f"step {len(sizes) - 1}"  # the newest step is always kept
    assert len(kept) <= 10
    assert len(kept) == 1 or sum(len(s.snapshot) for s in kept) <= 100
    assert [s.label for s in kept] == [
        f"step {i}" for i in range(len(sizes) - 1, len(sizes) - 1 - len(kept), -1)
    ]


def test_redo_returns_what_undo_replaced() -> None:
    history = UndoHistory()
    history.record("check-in", b"before")
    history.undone(b"after")
    step = history.peek_redo()
    assert step is not None and (step.label, step.snapshot) == ("check-in", b"after")
    history.redone(b"before")
    assert history.peek_redo() is None
    undo = history.peek_undo()
    assert undo is not None and undo.snapshot == b"before"
