"""The diary's SQL schema as ordered migrations keyed by ``PRAGMA user_version``.

Migration N turns a version N-1 database into version N. Released migrations never change:
a new field is a new migration. CHECK constraints mirror the limits in
``diary.domain.validation`` as a last line of defence; the domain gives the readable message.
"Not logged" is NULL or an absent row, never 0.
"""

from __future__ import annotations

import json
import sqlite3

from diary.domain.equivalence import DEFAULT_TABLE, SETTING_OVERRIDES, SETTING_TABLE
from diary.domain.symptom_catalogue import DEFAULT_SYMPTOMS

_V1 = """
CREATE TABLE medication (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE
        CHECK (length(trim(name)) > 0 AND length(name) <= 100),
    drug TEXT NOT NULL CHECK (length(drug) > 0),
    form TEXT NOT NULL CHECK (form IN ('tablet', 'capsule', 'liquid')),
    strength_mg REAL CHECK (strength_mg IS NULL OR strength_mg > 0),
    concentration_mg_ml REAL
        CHECK (concentration_mg_ml IS NULL OR (concentration_mg_ml > 0
                                               AND concentration_mg_ml <= 100)),
    CHECK ((form = 'liquid') = (concentration_mg_ml IS NOT NULL)),
    CHECK (form <> 'liquid' OR strength_mg IS NULL)
);

-- Each change holds the whole regimen in force from its date until the next change.
CREATE TABLE regimen_change (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL UNIQUE CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('start', 'cut', 'updose', 'crossover')),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 10000),
    prescriber_involved INTEGER NOT NULL DEFAULT 0 CHECK (prescriber_involved IN (0, 1))
);

CREATE TABLE regimen_dose (
    id INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES regimen_change (id) ON DELETE CASCADE,
    drug TEXT NOT NULL CHECK (length(drug) > 0),
    mg REAL NOT NULL CHECK (mg > 0),
    time TEXT NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'),
    medication_id INTEGER REFERENCES medication (id),
    UNIQUE (change_id, drug, time)
);
CREATE INDEX regimen_dose_change ON regimen_dose (change_id);

CREATE TABLE dose (
    id INTEGER PRIMARY KEY,
    taken_at TEXT NOT NULL,    -- ISO 8601 with the UTC offset of the moment it was taken
    taken_at_utc TEXT NOT NULL,  -- the same moment in UTC, for ordering
    local_date TEXT NOT NULL,  -- the date part of taken_at, for day lookups
    medication_id INTEGER NOT NULL REFERENCES medication (id),
    mg REAL NOT NULL CHECK (mg >= 0),
    ml REAL CHECK (ml IS NULL OR (ml > 0 AND ml <= 100)),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 10000),
    kind TEXT NOT NULL CHECK (kind IN ('as_planned', 'adjusted', 'extra', 'not_taken')),
    planned_time TEXT CHECK (planned_time IS NULL OR planned_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    CHECK ((kind = 'not_taken') = (mg = 0))
);
CREATE INDEX dose_local_date ON dose (local_date);

CREATE TABLE hold (
    id INTEGER PRIMARY KEY,
    start TEXT NOT NULL,
    "end" TEXT CHECK ("end" IS NULL OR "end" >= start),
    reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 10000)
);

CREATE TABLE symptom (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE
        CHECK (length(trim(name)) > 0 AND length(name) <= 100),
    position INTEGER NOT NULL,
    tracked INTEGER NOT NULL DEFAULT 1 CHECK (tracked IN (0, 1)),
    custom INTEGER NOT NULL DEFAULT 0 CHECK (custom IN (0, 1))
);

-- One row per day with a check-in; NULL fields were not logged.
CREATE TABLE checkin (
    date TEXT PRIMARY KEY,
    wellbeing INTEGER CHECK (wellbeing IS NULL OR wellbeing BETWEEN 0 AND 10),
    sleep_hours REAL CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
    note TEXT CHECK (note IS NULL OR length(note) <= 10000),
    for_doctor INTEGER NOT NULL DEFAULT 0 CHECK (for_doctor IN (0, 1))
) WITHOUT ROWID;

-- A symptom without a row on a day was not rated that day (not the same as 0).
CREATE TABLE rating (
    date TEXT NOT NULL REFERENCES checkin (date) ON DELETE CASCADE,
    symptom_id INTEGER NOT NULL REFERENCES symptom (id),
    severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 4),
    PRIMARY KEY (date, symptom_id)
) WITHOUT ROWID;

CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('appointment', 'illness', 'life_event', 'note')),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0 AND length(title) <= 100),
    note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 10000)
);
CREATE INDEX event_date ON event (date);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""

# Version 2: the taper toolkit. Products on hand (may a tablet be split, which syringe
# measures a liquid) and stored plans. A plan's steps are kept exactly as computed when it was
# made, so a later change of products never silently alters it; holds shift the dates of
# unapplied steps when the plan is read, not by rewriting them.
_V2 = """
ALTER TABLE medication ADD COLUMN split INTEGER NOT NULL DEFAULT 1 CHECK (split IN (1, 2, 4));
ALTER TABLE medication ADD COLUMN syringe_ml REAL NOT NULL DEFAULT 0.1
    CHECK (syringe_ml > 0 AND syringe_ml <= 10);

CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'replaced', 'finished')),
    method TEXT NOT NULL CHECK (method IN ('percent', 'step', 'custom')),
    interval_days INTEGER NOT NULL CHECK (interval_days >= 1),
    start TEXT NOT NULL,
    percent REAL CHECK (percent IS NULL OR (percent > 0 AND percent < 100)),
    step_mg REAL CHECK (step_mg IS NULL OR step_mg > 0),
    custom_mg TEXT NOT NULL DEFAULT '[]',  -- JSON list of daily totals in mg of the drug
    final_step_mg REAL CHECK (final_step_mg IS NULL OR final_step_mg > 0),
    crossover_to TEXT,
    stage_days INTEGER CHECK (stage_days IS NULL OR stage_days >= 1),
    table_name TEXT NOT NULL
);
-- At most one active plan.
CREATE UNIQUE INDEX plan_one_active ON plan (status) WHERE status = 'active';

CREATE TABLE plan_step (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    start TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('crossover', 'cut', 'final')),
    diazepam_mg REAL NOT NULL CHECK (diazepam_mg >= 0),
    ideal_diazepam_mg REAL NOT NULL CHECK (ideal_diazepam_mg >= 0),
    applied_on TEXT,  -- the date it became a regimen change; NULL while still to come
    UNIQUE (plan_id, position)
);

CREATE TABLE plan_dose (
    id INTEGER PRIMARY KEY,
    step_id INTEGER NOT NULL REFERENCES plan_step (id) ON DELETE CASCADE,
    drug TEXT NOT NULL CHECK (length(drug) > 0),
    time TEXT NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]'),
    ideal_mg REAL NOT NULL CHECK (ideal_mg >= 0),
    mg REAL NOT NULL CHECK (mg >= 0),
    ml REAL CHECK (ml IS NULL OR ml > 0),
    how TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_dose_step ON plan_dose (step_id);
"""

# Version 3: settings for the Settings page. A medication can be retired: no longer taken,
# left out of pickers and plans, but its doses and regimen entries keep pointing at it.
_V3 = """
ALTER TABLE medication ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
"""

# MIGRATIONS[i] upgrades user_version i to i + 1.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3)
LATEST_VERSION = len(MIGRATIONS)


def user_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection) -> bool:
    """Bring the database up to ``LATEST_VERSION``, each step in its own transaction.
    Returns whether anything ran. The caller refuses versions newer than ours first."""
    start = user_version(conn)
    for version in range(start + 1, LATEST_VERSION + 1):
        conn.execute("BEGIN")
        try:
            for statement in _statements(MIGRATIONS[version - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return start < LATEST_VERSION


def seed_defaults(conn: sqlite3.Connection) -> None:
    """What a new diary starts with: the symptom catalogue, all tracked, and Ashton."""
    with_positions = [(name, position) for position, name in enumerate(DEFAULT_SYMPTOMS)]
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO symptom (name, position, tracked, custom) VALUES (?, ?, 1, 0)",
        with_positions,
    )
    conn.executemany(
        "INSERT INTO setting (key, value) VALUES (?, ?)",
        [
            (SETTING_TABLE, DEFAULT_TABLE),
            (SETTING_OVERRIDES, json.dumps({})),
        ],
    )
    conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """Split a migration into statements; ``executescript`` would commit on its own."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError("A migration ends with an incomplete SQL statement.")
    return statements
