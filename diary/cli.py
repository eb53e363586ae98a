"""The ``taper-diary`` command line: a second client of DiaryService, beside the desktop app.

For scripted backups and exports, power users, and tests. The command names and options
are a contract (see ``build_parser``). Every error is one plain sentence on stderr and an
exit code; nothing here ever shows a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import math
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO, TypeAlias

import platformdirs

from diary import bootstrap
from diary.domain.errors import DamagedFile, DiaryError, NotFound, ValidationError
from diary.domain.models import Form
from diary.domain.records import DiaryRecords
from diary.services import demo, transfer
from diary.services.diary_service import DiaryService
from diary.storage import atomic_write
from diary.storage.backups import list_backups, restore_backup
from diary.storage.keys import KdfParams

PROG = "taper-diary"

EXIT_OK = 0
EXIT_OTHER = 1

SECRETS_AND_EXIT_CODES = """\
secrets:
  On a terminal, passphrases and the recovery key are asked for without echo.
  When standard input is not a terminal, one line is read per secret, in this order:
    init                new passphrase, new passphrase again
    passwd              current passphrase, new passphrase, new passphrase again
    recover             recovery key, new passphrase, new passphrase again
    backups list, demo  nothing
    any other command   passphrase

exit codes:
  0 done; 2 bad usage or invalid input (also: written by a newer version);
  3 wrong passphrase or recovery key; 4 damaged or tampered file;
  5 the diary is open elsewhere; 1 anything else.
"""


# ---- input and output --------------------------------------------------------------------


@dataclass
class Console:
    """Where the CLI reads secrets from and writes to (the real streams, or a test's)."""

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO

    def say(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def warn(self, text: str) -> None:
        print(text, file=self.stderr)

    def secret(self, prompt: str, what: str) -> str:
        """Ask without echo on a terminal; otherwise read the next line of standard input."""
        if self.stdin.isatty():
            return getpass.getpass(prompt)
        line = self.stdin.readline()
        if not line:
            raise ValidationError(f"Expected {what} as a line on standard input, but got none.")
        return line.rstrip("\r\n")

    def new_passphrase(self) -> str:
        first = self.secret("New passphrase: ", "the new passphrase")
        if not first.strip():
            raise ValidationError("The passphrase cannot be empty or only spaces.")
        again = self.secret("New passphrase again: ", "the new passphrase a second time")
        if again != first:
            raise ValidationError("The two passphrases differ, so nothing was changed.")
        return first


# ---- the parser --------------------------------------------------------------------------

_Handler: TypeAlias = "Callable[[argparse.Namespace, Console], int]"
_Commands: TypeAlias = "argparse._SubParsersAction[_Parser]"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit code 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help').\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Taper Diary: a private, encrypted diary for tapering off benzodiazepines. "
        "Without a command it opens the desktop app.",
        epilog=SECRETS_AND_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--diary",
        type=Path,
        default=None,
        metavar="PATH",
        help=f"the diary file (default: {_default_path_for_help()})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_init(commands)
    _add_med(commands)
    _add_dose(commands)
    _add_checkin(commands)
    _add_hold(commands)
    _add_export(commands)
    _add_import(commands)
    _add_verify(commands)
    _add_passwd(commands)
    _add_recover(commands)
    _add_backups(commands)
    _add_demo(commands)
    return parser


def _command(commands: _Commands, name: str, help_text: str, handler: _Handler) -> _Parser:
    sub: _Parser = commands.add_parser(
        name,
        help=help_text,
        description=help_text[0].upper() + help_text[1:] + ".",
        epilog=SECRETS_AND_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.set_defaults(handler=handler)
    return sub


def _add_init(commands: _Commands) -> None:
    _command(commands, "init", "create a diary; prints the recovery key once", _init)


def _add_med(commands: _Commands) -> None:
    med = _command(commands, "med", "medications", _missing_subcommand)
    sub = med.add_subparsers(dest="med_command", metavar="add", parser_class=_Parser)
    add = _command(sub, "add", "add a medication", _med_add)
    add.add_argument("name", metavar="NAME", help="your name for it, e.g. 'Diazepam 2 mg'")
    add.add_argument("--drug", required=True, help="the drug, e.g. diazepam or clonazepam")
    add.add_argument("--form", choices=[f.value for f in Form], default=Form.TABLET.value)
    strength = add.add_mutually_exclusive_group()
    strength.add_argument("--strength-mg", type=_positive_number, metavar="X")
    strength.add_argument("--concentration-mg-ml", type=_positive_number, metavar="Y")


def _add_dose(commands: _Commands) -> None:
    dose = _command(commands, "dose", "doses taken", _missing_subcommand)
    sub = dose.add_subparsers(dest="dose_command", metavar="add", parser_class=_Parser)
    add = _command(sub, "add", "record a dose taken", _dose_add)
    add.add_argument("--med", required=True, metavar="NAME", help="the medication's name")
    add.add_argument("--mg", required=True, type=_number, metavar="X")
    add.add_argument("--ml", type=_number, metavar="V", help="volume taken, for liquids")
    add.add_argument(
        "--at",
        type=_moment,
        metavar="ISO-8601",
        help="when, e.g. 2025-03-01T08:00 (local time) or 2025-03-01T08:00+01:00; default now",
    )
    add.add_argument("--note", default="", metavar="TEXT")


def _add_checkin(commands: _Commands) -> None:
    checkin = _command(commands, "checkin", "record (or add to) a day's check-in", _checkin)
    checkin.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="default today")
    checkin.add_argument(
        "--symptom",
        type=_rating,
        action="append",
        default=[],
        metavar="NAME=0..4",
        help="a severity, 0 none to 4 very severe; repeat for each symptom",
    )
    checkin.add_argument("--wellbeing", type=int, metavar="0..10")
    checkin.add_argument("--sleep-hours", type=_number, metavar="H")
    checkin.add_argument("--note", metavar="TEXT")
    checkin.add_argument(
        "--for-doctor", action="store_true", default=None, help="flag the day for my doctor"
    )


def _add_hold(commands: _Commands) -> None:
    hold = _command(commands, "hold", "holds: stretches with no cut", _missing_subcommand)
    sub = hold.add_subparsers(dest="hold_command", metavar="{start,end}", parser_class=_Parser)
    start = _command(sub, "start", "start a hold", _hold_start)
    start.add_argument("--date", type=_date, metavar="D", help="default today")
    start.add_argument("--reason", default="", metavar="TEXT")
    end = _command(sub, "end", "end the current hold", _hold_end)
    end.add_argument("--date", type=_date, metavar="D", help="default today")


def _add_export(commands: _Commands) -> None:
    export = _command(commands, "export", "write the diary as JSON or CSV (NOT encrypted)", _export)
    export.add_argument("--format", required=True, choices=["json", "csv"])
    export.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE|DIR",
        help="a file for json, a folder for csv",
    )


def _add_import(commands: _Commands) -> None:
    imp = _command(commands, "import", "add everything from a JSON export; all or nothing", _import)
    imp.add_argument("file", type=Path, metavar="FILE")


def _add_verify(commands: _Commands) -> None:
    _command(commands, "verify", "full integrity check; prints counts and the generation", _verify)


def _add_passwd(commands: _Commands) -> None:
    _command(commands, "passwd", "change the passphrase", _passwd)


def _add_recover(commands: _Commands) -> None:
    _command(
        commands, "recover", "unlock with the recovery key, then set a new passphrase", _recover
    )


def _add_backups(commands: _Commands) -> None:
    backups = _command(commands, "backups", "the encrypted backups", _missing_subcommand)
    sub = backups.add_subparsers(
        dest="backups_command", metavar="{list,restore}", parser_class=_Parser
    )
    _command(sub, "list", "list the backups, newest first", _backups_list)
    restore = _command(sub, "restore", "replace the diary by a backup", _backups_restore)
    restore.add_argument("id", metavar="ID", help="as shown by 'backups list'")


def _add_demo(commands: _Commands) -> None:
    demo_cmd = _command(
        commands,
        "demo",
        "write a realistic synthetic diary (nobody's real data), for trying the app",
        _demo,
    )
    demo_cmd.add_argument("--out", required=True, type=Path, metavar="PATH")
    demo_cmd.add_argument(
        "--days", type=_day_count, default=demo.DEFAULT_DAYS, metavar="N", help="default 730"
    )
    demo_cmd.add_argument(
        "--passphrase",
        default=None,
        metavar="P",
        help=f"default '{demo.DEMO_PASSPHRASE}'. The data is synthetic, so the demo diary uses "
        "the minimum key-derivation cost instead of calibrating.",
    )


def _default_path_for_help() -> str:
    try:
        return str(bootstrap.default_diary_path())
    except Exception:  # help text must never fail because of the environment
        return "the diary in your user data folder"


# ---- argument types (their ValueError/ArgumentTypeError becomes a usage error, exit 2) ---


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
    return value


def _positive_number(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be more than 0")
    return value


def _day_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 36500:
        raise argparse.ArgumentTypeError("must be from 1 to 36500 days")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2025-03-01") from None


def _moment(text: str) -> dt.datetime:
    """ISO-8601 with or without a UTC offset; without one it means this computer's local time."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time like 2025-03-01T08:00 or 2025-03-01T08:00+01:00"
        ) from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def _rating(text: str) -> tuple[str, int]:
    name, sep, severity = text.rpartition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"'{text}' should look like NAME=0..4, e.g. insomnia=2")
    try:
        return name.strip(), int(severity)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the severity in '{text}' must be a whole number from 0 to 4"
        ) from None


# ---- running a command -------------------------------------------------------------------


def run(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the parsed command; returns the exit code. Errors become one sentence on stderr."""
    console = Console(stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr)
    handler: _Handler = args.handler
    try:
        return handler(args, console)
    except DiaryError as exc:
        console.warn(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        console.warn("Stopped; anything already reported as saved is saved.")
        return EXIT_OTHER
    except Exception as exc:
        console.warn(crash_message(exc))
        return EXIT_OTHER


def crash_message(exc: BaseException, log_dir: Path | None = None) -> str:
    """Log where an unexpected error happened (never its message: it may hold diary text)."""
    folder = log_dir or Path(platformdirs.user_log_dir("TaperDiary"))
    log_file = folder / "taper-diary-cli.log"
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    frames = "".join(traceback.format_tb(exc.__traceback__))
    entry = f"{stamp} {type(exc).__module__}.{type(exc).__qualname__}\n{frames}\n"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as log:
            log.write(entry)
    except OSError:
        return "Sorry, something unexpected went wrong, and the details could not be logged."
    return f"Sorry, something unexpected went wrong; the details are in {log_file}."


def _diary_path(args: argparse.Namespace) -> Path:
    path: Path | None = args.diary
    return path if path is not None else bootstrap.default_diary_path()


def _existing_diary(args: argparse.Namespace) -> Path:
    path = _diary_path(args)
    if not path.is_file():
        raise NotFound(f"There is no diary at {path}; create one with '{PROG} init'.")
    return path


@contextmanager
def _unlocked(args: argparse.Namespace, console: Console) -> Iterator[DiaryService]:
    path = _existing_diary(args)
    passphrase = console.secret("Passphrase: ", "the passphrase")
    service = bootstrap.open_diary(path, passphrase=passphrase)
    try:
        yield service
    finally:
        service.close()


def _missing_subcommand(args: argparse.Namespace, console: Console) -> int:
    raise ValidationError(
        f"'{PROG} {args.command}' needs a subcommand; see '{PROG} {args.command} --help'."
    )


# ---- the commands ------------------------------------------------------------------------


def _init(args: argparse.Namespace, console: Console) -> int:
    path = _diary_path(args)
    if path.exists():
        raise ValidationError(f"A diary already exists at {path}, so nothing was changed.")
    passphrase = console.new_passphrase()
    path.parent.mkdir(parents=True, exist_ok=True)
    service, recovery_key = bootstrap.create_diary(path, passphrase)
    service.close()
    console.say(f"Created a new diary at {path}.")
    console.say()
    console.say("Your recovery key (shown only this once; write it down or print it):")
    console.say()
    console.say(f"    {recovery_key}")
    console.say()
    console.say(
        "Keep it somewhere safe, apart from your computer. Without your passphrase and this "
        "recovery key nobody can open the diary, not even us: that is by design."
    )
    return EXIT_OK


def _med_add(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.add_medication(
            args.name, args.drug, Form(args.form), args.strength_mg, args.concentration_mg_ml
        )
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _dose_add(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.add_dose(args.med, args.mg, taken_at=args.at, ml=args.ml, note=args.note)
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _checkin(args: argparse.Namespace, console: Console) -> int:
    day = args.date or dt.date.today()
    ratings = dict(args.symptom)
    with _unlocked(args, console) as service:
        changes = service.record_checkin(
            day,
            ratings=ratings or None,
            wellbeing=args.wellbeing,
            sleep_hours=args.sleep_hours,
            note=args.note,
            for_doctor=args.for_doctor,
        )
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _hold_start(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.start_hold(args.date or dt.date.today(), args.reason)
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _hold_end(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.end_hold(args.date or dt.date.today())
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _export(args: argparse.Namespace, console: Console) -> int:
    out: Path = args.out
    with _unlocked(args, console) as service:
        records = service.all_records()
    if args.format == "json":
        exported_at = dt.datetime.now().astimezone()
        _write_private(out, transfer.export_json(records, exported_at))
    else:
        _write_csv_folder(out, transfer.export_csv(records))
    console.warn(
        f"Warning: the export at {out} is NOT encrypted; anyone who can open it can read "
        "your diary."
    )
    console.say(f"Exported {_describe(records)} to {out}.")
    return EXIT_OK


def _import(args: argparse.Namespace, console: Console) -> int:
    records = transfer.parse_export(_read_text(args.file))
    with _unlocked(args, console) as service:
        service.import_records(records)
    console.say(f"Imported {_describe(records)}.")
    return EXIT_OK


def _verify(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        counts = service.counts()
        generation = service.generation
        path = service.path
        problems = service.integrity_problems()
    if problems:
        for problem in problems:
            console.warn(problem)
        raise DamagedFile(
            f"The diary at {path} failed the integrity check ({len(problems)} problems listed "
            "above); a backup can be restored with 'taper-diary backups restore ID'."
        )
    console.say(
        f"The diary at {path} is intact: its header checksum and encrypted contents "
        "authenticated, the database passed SQLite's full integrity and foreign-key checks, "
        "and every backup opened."
    )
    console.say(f"File generation: {generation}")
    width = max((len(kind) for kind in counts), default=0)
    for kind, count in counts.items():
        console.say(f"  {kind:<{width}}  {count}")
    return EXIT_OK


def _passwd(args: argparse.Namespace, console: Console) -> int:
    path = _existing_diary(args)
    current = console.secret("Current passphrase: ", "the current passphrase")
    service = bootstrap.open_diary(path, passphrase=current)
    try:
        service.change_passphrase(console.new_passphrase())
    finally:
        service.close()
    console.say("Passphrase changed. Your recovery key is unchanged and still works.")
    return EXIT_OK


def _recover(args: argparse.Namespace, console: Console) -> int:
    path = _existing_diary(args)
    key = console.secret("Recovery key: ", "the recovery key")
    service = bootstrap.open_diary(path, recovery_key=key)
    try:
        service.change_passphrase(console.new_passphrase())
    finally:
        service.close()
    console.say("Diary unlocked with the recovery key and a new passphrase set.")
    return EXIT_OK


def _backups_list(args: argparse.Namespace, console: Console) -> int:
    backups = list_backups(_existing_diary(args))
    if not backups:
        console.say("There are no backups yet; one is kept each time the diary is saved.")
        return EXIT_OK
    console.say(f"{'ID':<24}  {'saved at':<25}  generation")
    for backup in backups:
        saved_at = backup.saved_at.isoformat(timespec="seconds")
        console.say(f"{backup.id:<24}  {saved_at:<25}  {backup.generation}")
    return EXIT_OK


def _backups_restore(args: argparse.Namespace, console: Console) -> int:
    path = _existing_diary(args)
    passphrase = console.secret("Passphrase: ", "the passphrase")
    restore_backup(path, args.id, passphrase)
    console.say(f"Restored backup {args.id}.")
    return EXIT_OK


def _demo(args: argparse.Namespace, console: Console) -> int:
    out: Path = args.out
    if out.exists():
        raise ValidationError(f"Something already exists at {out}, so nothing was written.")
    passphrase = args.passphrase if args.passphrase is not None else demo.DEMO_PASSPHRASE
    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    service, _recovery_key = bootstrap.create_diary(out, passphrase, kdf=KdfParams.MINIMUM)
    try:
        records = demo.write_demo(service, args.days, end=dt.date.today())
    finally:
        service.close()
    seconds = time.perf_counter() - started
    console.say(f"Wrote a synthetic demo diary of {args.days} days to {out} in {seconds:.1f} s:")
    console.say(f"{_describe(records)}.")
    if args.passphrase is None:
        console.say(f"Its passphrase is '{demo.DEMO_PASSPHRASE}' (the default for demo diaries).")
    return EXIT_OK


# ---- files the CLI writes and reads ------------------------------------------------------


def _write_private(target: Path, text: str) -> None:
    """Write atomically (temp file, fsync, os.replace) with mode 0600: exports hold health data."""
    try:
        temp = atomic_write.write_temp(target, text.encode("utf-8"))
        try:
            atomic_write.replace(temp, target)
        except OSError:
            atomic_write.remove_quietly(temp)
            raise
        atomic_write.fsync_dir(target.parent)
    except OSError as exc:
        raise DiaryError(f"Could not write {target}: {exc.strerror or exc}.") from None


def _write_csv_folder(folder: Path, tables: dict[str, str]) -> None:
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise DiaryError(f"Could not create the folder {folder}: {exc.strerror or exc}.") from None
    for name, text in tables.items():
        _write_private(folder / name, text)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"There is no file at {path}.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path} is not a Taper Diary export (not UTF-8 text).") from None
    except OSError as exc:
        raise DiaryError(f"Could not read {path}: {exc.strerror or exc}.") from None


def _describe(records: DiaryRecords) -> str:
    parts = [
        (len(records.medications), "medication"),
        (len(records.regimen_changes), "regimen change"),
        (len(records.doses), "dose"),
        (len(records.holds), "hold"),
        (len(records.checkins), "check-in"),
        (len(records.events), "event"),
    ]
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts)
