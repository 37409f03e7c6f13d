"""The ``tourdesk`` command: one verb per operator task (``tourdesk VERB --help`` for each).

Every failure an operator can cause ends with one line on stderr and a non-zero exit code: bad
arguments and bad configuration (a setting, a key of tourdesk.toml, a database or Redis that
cannot be reached, a busy port) exit 2; a refused operation (e.g. erasing a client with open
money) exits 1. A traceback means a bug, and goes to the log.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import logging
import os
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, NoReturn

from bots import (
    cli_api,
    cli_clients,
    cli_commissions,
    cli_imports,
    cli_mailing,
    cli_reports,
    cli_webhooks,
)
from bots.logs import setup_logging
from core.errors import ConfigError
from core.i18n import Translator
from core.rules import Rules, load_rules
from core.settings import Settings, load_settings

log = logging.getLogger("tourdesk")

Command = Callable[[argparse.Namespace, Settings, Rules], Coroutine[Any, Any, int]]


class OneLineParser(argparse.ArgumentParser):
    """Bad input: one line on stderr (``tourdesk staff invite: …``), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


DESCRIPTION = "tourdesk — a travel agency's front desk in Telegram and Viber."
EPILOG = (
    "Settings come from the environment (and .env) and tourdesk.toml; see README "
    '"Configuration". Exit codes: 0 done, 1 refused, 2 bad input or configuration.'
)


def _positive_hours(text: str) -> int:
    try:
        hours = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of hours: {text!r}") from None
    if not 1 <= hours <= 24 * 30:
        raise argparse.ArgumentTypeError(f"must be 1..720 hours, not {hours}")
    return hours


def _name(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text.strip()


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="tourdesk", description=DESCRIPTION, epilog=EPILOG)
    sub = parser.add_subparsers(
        dest="command", required=True, metavar="VERB", parser_class=OneLineParser
    )
    sub.add_parser(
        "run",
        help="serve: web app, enabled messengers and scheduler in one process",
        description="Logs one line per component (channels, payment providers, database, "
        "Redis, PUBLIC_URL); refuses an unmigrated or unreachable database.",
    )
    sub.add_parser(
        "migrate",
        help="apply pending database migrations and name them",
        description="Applies every migration DATABASE_URL lacks and prints their names, or "
        "'already up to date'.",
    )
    demo = sub.add_parser(
        "demo",
        help="offline demo in the terminal: SQLite, sandbox payments, console chat",
        description="Buttons show as [/1] …: type /1 to press one; anything else is an answer.",
    )
    demo.add_argument("--user", default="tourist", help="console user id (default: tourist)")
    demo.add_argument("--lang", default=None, help="language hint of the console user")
    demo.add_argument("--fresh", action="store_true", help="start from an empty demo database")
    staff = sub.add_parser("staff", help="staff members: invite (one-time code), list, revoke")
    verbs = staff.add_subparsers(
        dest="verb", required=True, metavar="VERB", parser_class=OneLineParser
    )
    invite = verbs.add_parser("invite", help="print a one-time code that links a messenger account")
    invite.add_argument("--role", required=True, choices=["admin", "manager", "accountant"])
    invite.add_argument(
        "--name", required=True, type=_name, help="the person's name as staff will see it"
    )
    invite.add_argument(
        "--hours", type=_positive_hours, default=48, help="hours the code stays valid (1..720)"
    )
    verbs.add_parser("list", help="every staff member, active or revoked")
    revoke = verbs.add_parser("revoke", help="take every staff capability away from a member")
    revoke.add_argument("id", type=int)
    cli_clients.add_parser(sub)
    cli_mailing.add_parser(sub)
    cli_webhooks.add_parser(sub)
    cli_api.add_parser(sub)
    cli_imports.add_parser(sub)
    cli_reports.add_parser(sub)
    cli_commissions.add_parser(sub)
    return parser


async def _cmd_migrate(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from storage.db import close_db, migrate, redact_url

    url = settings.database.database_url
    try:
        applied = await migrate(url)
    finally:
        await close_db()
    if applied:
        print(f"applied {len(applied)} migration(s) to {redact_url(url)}: {', '.join(applied)}")
    else:
        print(f"{redact_url(url)} is already up to date")
    return 0


async def _open_migrated_db(url: str) -> None:
    """Open the database (one line naming DATABASE_URL when it cannot be reached) and refuse
    one with pending migrations."""
    from storage.db import close_db, init_db, pending_migrations, redact_url

    await init_db(url)
    pending = await pending_migrations(url)
    if pending:
        await close_db()
        raise ConfigError(
            f"DATABASE_URL ({redact_url(url)}): the database is not migrated "
            f"(pending: {', '.join(pending)}): run `tourdesk migrate`"
        )


def _stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT/SIGTERM, installed before anything starts: a stop asked for
    during start-up is a graceful stop once started, never a kill half-way."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def _start_web(runtime: Any, host: str, port: int) -> None:
    """Bind the web app; a port that cannot be had is one line naming the variables."""
    try:
        await runtime.start_web(host, port)
    except OSError as exc:
        cause = "address in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise ConfigError(f"HTTP_HOST/HTTP_PORT ({host}:{port}): {cause.lower()}") from None


async def _cmd_run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import CHANNELS, Runtime, build_services
    from bots.startup import log_startup
    from storage.db import close_db

    stop = _stop_on_signals()
    log_startup(settings, rules, CHANNELS)
    await _open_migrated_db(settings.database.database_url)
    services = await build_services(settings, rules)
    runtime = Runtime(services)
    try:
        await _start_web(runtime, settings.web.http_host, settings.web.http_port)
        await runtime.start_workers()
        await runtime.start_channels()
        log.info("tourdesk is running; Ctrl-C or SIGTERM stops it")
        await stop.wait()
    finally:
        await runtime.stop()
        await close_db()
    return 0


async def _cmd_demo(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import Runtime, build_services
    from bots.console import NAME, ConsoleChannel
    from core.i18n import pick_locale
    from storage.db import close_db, migrate

    # The demo is offline by construction: SQLite under the data directory, no Redis, the
    # sandbox payment provider, no messenger tokens.
    data_dir: Path = settings.app.data_dir
    db_file = data_dir / "demo.sqlite3"
    if args.fresh and db_file.exists():
        db_file.unlink()
    settings.database.database_url = f"sqlite://{db_file}"
    settings.redis.redis_url = None
    settings.payments.sandbox = True
    try:
        await migrate(settings.database.database_url)
    finally:
        await close_db()
    await _open_migrated_db(settings.database.database_url)
    services = await build_services(settings, rules)
    # the console's own words: in the language asked for, else the agency's
    agency = rules.agency
    t = services.translator(pick_locale(args.lang, agency.locales, agency.default_locale))
    console = ConsoleChannel(
        lambda i: runtime.dispatch(i),
        texts=t,
        user_id=args.user,
        language=args.lang,
        settle=lambda: runtime.settle([NAME]),
    )
    runtime = Runtime(services, extra_channels=[console], with_messengers=False, tick_seconds=0.5)
    try:
        try:
            await runtime.start_web(settings.web.http_host, settings.web.http_port)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            print(t("console-web-busy", port=str(settings.web.http_port), reason=reason))
        await runtime.start_workers()
        print(t("console-welcome", agency=agency.name))
        await console.run()
        await runtime.delivery.drain()
    finally:
        await runtime.stop()
        await close_db()
    return 0


async def _cmd_staff(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import channel_directory
    from core.clock import Clock
    from core.errors import DomainError
    from core.staff import invites
    from storage.db import close_db, redact_url
    from storage.models import Role

    await _open_migrated_db(settings.database.database_url)
    now = Clock().now()
    try:
        if args.verb == "invite":
            made = await invites.create_invite(
                rules,
                now,
                Role(args.role),
                args.name,
                hours=args.hours,
                links=channel_directory(settings, rules),
            )
            until = made.expires_at.strftime("%Y-%m-%d %H:%M UTC")
            print(f"invite for {made.name} ({made.role.value}), valid until {until}")
            print(f"database: {redact_url(settings.database.database_url)}")
            print(f"code: {made.code}  (the person sends it to the bot)")
            if made.link:
                print(f"link: {made.link}")
        elif args.verb == "list":
            members, _ = await invites.team(0, 10_000)
            for m in members:
                state = "active" if m.staff.active else "revoked"
                channels = ",".join(m.channels) or "-"
                print(f"{m.staff.id}\t{m.staff.role}\t{state}\t{m.staff.name}\t{channels}")
            if not members:  # said on stderr: stdout stays the (empty) tab-separated list
                waiting = await invites.open_invites(now)
                names = ", ".join(f"{i.name} ({i.role.value})" for i in waiting)
                note = f"; open invites not used yet: {names}" if names else ""
                print(f"no staff members yet{note}", file=sys.stderr)
        else:
            member = await invites.revoke(now, args.id)
            print(f"revoked #{member.id} {member.name} ({member.role})")
    except DomainError as exc:
        print(f"tourdesk: {Translator(('en',), 'en')('en')(exc.key, **exc.args_)}", file=sys.stderr)
        return 1
    finally:
        await close_db()
    return 0


async def _closing(command: Coroutine[Any, Any, int]) -> int:
    """Run a command and close the database whatever happened (an open SQLite connection's
    thread would keep the process alive after its one-line error)."""
    from storage.db import close_db

    try:
        return await command
    finally:
        await close_db()


COMMANDS: dict[str, Command] = {"run": _cmd_run, "migrate": _cmd_migrate, "demo": _cmd_demo}
COMMANDS["staff"] = _cmd_staff
COMMANDS["clients"] = cli_clients.run
COMMANDS["mailing"] = cli_mailing.cmd_mailing
COMMANDS["webhooks"] = cli_webhooks.run
COMMANDS["api-key"] = cli_api.run
COMMANDS["orders"] = cli_imports.run_orders
COMMANDS["reports"] = cli_reports.run
COMMANDS["commissions"] = cli_commissions.run


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        rules = load_rules(settings.app.config_path)
        from bots.app import CHANNELS, check_channels
        from bots.startup import check_config
        from core.webhooks.secrets import check_secrets as check_webhook_secrets

        check_channels(settings, rules)
        # the demo runs no messenger, so a staff group chat is not its business
        check_config(settings, rules, CHANNELS, staff_chat=args.command != "demo")
        check_webhook_secrets(settings, rules)
        if args.command != "migrate":  # users must never see a message key: stop here instead
            Translator(rules.agency.locales, rules.agency.default_locale)
    except ConfigError as exc:
        print(f"tourdesk: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "demo":
        try:
            settings.app.data_dir.mkdir(parents=True, exist_ok=True)
            log_file = open(settings.app.data_dir / "demo.log", "a", encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            cause = (exc.strerror or str(exc)).lower()
            print(
                f"tourdesk: TOURDESK_DATA_DIR ({settings.app.data_dir}): {cause}", file=sys.stderr
            )
            return 2
        setup_logging(settings.app.log_level, log_file)
    else:
        setup_logging(settings.app.log_level)
    try:
        code = asyncio.run(_closing(COMMANDS[args.command](args, settings, rules)))
        sys.stdout.flush()  # here, not at exit, so a reader gone early is caught below
        return code
    except ConfigError as exc:
        print(f"tourdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """``tourdesk webhooks events | head -1``: the reader stopped early, which is no error to
    report. What is still buffered goes nowhere, and the exit status is that of a process
    SIGPIPE stopped (128 + 13), as with other Unix tools."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 141


if __name__ == "__main__":
    sys.exit(main())
