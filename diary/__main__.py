"""Entry point: ``taper-diary`` (or ``python -m diary``).

With no subcommand it starts the desktop app; with one it runs the CLI.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from diary import cli

    args = cli.build_parser().parse_args(argv)
    if args.command is None:
        from diary.ui.app import run_gui

        return run_gui(args.diary)
    return cli.run(args)


if __name__ == "__main__":
    sys.exit(main())
