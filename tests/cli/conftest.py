"""Run the real ``taper-diary`` command in a subprocess against real encrypted diaries."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from diary import bootstrap
from diary.storage.keys import KdfParams

PASSPHRASE = "correct horse battery staple"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@dataclass(frozen=True)
class Diary:
    path: Path
    recovery_key: str


Run = Callable[..., Result]


@pytest.fixture
def run_cli(tmp_path: Path) -> Run:
    """``run_cli(diary_path, *args, stdin=...)``: the CLI as a user runs it, secrets on stdin."""
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONWARNINGS": "ignore"}

    def run(diary_path: Path | None, *args: str, stdin: str = "") -> Result:
        command = [sys.executable, "-m", "diary"]
        if diary_path is not None:
            command += ["--diary", str(diary_path)]
        done = subprocess.run(
            [*command, *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def diary(tmp_path: Path, fast_kdf: KdfParams) -> Diary:
    """A fresh diary, created in-process with the cheapest allowed key derivation."""
    path = tmp_path / "diary.tpd"
    service, recovery_key = bootstrap.create_diary(path, PASSPHRASE, kdf=fast_kdf)
    service.close()
    return Diary(path, recovery_key)


def assert_fails(result: Result, code: int, *words: str) -> None:
    """The command failed with ``code`` and said so in one plain line, without a traceback."""
    assert result.code == code, (result.code, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word.lower() in lines[0].lower(), lines[0]
