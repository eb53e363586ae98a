"""Benchmarks: ``make bench`` (or ``python -m bench``). Prints medians; asserts nothing.

Measured on the 10-year demo diary:
- save: one small change (a check-in note) through DiaryService, end to end (validate, SQL,
  serialize, encrypt, fsync'd atomic replace, backup rotation), vs a plain on-disk SQLite WAL
  commit of the same change (synchronous=FULL, so it is durable too) in the same run;
- unlock: key derivation (Argon2id with this machine's calibrated parameters) vs the rest
  (header checks, decrypt, deserialize, quick_check, migrations);
- stability: the full-range stability report (burden, rolling, baseline, runs, cut responses,
  trends, DZ-eq series) the Charts page and ``taper-diary stability`` show.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.charts import bench_charts
from bench.report import bench_report
from diary.bootstrap import create_diary, open_diary
from diary.services.demo import write_demo
from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams, calibrate_kdf, derive_passphrase_key

PASSPHRASE = "bench passphrase"
ROUNDS = 60


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(action: Callable[[], object], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples_ms: list[float]) -> None:
    print(
        f"  {name:<48} median {statistics.median(samples_ms):8.2f} ms"
        f"   p95 {percentile(samples_ms, 0.95):8.2f} ms   (n={len(samples_ms)})"
    )


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {platform.processor() or 'unknown CPU'},"
        f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def bench_save(folder: Path, kdf: KdfParams) -> Path:
    path = folder / "demo.tpd"
    service, _ = create_diary(path, PASSPHRASE, kdf=kdf)
    write_demo(service, days=3650, end=dt.date.today())
    day = dt.date.today()
    counter = iter(range(10**9))

    def change() -> None:
        service.record_checkin(day, note=f"bench note {next(counter)}")

    size = path.stat().st_size
    print(f"10-year demo diary: {size / 1024:.0f} KiB on disk, generation {service.generation}")
    report("DiaryService save (encrypted, atomic, backup)", timed(change, ROUNDS))
    service.close()
    unlocked, db_bytes = DiaryFile.unlock(path, PASSPHRASE)
    unlocked.close()
    report("plain on-disk SQLite WAL commit (sync=FULL)", wal_baseline(folder, db_bytes))
    return path


def wal_baseline(folder: Path, db_bytes: bytes) -> list[float]:
    memory = sqlite3.connect(":memory:")
    memory.deserialize(db_bytes)
    disk_path = folder / "baseline.sqlite"
    disk = sqlite3.connect(disk_path, isolation_level=None)
    memory.backup(disk)
    memory.close()
    disk.execute("PRAGMA journal_mode=WAL")
    disk.execute("PRAGMA synchronous=FULL")
    counter = iter(range(10**9))

    def change() -> None:
        disk.execute("BEGIN")
        disk.execute(
            "UPDATE checkin SET note = ? WHERE date = (SELECT max(date) FROM checkin)",
            (f"bench note {next(counter)}",),
        )
        disk.execute("COMMIT")

    samples = timed(change, ROUNDS)
    disk.close()
    return samples


def bench_unlock(path: Path, kdf: KdfParams) -> None:
    derive = timed(lambda: derive_passphrase_key(PASSPHRASE, os.urandom(16), kdf), 5)
    total = []
    for _ in range(5):
        start = time.perf_counter()
        open_diary(path, passphrase=PASSPHRASE).close()
        total.append((time.perf_counter() - start) * 1000)
    rest = [max(0.0, t - statistics.median(derive)) for t in total]
    print(
        f"unlock with calibrated Argon2id (m={kdf.memory_kib // 1024} MiB, t={kdf.iterations},"
        f" p={kdf.lanes}):"
    )
    report("key derivation", derive)
    report("everything else (decrypt, deserialize, checks)", rest)
    report("unlock total", total)


def main() -> int:
    print(f"Machine: {machine()}")
    kdf = calibrate_kdf()
    with tempfile.TemporaryDirectory() as tmp:
        path = bench_save(Path(tmp), kdf)
        bench_unlock(path, kdf)
        bench_stability(path)
        bench_charts(path, PASSPHRASE, report, timed)
        bench_report(path, PASSPHRASE, report, timed)
    return 0


def bench_stability(path: Path) -> None:
    """DiaryService.stability over the whole 10-year diary: reading the check-ins and regimen,
    then every series and figure of the Charts page and ``taper-diary stability``."""
    service = open_diary(path, passphrase=PASSPHRASE)
    try:
        print("stability report over the whole 10-year diary:")
        report("DiaryService.stability() (read + compute)", timed(service.stability, 20))
    finally:
        service.close()


if __name__ == "__main__":
    sys.exit(main())
