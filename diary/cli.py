"""The ``taper-diary`` command line: a second client of DiaryService, beside the desktop app.

For scripted backups and exports, power users, and tests. The command names and options
are a contract (see ``build_parser``). Every error is one plain sentence on stderr and an
exit code; nothing here ever shows a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import math
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, TextIO, TypeAlias

import platformdirs

from diary import bootstrap
from diary.domain.equivalence import (
    DEFAULT_TABLE,
    TABLES,
    canonical_drug,
    diazepam_equivalent,
    get_table,
)
from diary.domain.errors import DamagedFile, DiaryError, NotFound, ValidationError
from diary.domain.models import DEFAULT_SYRINGE_ML, ChangeKind, Form, RegimenChange, RegimenDose
from diary.domain.records import DiaryRecords
from diary.domain.stability.responses import CutResponse
from diary.domain.stability.series import DayStability
from diary.domain.stability.waves import Run
from diary.domain.taper import liquid
from diary.domain.taper.history import daily_diazepam
from diary.domain.taper.measurable import Product
from diary.domain.taper.plans import PlanMethod, PlanSpec, PlanStep
from diary.domain.taper.products import SPLIT_WORDS, split_from_word
from diary.domain.taper.regimen_text import EXAMPLE as REGIMEN_EXAMPLE
from diary.domain.taper.regimen_text import parse_regimen
from diary.domain.validation import check_regimen, describe_date
from diary.services import demo, transfer
from diary.services.diary_service import DiaryService
from diary.services.planning import TaperStatus, preview_steps
from diary.services.stability_report import StabilityReport
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
    rekey               passphrase, then a new passphrase and again (or an empty line,
                        or nothing more, to keep the passphrase)
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

    def optional_new_passphrase(self) -> str | None:
        """A new passphrase (asked twice), or None when the first answer is empty."""
        first = self._optional_line("New passphrase (leave empty to keep the current one): ")
        if not first:
            return None
        if not first.strip():
            raise ValidationError("The passphrase cannot be only spaces, so nothing was changed.")
        again = self.secret("New passphrase again: ", "the new passphrase a second time")
        if again != first:
            raise ValidationError("The two passphrases differ, so nothing was changed.")
        return first

    def _optional_line(self, prompt: str) -> str:
        if self.stdin.isatty():
            return getpass.getpass(prompt)
        return self.stdin.readline().rstrip("\r\n")


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
    _add_rekey(commands)
    _add_backups(commands)
    _add_demo(commands)
    _add_calc(commands)
    _add_regimen(commands)
    _add_plan(commands)
    _add_cut(commands)
    _add_reinstate(commands)
    _add_status(commands)
    _add_stability(commands)
    _add_report(commands)
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
    add.add_argument(
        "--split", choices=list(SPLIT_WORDS), default="none", help="tablets: how they may be split"
    )
    add.add_argument(
        "--syringe-ml",
        type=_positive_number,
        default=DEFAULT_SYRINGE_ML,
        metavar="X",
        help="liquids: the syringe's marks in mL (default 0.1)",
    )


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


def _add_rekey(commands: _Commands) -> None:
    _command(
        commands,
        "rekey",
        "if your passphrase or recovery key may be known: new keys for the diary and every "
        "backup, a new recovery key, and optionally a new passphrase",
        _rekey,
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
    except BrokenPipeError:
        # The reader went away (e.g. "| head"): not an error of ours, and nothing to report.
        _silence_stdout()
        return EXIT_OK
    except Exception as exc:
        console.warn(crash_message(exc))
        return EXIT_OTHER


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


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
            args.name,
            args.drug,
            Form(args.form),
            args.strength_mg,
            args.concentration_mg_ml,
            split=split_from_word(args.split),
            syringe_ml=args.syringe_ml,
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
    _set_new_passphrase(bootstrap.open_diary(path, passphrase=current), console)
    console.say("Passphrase changed. Your recovery key is unchanged and still works.")
    return EXIT_OK


def _recover(args: argparse.Namespace, console: Console) -> int:
    path = _existing_diary(args)
    key = console.secret("Recovery key: ", "the recovery key")
    _set_new_passphrase(bootstrap.open_diary(path, recovery_key=key), console)
    console.say("Diary unlocked with the recovery key and a new passphrase set.")
    return EXIT_OK


def _set_new_passphrase(service: DiaryService, console: Console) -> None:
    """Ask for a new passphrase (twice) and set it on the unlocked diary, then close it."""
    try:
        service.change_passphrase(console.new_passphrase())
    finally:
        service.close()


def _rekey(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        new_passphrase = console.optional_new_passphrase()
        recovery_key = service.rotate_keys(new_passphrase)
    passphrase = "your new passphrase" if new_passphrase else "your passphrase, unchanged"
    console.say(
        "The diary and every backup beside it are now encrypted with new keys. They open with "
        f"{passphrase}, or with the new recovery key below; the old recovery key"
        + (" and the old passphrase open" if new_passphrase else " opens")
        + " nothing in the diary folder any more."
    )
    console.say()
    console.say("Your new recovery key (shown only this once; write it down or print it):")
    console.say()
    console.say(f"    {recovery_key}")
    console.say()
    console.say("Copies made elsewhere earlier (exports, synced or copied files) are not changed.")
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
        (len(records.plans), "plan"),
    ]
    return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in parts)


# ---- taper toolkit: calculators, regimen, plans, cuts, reinstatements, status ------------

_SPLIT_CHOICES = list(SPLIT_WORDS)
_NO_ADVICE = (
    "Self-reported record. These figures describe the diary; decisions about the dose belong "
    "with you and your prescriber."
)


def _add_calc(commands: _Commands) -> None:
    calc = _command(commands, "calc", "calculators that need no diary", _missing_subcommand)
    sub = calc.add_subparsers(
        dest="calc_command", metavar="{equivalent,liquid}", parser_class=_Parser
    )
    equivalent = _command(sub, "equivalent", "an amount of a drug in mg diazepam", _calc_equivalent)
    equivalent.add_argument("drug", metavar="DRUG")
    equivalent.add_argument("mg", type=_positive_number, metavar="MG")
    equivalent.add_argument(
        "--factor",
        type=_positive_number,
        metavar="MG",
        help="mg of DRUG taken as equal to 10 mg diazepam, as your prescriber uses "
        "(needed where the table gives a range, e.g. bromazepam 5-6)",
    )
    _table_option(equivalent)
    _json_option(equivalent)
    liquid = _command(sub, "liquid", "a suspension made from tablets", _calc_liquid)
    liquid.add_argument("--tablet-mg", required=True, type=_positive_number, metavar="S")
    liquid.add_argument("--tablets", required=True, type=_positive_number, metavar="N")
    liquid.add_argument("--volume-ml", required=True, type=_positive_number, metavar="V")
    amount = liquid.add_mutually_exclusive_group()
    amount.add_argument(
        "--remove-ml", type=_number, metavar="R", help="mL taken out and thrown away"
    )
    amount.add_argument("--target-mg", type=_number, metavar="D", help="the dose wanted")
    liquid.add_argument(
        "--syringe-ml",
        type=_positive_number,
        default=DEFAULT_SYRINGE_ML,
        metavar="X",
        help="the syringe's marks, for --target-mg (default 0.1)",
    )
    liquid.add_argument(
        "--series",
        action="store_true",
        help="the 'remove k mL on day k' series, with each day's cut",
    )
    liquid.add_argument(
        "--step-ml",
        type=_positive_number,
        default=1.0,
        metavar="K",
        help="for --series (default 1)",
    )
    _json_option(liquid)


def _add_regimen(commands: _Commands) -> None:
    regimen = _command(commands, "regimen", "the regimen: what you take when", _missing_subcommand)
    sub = regimen.add_subparsers(
        dest="regimen_command", metavar="{set,show,history}", parser_class=_Parser
    )
    set_cmd = _command(sub, "set", "record the whole regimen in force from a date", _regimen_set)
    set_cmd.add_argument("regimen", metavar="REGIMEN", help=f'e.g. "{REGIMEN_EXAMPLE}"')
    set_cmd.add_argument("--date", type=_date, metavar="D", help="default today")
    set_cmd.add_argument(
        "--kind", choices=[k.value for k in ChangeKind], default=ChangeKind.START.value
    )
    set_cmd.add_argument("--reason", default="", metavar="TEXT")
    set_cmd.add_argument("--prescriber-involved", action="store_true")
    show = _command(sub, "show", "the regimen in force on a date", _regimen_show)
    show.add_argument("--date", type=_date, metavar="D", help="default today")
    _json_option(show)
    history = _command(sub, "history", "every regimen change and hold", _regimen_history)
    _json_option(history)


def _add_plan(commands: _Commands) -> None:
    plan = _command(commands, "plan", "taper plans: steps you control", _missing_subcommand)
    sub = plan.add_subparsers(
        dest="plan_command", metavar="{preview,create,show,apply-next}", parser_class=_Parser
    )
    preview = _command(sub, "preview", "show a plan without a diary", _plan_preview)
    preview.add_argument(
        "--regimen", required=True, metavar="REGIMEN", help=f'e.g. "{REGIMEN_EXAMPLE}"'
    )
    _plan_options(preview)
    _table_option(preview)
    products = preview.add_argument_group("products on hand (of the drug being tapered)")
    products.add_argument(
        "--tablets", type=_strengths, default=(), metavar='"2,5"', help="tablet strengths in mg"
    )
    products.add_argument("--split", choices=_SPLIT_CHOICES, default="none")
    products.add_argument("--liquid-mg-ml", type=_positive_number, metavar="C")
    products.add_argument(
        "--syringe-ml", type=_positive_number, default=DEFAULT_SYRINGE_ML, metavar="X"
    )
    _json_option(preview)
    create = _command(
        sub, "create", "store a plan from today's regimen and your medications", _plan_create
    )
    _plan_options(create)
    show = _command(sub, "show", "the active plan, with holds counted", _plan_show)
    _json_option(show)
    apply = _command(
        sub, "apply-next", "turn the next step into a regimen change", _plan_apply_next
    )
    apply.add_argument("--date", type=_date, metavar="D", help="default today")


def _plan_options(parser: _Parser) -> None:
    parser.add_argument("--crossover-to", metavar="DRUG", help="cross over to this drug first")
    parser.add_argument(
        "--stage-days",
        type=_day_count,
        metavar="N",
        help="days per crossover stage (default: the interval)",
    )
    parser.add_argument("--method", required=True, choices=[m.value for m in PlanMethod])
    parser.add_argument("--percent", type=_number, metavar="P", help="percent: of the latest dose")
    parser.add_argument("--step-mg", type=_number, metavar="X", help="step: mg per step")
    parser.add_argument(
        "--steps",
        type=_amounts,
        default=(),
        metavar='"a;b;c"',
        help="custom: daily mg, ending in 0",
    )
    parser.add_argument(
        "--final-step-mg",
        type=_number,
        metavar="F",
        help="percent: below this daily amount the next step is 0 mg (your choice)",
    )
    parser.add_argument("--interval-days", required=True, type=int, metavar="N")
    parser.add_argument("--start", type=_date, metavar="YYYY-MM-DD", help="default today")


def _add_cut(commands: _Commands) -> None:
    cut = _command(commands, "cut", "record a cut of one dose time", _cut)
    _dose_change_options(cut)
    cut.add_argument("--reason", default="", metavar="TEXT")


def _add_reinstate(commands: _Commands) -> None:
    reinstate = _command(commands, "reinstate", "record a reinstatement (updose)", _reinstate)
    _dose_change_options(reinstate)
    reinstate.add_argument("--reason", required=True, metavar="TEXT")
    reinstate.add_argument("--prescriber-involved", action="store_true")
    reinstate.add_argument(
        "--rebase-hold-days",
        type=int,
        metavar="N",
        help="re-base the active plan on the new dose, after a stabilising hold of N days",
    )


def _dose_change_options(parser: _Parser) -> None:
    parser.add_argument("--med", required=True, metavar="NAME", help="the medication's name")
    parser.add_argument("--to-mg", required=True, type=_number, metavar="X")
    parser.add_argument("--time", type=_time_of_day, metavar="HH:MM", help="which dose time")
    parser.add_argument("--date", type=_date, metavar="D", help="default today")


def _add_status(commands: _Commands) -> None:
    status = _command(
        commands, "status", "regimen, DZ-eq, rate figures, hold, warnings, plan", _status
    )
    _json_option(status)


def _table_option(parser: _Parser) -> None:
    parser.add_argument("--table", choices=list(TABLES), default=DEFAULT_TABLE)


def _json_option(parser: _Parser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _strengths(text: str) -> tuple[float, ...]:
    return tuple(_positive_number(part.strip()) for part in text.split(",") if part.strip())


def _amounts(text: str) -> tuple[float, ...]:
    return tuple(_number(part.strip()) for part in text.split(";") if part.strip())


def _time_of_day(text: str) -> dt.time:
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time of day like 08:00") from None


# ---- taper commands ----------------------------------------------------------------------


def _calc_equivalent(args: argparse.Namespace, console: Console) -> int:
    drug = canonical_drug(args.drug)
    table = get_table(args.table)
    overrides = {} if args.factor is None else {drug: args.factor}
    try:
        mg = diazepam_equivalent(drug, args.mg, table, overrides)
    except NotFound:
        raise
    except ValidationError as error:
        raise ValidationError(f"{error} Give it with --factor MG.", field=error.field) from None
    if args.json:
        _say_json(console, {"drug": drug, "mg": args.mg, "table": table.name, "diazepam_mg": mg})
    else:
        source = f"your value of {args.factor:g} mg" if args.factor else f"the {table.title} table"
        console.say(f"{args.mg:g} mg {drug} ≈ {mg:.4g} mg diazepam (by {source}).")
    return EXIT_OK


def _calc_liquid(args: argparse.Namespace, console: Console) -> int:
    concentration = liquid.suspension_concentration(args.tablet_mg, args.tablets, args.volume_ml)
    note = ""
    if args.target_mg is not None:
        measured = liquid.round_to_syringe(args.target_mg, concentration, args.syringe_ml)
        dose_mg, volume_ml = measured.mg, measured.ml
        note = (
            f"{args.target_mg:g} mg is {measured.ideal_ml:.4g} mL; "
            f"the syringe measures {volume_ml:g} mL."
        )
    elif args.remove_ml is not None:
        dose_mg = liquid.dose_after_removing(
            args.tablet_mg, args.volume_ml, args.remove_ml, args.tablets
        )
        volume_ml = args.volume_ml - args.remove_ml
    else:
        dose_mg, volume_ml = concentration * args.volume_ml, args.volume_ml
    series = (
        liquid.remove_k_ml_series(args.tablet_mg, args.volume_ml, args.step_ml, args.tablets)
        if args.series
        else []
    )
    if args.json:
        result: dict[str, object] = {
            "concentration_mg_per_ml": concentration,
            "dose_mg": dose_mg,
            "volume_ml": volume_ml,
        }
        if args.series:
            result["series"] = [
                {
                    "day": d.day,
                    "removed_ml": d.removed_ml,
                    "dose_mg": d.dose_mg,
                    "cut_percent": d.cut_percent,
                }
                for d in series
            ]
        _say_json(console, result)
        return EXIT_OK
    console.say(f"Concentration: {concentration:.4g} mg per mL")
    console.say(f"Dose: {dose_mg:.4g} mg in {volume_ml:g} mL")
    if note:
        console.say(note)
    if series:
        console.say()
        console.say(
            f"Remove {args.step_ml:g} mL more each day. The dose falls in a straight line, "
            "so the last days are large cuts:"
        )
        rows = [
            [
                str(d.day),
                f"{d.removed_ml:g}",
                f"{d.dose_mg:.3g}",
                "" if d.cut_percent is None else f"{d.cut_percent:.1f}%",
            ]
            for d in series
        ]
        _table(console, ["Day", "Removed mL", "Dose mg", "Cut"], rows)
    console.say()
    console.say(liquid.SHAKE_NOTE)
    return EXIT_OK


def _plan_spec(args: argparse.Namespace) -> PlanSpec:
    return PlanSpec(
        method=PlanMethod(args.method),
        interval_days=args.interval_days,
        start=args.start or dt.date.today(),
        percent=args.percent,
        step_mg=args.step_mg,
        custom_mg=args.steps,
        final_step_mg=args.final_step_mg,
    )


def _plan_preview(args: argparse.Namespace, console: Console) -> int:
    current = check_regimen(parse_regimen(args.regimen))
    table = get_table(args.table)
    drug = canonical_drug(args.crossover_to) if args.crossover_to else current[0].drug
    products = []
    if args.tablets or args.liquid_mg_ml is not None:
        products.append(
            Product(
                drug, args.tablets, split_from_word(args.split), args.liquid_mg_ml, args.syringe_ml
            )
        )
    steps = preview_steps(
        current, _plan_spec(args), products, table.name, None, args.crossover_to, args.stage_days
    )
    now = daily_diazepam(current, table.name)
    if args.json:
        _say_json(console, {"table": table.name, "steps": [_step_json(s) for s in steps]})
    else:
        _print_plan(console, table.title, current, now, steps, [None] * len(steps))
    return EXIT_OK


def _plan_create(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.create_plan(_plan_spec(args), args.crossover_to, args.stage_days)
        summary = service.plan_summary()
        regimen = service.regimen_on(dt.date.today())
        table = get_table(service.equivalence_table())
    console.say(f"Saved: {changes.label}. The plan never applies itself; use 'plan apply-next'.")
    if summary is not None and regimen is not None:
        now = daily_diazepam(regimen.doses, table.name, None)
        _print_plan(
            console, table.title, regimen.doses, now, summary.schedule, summary.plan.applied
        )
    return EXIT_OK


def _plan_show(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        summary = service.plan_summary()
        table = get_table(service.equivalence_table())
        regimen = service.regimen_on(dt.date.today())
    if summary is None:
        raise NotFound("There is no active plan; make one with 'plan create'.")
    if args.json:
        steps = [
            {**_step_json(step), "applied_on": None if day is None else day.isoformat()}
            for step, day in zip(summary.schedule, summary.plan.applied, strict=True)
        ]
        end = summary.projected_end
        _say_json(
            console,
            {"table": summary.plan.table, "steps": steps, "projected_end": end and end.isoformat()},
        )
        return EXIT_OK
    doses = () if regimen is None else regimen.doses
    now = daily_diazepam(doses, summary.plan.table)
    _print_plan(console, table.title, doses, now, summary.schedule, summary.plan.applied)
    if summary.projected_end is not None:
        console.say(f"Projected end, holds counted: {describe_date(summary.projected_end)}.")
    return EXIT_OK


def _plan_apply_next(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.apply_next_step(args.date)
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _regimen_set(args: argparse.Namespace, console: Console) -> int:
    doses = parse_regimen(args.regimen)
    with _unlocked(args, console) as service:
        changes = service.set_regimen(
            doses,
            args.date or dt.date.today(),
            ChangeKind(args.kind),
            args.reason,
            args.prescriber_involved,
        )
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _regimen_show(args: argparse.Namespace, console: Console) -> int:
    day = args.date or dt.date.today()
    with _unlocked(args, console) as service:
        regimen = service.regimen_on(day)
        table = get_table(service.equivalence_table())
        dz = (
            []
            if regimen is None
            else [service.diazepam_equivalent(d.drug, d.mg) for d in regimen.doses]
        )
    if regimen is None:
        raise NotFound(f"There is no regimen recorded on {describe_date(day)}.")
    if args.json:
        _say_json(console, {**_regimen_json(regimen, dz), "table": table.name})
        return EXIT_OK
    console.say(
        f"Regimen in force on {describe_date(day)} "
        f"(since {describe_date(regimen.date)}, {regimen.kind.value}):"
    )
    rows = [
        [f"{d.time:%H:%M}", d.drug, f"{d.mg:g} mg", f"{mg:.3g} mg"]
        for d, mg in zip(regimen.doses, dz, strict=True)
    ]
    _table(console, ["Time", "Drug", "Amount", "DZ-eq"], rows)
    console.say(f"Total: {sum(dz):.3g} mg diazepam-equivalent a day ({table.title} table).")
    return EXIT_OK


def _regimen_history(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        entries = service.regimen_timeline()
        table = get_table(service.equivalence_table())
    if args.json:
        _say_json(
            console,
            {
                "table": table.name,
                "changes": [
                    {
                        "date": e.date.isoformat(),
                        "kind": e.kind,
                        "diazepam_mg": e.dz_total,
                        "text": e.text,
                    }
                    for e in entries
                ],
            },
        )
        return EXIT_OK
    rows = [
        [e.date.isoformat(), e.kind, "" if e.dz_total is None else f"{e.dz_total:.3g}", e.text]
        for e in entries
    ]
    _table(console, ["Date", "Kind", "DZ-eq/day", "What"], rows)
    console.say(f"DZ-eq by the {table.title} table.")
    return EXIT_OK


def _cut(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.record_cut(args.med, args.to_mg, args.time, args.date, args.reason)
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _reinstate(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        changes = service.reinstate(
            args.med,
            args.to_mg,
            args.reason,
            args.time,
            args.date,
            args.prescriber_involved,
            args.rebase_hold_days,
        )
    console.say(f"Saved: {changes.label}.")
    return EXIT_OK


def _status(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        status = service.status()
    if args.json:
        _say_json(console, _status_json(status))
    else:
        _print_status(console, status)
    return EXIT_OK


# ---- taper output ------------------------------------------------------------------------


def _say_json(console: Console, value: object) -> None:
    console.say(json.dumps(value, indent=2, ensure_ascii=False))


def _table(console: Console, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        console.say(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _step_json(step: PlanStep) -> dict[str, object]:
    return {
        "start": step.start.isoformat(),
        "kind": step.kind.value,
        "doses": [
            {
                "drug": d.drug,
                "mg": d.mg,
                "time": f"{d.time:%H:%M}",
                "ideal_mg": d.ideal_mg,
                "ml": d.ml,
                "how": d.how,
            }
            for d in step.doses
        ],
        "diazepam_mg": step.diazepam_mg,
    }


def _dose_cell(drug: str, mg: float, ml: float | None, how: str) -> str:
    """ "diazepam 8.1 mg (incl. 0.1 mL)" when tablets are topped up with a liquid."""
    cell = f"{drug} {mg:g} mg"
    if ml is None:
        return cell
    return f"{cell} (incl. {ml:g} mL)" if "×" in how else f"{cell} ({ml:g} mL)"


def _print_plan(
    console: Console,
    table_title: str,
    current: Sequence[RegimenDose],
    now_mg: float,
    steps: Sequence[PlanStep],
    applied: Sequence[dt.date | None],
) -> None:
    times = sorted({d.time for d in current} | {d.time for s in steps for d in s.doses})
    header = ["Step", "Starts", "Kind", *[f"{t:%H:%M}" for t in times], "DZ-eq/day", "Change"]
    rows = [["now", "", "", *[_cell_at(current, t) for t in times], f"{now_mg:.3g} mg", ""]]
    before = now_mg
    for number, (step, day) in enumerate(zip(steps, applied, strict=True), start=1):
        cells = [
            ", ".join(_dose_cell(d.drug, d.mg, d.ml, d.how) for d in step.doses if d.time == t)
            or "-"
            for t in times
        ]
        cut = (before - step.diazepam_mg) / before * 100 if before else 0.0
        kind = step.kind.value + (" (applied)" if day is not None else "")
        rows.append(
            [
                str(number),
                step.start.isoformat(),
                kind,
                *cells,
                f"{step.diazepam_mg:.3g} mg",
                "0%" if abs(cut) < 0.05 else f"{-cut:+.1f}%",
            ]
        )
        before = step.diazepam_mg
    _table(console, header, rows)
    console.say(
        f"DZ-eq by the {table_title} table; Change is of the daily dose just before the step."
    )
    if any(d.ml is not None for s in steps for d in s.doses):
        console.say(liquid.SHAKE_NOTE)


def _cell_at(doses: Sequence[RegimenDose], time: dt.time) -> str:
    return ", ".join(f"{d.drug} {d.mg:g} mg" for d in doses if d.time == time) or "-"


def _regimen_json(regimen: RegimenChange, dz: Sequence[float]) -> dict[str, object]:
    return {
        "date": regimen.date.isoformat(),
        "kind": regimen.kind.value,
        "doses": [
            {"drug": d.drug, "mg": d.mg, "time": f"{d.time:%H:%M}", "diazepam_mg": mg}
            for d, mg in zip(regimen.doses, dz, strict=True)
        ],
        "diazepam_mg": sum(dz),
    }


def _status_json(status: TaperStatus) -> dict[str, object]:
    figures = status.figures
    plan = status.plan
    hold = status.active_hold
    return {
        "date": status.today.isoformat(),
        "table": status.table,
        "regimen": None
        if status.regimen is None
        else _regimen_json(status.regimen, status.dz_by_dose),
        "diazepam_mg": {"total": status.dz_total, "by_drug": status.dz_by_drug},
        "figures": {
            "start_mg": figures.start_mg,
            "current_mg": figures.current_mg,
            "percent_reduced": figures.percent_reduced,
            "taper_start": figures.taper_start and figures.taper_start.isoformat(),
            "days_on_taper": figures.days_on_taper,
            "mg_per_month": figures.mg_per_month,
            "percent_per_month": figures.percent_per_month,
            "cuts": figures.cuts,
            "reinstatements": figures.reinstatements,
            "holds": figures.holds,
            "hold_days": figures.hold_days,
            "reduced_percent_14_days": figures.reduced_percent.get(14),
            "reduced_percent_28_days": figures.reduced_percent.get(28),
            "stop_restart_cycles": figures.stop_restart_cycles,
            "projected_end": figures.projected_end and figures.projected_end.isoformat(),
        },
        "active_hold": None
        if hold is None
        else {
            "start": hold.start.isoformat(),
            "end": hold.end and hold.end.isoformat(),
            "reason": hold.reason,
        },
        "warnings": [
            {
                "level": w.level.value,
                "date": w.date.isoformat(),
                "message": w.message,
                "source": w.source,
            }
            for w in status.warnings
        ],
        "plan": None
        if plan is None
        else {
            "steps_left": plan.steps_left,
            "next_step": None if plan.next_step is None else _step_json(plan.next_step),
            "projected_end": plan.projected_end and plan.projected_end.isoformat(),
        },
    }


def _print_status(console: Console, status: TaperStatus) -> None:
    say = console.say
    say(
        f"Status on {describe_date(status.today)}; diazepam equivalents (DZ-eq) by the "
        f"{status.table_title} table."
    )
    say()
    if status.regimen is None:
        say("No regimen is recorded yet.")
    else:
        regimen = status.regimen
        say(f"Regimen in force since {describe_date(regimen.date)} ({regimen.kind.value}):")
        rows = [
            [f"{d.time:%H:%M}", d.drug, f"{d.mg:g} mg", f"{mg:.3g} mg"]
            for d, mg in zip(regimen.doses, status.dz_by_dose, strict=True)
        ]
        _table(console, ["Time", "Drug", "Amount", "DZ-eq"], rows)
        by_drug = ", ".join(f"{drug} {mg:.3g} mg" for drug, mg in status.dz_by_drug.items())
        say(f"Total: {status.dz_total or 0:.3g} mg DZ-eq a day ({by_drug or 'nothing'}).")
    say()
    f = status.figures
    say("Taper figures:")
    lines = [
        ("Start", _mg(f.start_mg)),
        ("Now", _mg(f.current_mg)),
        ("Reduced", _percent(f.percent_reduced) + " of the start"),
        (
            "On taper since",
            "-"
            if f.taper_start is None
            else f"{describe_date(f.taper_start)} ({f.days_on_taper} days)",
        ),
        (
            "Average a month",
            f"{_mg(f.mg_per_month)} ({_percent(f.percent_per_month)} of the start)",
        ),
        ("Reduced, last 14 days", _percent(f.reduced_percent.get(14))),
        ("Reduced, last 28 days", _percent(f.reduced_percent.get(28))),
        ("Cuts", str(f.cuts)),
        ("Reinstatements", str(f.reinstatements)),
        ("Holds", f"{f.holds} ({f.hold_days} days in all)"),
        ("Stop/restart cycles", str(f.stop_restart_cycles)),
        (
            "Plan ends (holds counted)",
            "-" if f.projected_end is None else describe_date(f.projected_end),
        ),
    ]
    width = max(len(name) for name, _ in lines)
    for name, value in lines:
        say(f"  {name:<{width}}  {value}")
    say()
    hold = status.active_hold
    if hold is None:
        say("Hold: none going on.")
    else:
        until = "still going on" if hold.end is None else f"until {describe_date(hold.end)}"
        say(
            f"Hold: since {describe_date(hold.start)}, {until}"
            + (f" ({hold.reason})." if hold.reason else ".")
        )
    plan = status.plan
    if plan is None:
        say("Plan: none active.")
    elif plan.next_step is None:
        say("Plan: every step is applied.")
    else:
        step = plan.next_step
        doses = (
            ", ".join(f"{d.drug} {d.mg:g} mg at {d.time:%H:%M}" for d in step.doses) or "nothing"
        )
        say(
            f"Plan: next step on {describe_date(step.start)}: {doses} "
            f"({step.diazepam_mg:.3g} mg DZ-eq); {plan.steps_left} steps left."
        )
    say()
    if status.warnings:
        say("Warnings:")
        for warning in status.warnings:
            say(f"  [{warning.level.value}] {warning.message}")
            say(f"      Source: {warning.source}.")
    else:
        say("Warnings: none.")
    say()
    say(_NO_ADVICE)


def _mg(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g} mg"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


# ---- stability: burden over time, windows and waves, cut responses -----------------------


def _add_stability(commands: _Commands) -> None:
    stability = _command(
        commands,
        "stability",
        "symptom burden by day, stable days, windows and waves, and how each change was followed",
        _stability,
    )
    stability.add_argument("--from", dest="start", type=_date, metavar="D", help="first day")
    stability.add_argument("--to", dest="end", type=_date, metavar="D", help="default today")
    _json_option(stability)


def _stability(args: argparse.Namespace, console: Console) -> int:
    with _unlocked(args, console) as service:
        report = service.stability(args.start, args.end)
    if args.json:
        _say_json(console, _stability_json(report))
    else:
        _print_stability(console, report)
    return EXIT_OK


def _stability_json(report: StabilityReport) -> dict[str, object]:
    return {
        "days": [
            {
                "date": day.date.isoformat(),
                "burden": _rounded(day.burden),
                "rolling": _rounded(day.rolling),
                "stable": day.stable,
            }
            for day in report.days
        ],
        "waves": [_run_json(run) for run in report.waves],
        "windows": [_run_json(run) for run in report.windows],
        "cut_responses": [
            {
                "date": response.date.isoformat(),
                "kind": response.kind,
                "from_mg": _rounded(response.from_mg, 3),
                "to_mg": _rounded(response.to_mg, 3),
                "before_mean": _rounded(response.before_mean),
                "after_mean": _rounded(response.after_mean),
                "peak": _rounded(response.peak),
                "peak_delay_days": response.peak_delay_days,
                "days_to_baseline": response.days_to_baseline,
            }
            for response in report.cut_responses
        ],
    }


def _run_json(run: Run) -> dict[str, object]:
    return {
        "start": run.start.isoformat(),
        "end": run.end.isoformat(),
        "depth": _rounded(run.depth),
        "peak": _rounded(run.peak),
        "peak_date": run.peak_date.isoformat(),
    }


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _print_stability(console: Console, report: StabilityReport) -> None:
    say = console.say
    say(
        f"Stability from {describe_date(report.start)} to {describe_date(report.end)}: "
        "symptom burden is the rated severities as a share of their maximum (0-100%)."
    )
    known = sum(1 for day in report.days if day.stable is not None)
    share = report.stable_share()
    if share is None:
        say("Stable days: not enough logged days yet to tell.")
    else:
        unknown = len(report.days) - known
        say(
            f"Stable days: {share:.0%} of the {known} days with enough logged days around them"
            + (f"; {unknown} other days had too few to tell." if unknown else ".")
        )
    say(_current_state(report))
    say()
    _print_runs(console, "Waves (runs of days worse than your usual range)", report.waves)
    say()
    _print_runs(console, "Windows (runs of days better than your usual range)", report.windows)
    say()
    _print_responses(console, report)
    say()
    say("Waves and windows are descriptive labels for your own record, not a diagnosis.")
    say(_NO_ADVICE)


def _current_state(report: StabilityReport) -> str:
    day: DayStability | None = report.current
    if day is None or day.rolling is None or day.baseline is None or day.band is None:
        return (
            "Current state: there are not enough logged days in the last week and the four "
            "weeks before it to compare with your usual range."
        )
    figures = f"rolling burden {day.rolling:.0f}%, usual {day.baseline:.0f}% ± {day.band:.0f}"
    if day.rolling > day.baseline + day.band:
        where = "above your usual range"
    elif day.rolling < day.baseline - day.band:
        where = "below your usual range (fewer symptoms than usual)"
    else:
        where = "within your usual range"
    text = f"Your rolling symptom burden is {where} ({figures}) on {describe_date(day.date)}."
    if day.slope is not None and day.slope > report.params.trend_max_points_per_day:
        text += f" It has been rising over the last {report.params.trend_days} days."
    return text


def _print_runs(console: Console, title: str, runs: Sequence[Run]) -> None:
    if not runs:
        console.say(f"{title}: none.")
        return
    console.say(f"{title}:")
    rows = [
        [
            run.start.isoformat(),
            run.end.isoformat(),
            str(run.days),
            f"{run.depth:.0f} points",
            f"{run.peak:.0f}% on {run.peak_date.isoformat()}",
        ]
        for run in runs
    ]
    _table(console, ["Start", "End", "Days", "Depth", "Peak"], rows)


def _print_responses(console: Console, report: StabilityReport) -> None:
    responses = report.cut_responses
    if not responses:
        console.say("Responses to regimen changes: no cut, crossover step or updose in the period.")
        return
    title = get_table(report.table).title
    console.say(f"Responses to regimen changes (burden; DZ-eq by the {title} table):")
    rows = [
        [
            response.date.isoformat(),
            response.kind,
            f"{response.from_mg:.3g} -> {response.to_mg:.3g} mg",
            _burden_cell(response.before_mean),
            "not yet" if _after_not_over(report, response) else _burden_cell(response.after_mean),
            "-"
            if response.peak is None
            else f"{response.peak:.0f}% on day {response.peak_delay_days}",
            _back_cell(response, is_last=index == len(responses) - 1),
        ]
        for index, response in enumerate(responses)
    ]
    header = ["Date", "Change", "DZ-eq/day", "14 days before", "14 days after", "Peak", "Back"]
    _table(console, header, rows)
    console.say(
        "Back: days from the change until the 7-day burden was back within the usual range "
        "of the 14 days before it (0: it stayed within)."
    )


def _after_not_over(report: StabilityReport, response: CutResponse) -> bool:
    last = response.date + dt.timedelta(days=report.params.response_window_days - 1)
    return last > report.end


def _burden_cell(value: float | None) -> str:
    return "not enough data" if value is None else f"{value:.0f}%"


def _back_cell(response: CutResponse, is_last: bool) -> str:
    if response.days_to_baseline is not None:
        return f"day {response.days_to_baseline}"
    if response.before_mean is None:
        return "no baseline"
    return "not yet" if is_last else "not before next change"


# ---- report: the appointment summary PDF ---------------------------------------------------


def _add_report(commands: _Commands) -> None:
    report = _command(
        commands,
        "report",
        "write the appointment summary PDF for a period (no window needed)",
        _report,
    )
    report.add_argument("--from", dest="start", required=True, type=_date, metavar="YYYY-MM-DD")
    report.add_argument("--to", dest="end", required=True, type=_date, metavar="YYYY-MM-DD")
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    report.add_argument("--name", default="", metavar="NAME", help="the patient's name to print")
    report.add_argument(
        "--prescriber", default="", metavar="NAME", help="the prescriber's name to print"
    )
    report.add_argument(
        "--include-notes",
        choices=["flagged", "all", "none"],
        default="flagged",
        help="which day notes to print (default: only those flagged for the doctor)",
    )
    report.add_argument(
        "--daily-log", action="store_true", help="add the daily log pages to the appendix"
    )
    report.add_argument(
        "--paper", choices=["a4", "letter"], default=None, help="default: from the locale"
    )


def _report(args: argparse.Namespace, console: Console) -> int:
    # Qt is loaded only for this command, so every other command stays quick.
    from diary.report import render
    from diary.report.options import NotesChoice, Paper, ReportOptions, paper_for_country

    paper = Paper(args.paper) if args.paper else paper_for_country(_locale_country())
    today = dt.date.today()
    options = ReportOptions(
        start=args.start,
        end=args.end,
        patient_name=args.name,
        prescriber_name=args.prescriber,
        notes=NotesChoice(args.include_notes),
        daily_log=args.daily_log,
        paper=paper,
    ).checked(today)
    out: Path = args.out
    with _unlocked(args, console) as service:
        pages = render.write_report(service, options, out, today)
    word = "page" if pages == 1 else "pages"
    console.say(f"Wrote the appointment summary ({pages} {word}, {paper.name}) to {out}.")
    console.say("It holds health data: keep it as safe as the diary, or delete it after use.")
    return EXIT_OK


def _locale_country() -> str:
    """The country of the user's locale (LC_ALL, LC_PAPER, LANG), e.g. "US"; "" if unknown."""
    for variable in ("LC_ALL", "LC_PAPER", "LANG"):
        value = os.environ.get(variable, "")
        language = value.split(".")[0]
        if "_" in language:
            return language.split("_")[1].upper()
    return ""
