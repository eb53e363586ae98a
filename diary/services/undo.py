"""Undo and redo by whole-database snapshots.

Before each change the bytes last saved are already at hand (memory always equals disk), so
an undo step costs no extra serialisation: it is just a reference to those bytes and a label.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

MAX_STEPS = 50
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Step:
    label: str  # what the user did, e.g. "record dose"
    snapshot: bytes  # the database as it was on the other side of this step


class UndoHistory:
    """Two stacks of snapshots, bounded by step count and total size."""

    def __init__(self, max_steps: int = MAX_STEPS, max_bytes: int = MAX_BYTES) -> None:
        self._max_steps = max_steps
        self._max_bytes = max_bytes
        self._undo: deque[Step] = deque()
        self._redo: list[Step] = []

    def record(self, label: str, before: bytes) -> None:
        """A new change was saved; ``before`` is the database as it was. Clears redo."""
        self._redo.clear()
        self._push_undo(Step(label, before))

    def peek_undo(self) -> Step | None:
        return self._undo[-1] if self._undo else None

    def peek_redo(self) -> Step | None:
        return self._redo[-1] if self._redo else None

    def undone(self, current: bytes) -> None:
        """The top undo step was applied; ``current`` is what it replaced."""
        step = self._undo.pop()
        self._redo.append(Step(step.label, current))

    def redone(self, current: bytes) -> None:
        """The top redo step was applied; ``current`` is what it replaced."""
        step = self._redo.pop()
        self._push_undo(Step(step.label, current))

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()

    def _push_undo(self, step: Step) -> None:
        self._undo.append(step)
        while len(self._undo) > self._max_steps or (
            len(self._undo) > 1 and self._size() > self._max_bytes
        ):
            self._undo.popleft()

    def _size(self) -> int:
        # Snapshots of consecutive steps are separate bytes objects, so sizes simply add up.
        return sum(len(s.snapshot) for s in self._undo) + sum(len(s.snapshot) for s in self._redo)
