"""Encrypted backups of earlier generations, in a ``backups/`` folder beside the diary.

Every save first gives the current file a second name in ``backups/`` (a hard link, so it
costs no copy), named ``<diary stem>.<generation>-<UTC time>[-n]<suffix>``; the backup id is
the part between the stem and the suffix, e.g. ``42-20250301T081500Z``. The time is when
that generation was saved (the file's modification time). Backups are the same encrypted
container as the diary: they open with the key slots they were saved with, until a
data-key rotation re-seals them (``reseal_backup``) under the new keys. A damaged diary file
that ``restore_backup`` sets aside is listed with generation 0.

Kept by ``prune``: the last 20 saves, the newest of each day for 30 days, and the newest of
each month for 12 months.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from diary.domain.errors import DiaryError, NotFound
from diary.storage import atomic_write
from diary.storage.container import (
    Header,
    HeaderFields,
    open_payload,
    opens_to,
    read_header,
    seal,
    unlock_with_passphrase,
)
from diary.storage.file_lock import FileLock
from diary.storage.keys import Keys

KEEP_LAST = 20
KEEP_DAILY_DAYS = 30
KEEP_MONTHLY_MONTHS = 12
FOLDER = "backups"
DEFAULT_SUFFIX = ".tpd"
_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Backup:
    id: str
    path: Path
    generation: int
    saved_at: dt.datetime


def backups_folder(diary_path: Path) -> Path:
    return diary_path.parent / FOLDER


def list_backups(diary_path: Path) -> list[Backup]:
    """This diary's backups, newest first."""
    folder = backups_folder(diary_path)
    if not folder.is_dir():
        return []
    suffix = diary_path.suffix or DEFAULT_SUFFIX
    pattern = re.compile(
        rf"{re.escape(diary_path.stem)}\.((\d+)-(\d{{8}}T\d{{6}}Z)(?:-\d+)?){re.escape(suffix)}"
    )
    found = []
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match:
            saved_at = dt.datetime.strptime(match[3], _STAMP).replace(tzinfo=dt.UTC)
            found.append(Backup(match[1], path, int(match[2]), saved_at))
    return sorted(found, key=lambda b: (b.saved_at, b.generation, b.id), reverse=True)


def find_backup(diary_path: Path, backup_id: str) -> Backup:
    for backup in list_backups(diary_path):
        if backup.id == backup_id:
            return backup
    raise NotFound(f"There is no backup called {backup_id!r} beside this diary.", "backup")


def keep_current(diary_path: Path, generation: int) -> Path | None:
    """Link the current diary file into backups/; None when there is no current file."""
    if not diary_path.exists():
        return None
    folder = backups_folder(diary_path)
    folder.mkdir(mode=0o700, exist_ok=True)
    saved_at = dt.datetime.fromtimestamp(diary_path.stat().st_mtime, dt.UTC)
    base = f"{diary_path.stem}.{generation}-{saved_at.strftime(_STAMP)}"
    suffix = diary_path.suffix or DEFAULT_SUFFIX
    for attempt in range(1, 1000):
        name = base + (f"-{attempt}" if attempt > 1 else "") + suffix
        try:
            atomic_write.link_backup(diary_path, folder / name)
        except FileExistsError:
            continue
        return folder / name
    raise FileExistsError(f"too many backups named {base}")


def prune(diary_path: Path, now: dt.datetime) -> None:
    """Delete backups outside the schedule (last 20, daily for 30 days, monthly for a year)."""
    backups = list_backups(diary_path)
    keep = {b.id for b in backups[:KEEP_LAST]}
    days: set[dt.date] = set()
    months: set[tuple[int, int]] = set()
    for backup in backups:  # newest first, so the first seen of a day is its newest
        age = now - backup.saved_at
        day = backup.saved_at.date()
        month = (day.year, day.month)
        if age <= dt.timedelta(days=KEEP_DAILY_DAYS) and day not in days:
            days.add(day)
            keep.add(backup.id)
        if age <= dt.timedelta(days=366) and month not in months and len(months) < 12:
            months.add(month)
            keep.add(backup.id)
    for backup in backups:
        if backup.id not in keep:
            atomic_write.remove_quietly(backup.path)


def reseal_backup(backup: Backup, db_bytes: bytes, keys: Keys, fields: HeaderFields) -> None:
    """Atomically rewrite one backup as ``db_bytes`` sealed with ``keys`` and ``fields``.

    The caller puts the backup's own generation in ``fields``; the name (so the id and the
    time) and the modification time stay as they were. On failure the backup is untouched.
    """
    sealed = seal(db_bytes, keys, fields)
    before = backup.path.stat()
    temp = atomic_write.write_temp(backup.path, sealed)
    try:
        if not opens_to(atomic_write.read_back(temp), keys, db_bytes):
            raise atomic_write.read_back_mismatch()
        os.utime(temp, ns=(before.st_atime_ns, before.st_mtime_ns))
        atomic_write.replace(temp, backup.path)
    except BaseException:
        atomic_write.remove_quietly(temp)
        raise
    atomic_write.fsync_dir(backup.path.parent)


def remove_stale_temps(diary_path: Path) -> None:
    """Delete temp files left in backups/ by a killed rotation. Call only while locked."""
    folder = backups_folder(diary_path)
    if not folder.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(diary_path.stem)}\..+\.[0-9a-f]{{12}}\.tmp")
    for candidate in folder.iterdir():
        if pattern.fullmatch(candidate.name):
            atomic_write.remove_quietly(candidate)


def restore_backup(diary_path: Path, backup_id: str, passphrase: str) -> None:
    """Put a backup back in place as the diary, keeping the current file as a backup first.

    Works when the diary file itself is damaged or missing. The restored diary gets a
    generation above every one seen, so generations only ever go up.
    """
    with FileLock.acquire(diary_path):
        backup = find_backup(diary_path, backup_id)
        data = backup.path.read_bytes()
        header = read_header(data)
        keys = unlock_with_passphrase(header, passphrase)
        db_bytes = open_payload(data, header, keys)
        current = _current_generation(diary_path)
        newest = max([current or 0] + [b.generation for b in list_backups(diary_path)])
        fields = replace(header.fields, generation=newest + 1)
        sealed = seal(db_bytes, keys, fields)

        def verify(written: bytes) -> None:
            if not opens_to(written, keys, db_bytes):
                raise atomic_write.read_back_mismatch()

        atomic_write.commit(
            diary_path,
            sealed,
            verify=verify,
            keep_previous=lambda: keep_current(diary_path, current or 0),
        )


def _current_generation(diary_path: Path) -> int | None:
    """The generation of the diary file now in place, or None if it is missing or damaged."""
    try:
        header: Header = read_header(diary_path.read_bytes())
    except (OSError, DiaryError):
        return None
    return header.generation
