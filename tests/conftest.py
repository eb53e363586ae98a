"""Shared test set-up: Qt renders offscreen, and key derivation can be made cheap."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from diary.storage.keys import KdfParams  # noqa: E402  (the environment must be set first)


@pytest.fixture
def fast_kdf() -> KdfParams:
    """The lowest Argon2id setting we ever write (about 0.1 s per unlock)."""
    return KdfParams.MINIMUM
