"""Writes the golden format-v1 container ``container_v1.tpd`` and its facts
``container_v1.json``. Run once, when format v1 was released; never again (the point of a
golden file is that today's code must open yesterday's bytes).

    .venv/bin/python tests/data/make_container_v1.py
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

from diary.storage.diary_file import DiaryFile
from diary.storage.keys import KdfParams

HERE = Path(__file__).resolve().parent
PASSPHRASE = "golden v1 passphrase: Zoë ☕"
FIRST = b"Taper Diary golden container v1, generation 1\n"


def payload() -> bytes:
    """Known bytes, long enough to need two 64 KiB padding blocks."""
    return b"Taper Diary golden container v1, generation 2\n" + bytes(range(256)) * 300


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "golden.tpd"
        diary, recovery_key = DiaryFile.create(path, PASSPHRASE, FIRST, KdfParams.MINIMUM)
        diary.save(payload())
        generation, file_id = diary.generation, diary.file_id
        diary.close()
        shutil.copyfile(path, HERE / "container_v1.tpd")
    facts = {
        "passphrase": PASSPHRASE,
        "recovery_key": recovery_key,
        "generation": generation,
        "file_id": file_id,
        "format_version": "1.0",
        "payload_sha256": hashlib.sha256(payload()).hexdigest(),
    }
    (HERE / "container_v1.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
