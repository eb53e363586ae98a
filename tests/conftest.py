"""Shared test set-up: Qt renders offscreen, and key derivation can be made cheap."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Timing belongs in bench/, not in tests: on a busy two-core CI machine a single example can
# take far longer than hypothesis' default 200 ms deadline without anything being wrong.
settings.register_profile("diary", deadline=None)
settings.load_profile("diary")

from diary.storage.keys import KdfParams  # noqa: E402  (the environment must be set first)


@pytest.fixture
def fast_kdf() -> KdfParams:
    """The lowest Argon2id setting we ever write (about 0.1 s per unlock)."""
    return KdfParams.MINIMUM
