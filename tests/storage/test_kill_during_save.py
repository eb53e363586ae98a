"""SIGKILL a process in the middle of saving, again and again: the diary always opens
as a complete generation (the old one or the new one), and every backup opens too.

The child is forked from the test process (modules already imported, so a restart costs a
few milliseconds), unlocks the diary and saves in a loop until it is killed at a random
moment. Each reopen also exercises stale-lock recovery: the killed child held the lock.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from diary.storage import atomic_write
from diary.storage.backups import list_backups
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams


def payload_for(generation: int) -> bytes:
    """Contents whose size varies a lot, so saves cross the 64 KiB padding steps."""
    return b"generation %08d;" % generation * (1 + (generation * 7919) % 12_000)


def _save_forever(path: Path, recovery_key: str) -> None:
    """Runs in the forked child; never returns."""
    code = 0
    try:
        diary, _ = DiaryFile.unlock_with_recovery_key(path, recovery_key)
        while True:
            diary.save(payload_for(diary.generation + 1))
    except BaseException:
        code = 3
    finally:
        os._exit(code)


def run_kills(tmp_path: Path, kills: int, seed: int) -> None:
    path = tmp_path / "diary.tpd"
    diary, recovery_key = DiaryFile.create(path, "kill test", payload_for(1), KdfParams.MINIMUM)
    diary.close()
    rng = random.Random(seed)
    last_generation, mid_write, survived = 1, 0, 0
    started = time.perf_counter()
    for _ in range(kills):
        pid = os.fork()
        if pid == 0:
            _save_forever(path, recovery_key)
        time.sleep(rng.uniform(0.003, 0.05))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), "the saving child stopped on its own (a save failed)"
        mid_write += any(atomic_write.is_temp_for(path, p) for p in path.parent.iterdir())

        diary, db = DiaryFile.unlock_with_recovery_key(path, recovery_key)
        assert db == payload_for(diary.generation), "the diary is not a complete generation"
        assert diary.generation >= last_generation
        last_generation = diary.generation
        diary.close()
        survived += 1

    diary, _ = DiaryFile.unlock_with_recovery_key(path, recovery_key)
    for backup in list_backups(path):
        assert diary.read_backup(backup.id) == payload_for(backup.generation)
    diary.close()
    assert last_generation > kills, "the children should have completed many saves"
    print(
        f"\nFIGURE kills survived: {survived}/{kills} "
        f"({mid_write} while a temp file was being written; {last_generation} generations; "
        f"{time.perf_counter() - started:.1f} s)"
    )


def test_200_kills_during_save(tmp_path: Path) -> None:
    run_kills(tmp_path, kills=200, seed=200)


@pytest.mark.slow
def test_1000_kills_during_save(tmp_path: Path) -> None:
    run_kills(tmp_path, kills=1000, seed=1000)
