"""No plaintext on disk after a whole session through DiaryService (security.md, test 8).

A unique canary goes into ten years of check-in notes, dose notes, events and a hold; the
session saves, undoes, redoes, changes keys and runs big sorts and index builds in the
in-memory database. Two checks:

- while each big statement runs, no file is opened at all (SQLite's own temp files are
  unlinked the moment they are opened, so a scan afterwards could never see them; a control
  run with SQLite's default temp store shows the probe does see them);
- afterwards, no file under the diary folder, the temp folder or /var/tmp holds the canary,
  in UTF-8 or UTF-16.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from diary.bootstrap import create_diary, open_diary
from diary.domain.models import ChangeKind, EventKind, RegimenDose
from diary.services.diary_service import DiaryService
from diary.storage.keys import KdfParams
from diary.storage.stored_diary import StoredDiary

PASSPHRASE = "a session passphrase"
DAYS = 3650
FILLER = "Slept badly, walked the dog, and the afternoon wave came and went again. " * 8

BIG_STATEMENTS = (
    "SELECT date, note FROM checkin ORDER BY note DESC, date",
    "SELECT note FROM checkin UNION SELECT note FROM event UNION SELECT note FROM dose ORDER BY 1",
    "SELECT substr(note, 1, 60) AS head, count(*) FROM checkin GROUP BY head"
    " ORDER BY count(*) DESC, head",
    "SELECT DISTINCT note || date FROM checkin",
    "CREATE INDEX checkin_note ON checkin (note, date)",
    "DROP INDEX checkin_note",
    "CREATE TEMP TABLE notes_copy AS SELECT date, note FROM checkin",
    "CREATE INDEX temp.notes_copy_note ON notes_copy (note)",
    "SELECT a.date FROM notes_copy a JOIN notes_copy b ON a.note = b.note ORDER BY a.note",
    "DROP TABLE notes_copy",
)


def open_files() -> set[str]:
    """What this process has open now (Linux), other than /proc itself and pipes/sockets."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("/") and not target.startswith("/proc/"):
            found.add(target)
    return found


@contextmanager
def files_opened_during_queries(conn: sqlite3.Connection) -> Iterator[set[str]]:
    """Collect every file opened while SQLite runs a statement on ``conn``."""
    before = open_files()
    opened: set[str] = set()

    def probe() -> int:
        opened.update(open_files() - before)
        return 0  # carry on

    conn.set_progress_handler(probe, 5_000)
    try:
        yield opened
    finally:
        conn.set_progress_handler(None, 0)


def connection_of(service: DiaryService) -> sqlite3.Connection:
    """The raw in-memory connection, for test-only big sorts the service never runs."""
    store = service._store  # the store object bootstrap wired in
    assert isinstance(store, StoredDiary)
    return store.database.connection


def write_a_long_diary(service: DiaryService, canary: str, today: dt.date) -> None:
    service.add_medication("Diazepam 2 mg", "diazepam", strength_mg=2)
    first = today - dt.timedelta(days=DAYS)
    service.set_regimen(
        [RegimenDose("diazepam", 2, dt.time(8, 0)), RegimenDose("diazepam", 2, dt.time(20, 0))],
        first,
        ChangeKind.START,
        reason=f"started {canary}",
    )
    symptoms = [s.name for s in service.symptoms()][:4]
    with service.batch("ten years"):
        for n in range(DAYS):
            day = first + dt.timedelta(days=n)
            service.record_checkin(
                day,
                ratings={name: (n + k) % 5 for k, name in enumerate(symptoms)},
                wellbeing=n % 11,
                sleep_hours=4 + n % 6,
                note=f"Day {n}: {canary}. {FILLER}",
            )
            if n % 10 == 0:
                taken = dt.datetime.combine(day, dt.time(8, 5)).astimezone()
                service.add_dose("Diazepam 2 mg", 2, taken, note=f"with food {canary}")
            if n % 30 == 0:
                service.add_event(day, EventKind.NOTE, f"Month {n // 30}", note=canary)
    service.start_hold(today - dt.timedelta(days=20), reason=f"holding {canary}")


def test_a_whole_session_leaves_no_plaintext_on_disk(tmp_path: Path) -> None:
    started = time.time() - 1
    canary = f"canary-{uuid.uuid4().hex}"
    path = tmp_path / "diary folder" / "diary.tpd"
    service, _ = create_diary(path, PASSPHRASE, kdf=KdfParams.MINIMUM)
    try:
        today = dt.date.today()
        write_a_long_diary(service, canary, today)
        service.undo()  # restores and saves the whole database
        service.redo()
        assert len(service.day_summaries()) == DAYS
        assert canary in service.day_summaries(today - dt.timedelta(days=30))[0].note
        if sys.platform == "linux":
            assert_big_statements_open_no_file(connection_of(service), canary)
        service.change_passphrase("another session passphrase")
        service.new_recovery_key()  # a rotation: re-seals every backup
    finally:
        service.close()
    reopened = open_diary(path, "another session passphrase")
    yesterday = reopened.checkin(today - dt.timedelta(days=1))
    reopened.close()
    assert yesterday is not None and canary in yesterday.note

    patterns = [canary.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    diary_folder_files = scan(path.parent, patterns, since=0.0)
    assert len(diary_folder_files) >= 10  # the diary, its lock, and the backups
    scanned = set(diary_folder_files)
    for folder in temp_folders():
        scanned |= scan(folder, patterns, since=started)
    print(
        f"\nFIGURE no-plaintext session: {DAYS} days, {path.stat().st_size / 2**20:.1f} MB "
        f"diary, {len(scanned)} files scanned ({len(diary_folder_files)} in the diary folder), "
        "canary found in none"
    )


def assert_big_statements_open_no_file(conn: sqlite3.Connection, canary: str) -> None:
    with files_opened_during_queries(conn) as opened:
        for statement in BIG_STATEMENTS:
            conn.execute(statement).fetchall()
    assert opened == set(), f"SQLite opened files during big sorts: {opened}"
    # Control: the same notes, without the canary, in a database on SQLite's default temp
    # store; the same statements spill to temp files and the probe sees them.
    rows = conn.execute("SELECT date, replace(note, ?, 'x') FROM checkin", (canary,)).fetchall()
    control = sqlite3.connect(":memory:", isolation_level=None)
    try:
        control.execute("PRAGMA temp_store = DEFAULT")
        for table in ("checkin", "event", "dose"):
            control.execute(f"CREATE TABLE {table} (date TEXT, note TEXT)")
        control.executemany("INSERT INTO checkin VALUES (?, ?)", rows)
        with files_opened_during_queries(control) as spilled:
            for statement in BIG_STATEMENTS:
                control.execute(statement).fetchall()
        assert spilled, "the control sorts did not spill; the probe proves nothing"
    finally:
        control.close()


def temp_folders() -> list[Path]:
    candidates = [tempfile.gettempdir(), "/var/tmp", "/usr/tmp"]
    candidates += [os.environ[name] for name in ("TMPDIR", "SQLITE_TMPDIR") if name in os.environ]
    unique = {Path(c).resolve() for c in candidates if Path(c).is_dir()}
    return sorted(unique)


def scan(folder: Path, patterns: list[bytes], since: float) -> set[Path]:
    """Every regular file under ``folder`` changed since ``since``; fail if one holds a
    pattern. Returns the files scanned."""
    scanned: set[Path] = set()
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            try:
                info = path.lstat()
                if not stat.S_ISREG(info.st_mode) or info.st_mtime < since:
                    continue
                if info.st_size > 200 * 2**20:
                    continue
                data = path.read_bytes()
            except OSError:
                continue  # another user's file, or gone since listing
            scanned.add(path.resolve())
            for pattern in patterns:
                assert pattern not in data, f"plaintext found in {path}"
    return scanned
