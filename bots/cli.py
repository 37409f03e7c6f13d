"""The ``tourdesk`` command: run, demo, migrate (and more verbs as the issues ask)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from bots import cli_clients, cli_mailing
from bots.logs import setup_logging
from core.errors import ConfigError
from core.i18n import Translator
from core.rules import Rules, load_rules
from core.settings import Settings, load_settings

log = logging.getLogger("tourdesk")

Command = Callable[[argparse.Namespace, Settings, Rules], Coroutine[Any, Any, int]]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tourdesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="web app + enabled messengers + scheduler in one process")
    sub.add_parser("migrate", help="apply database migrations")
    demo = sub.add_parser("demo", help="offline demo: SQLite, sandbox payments, console chat")
    demo.add_argument("--user", default="tourist", help="console user id (default: tourist)")
    demo.add_argument("--lang", default=None, help="language hint of the console user")
    demo.add_argument("--fresh", action="store_true", help="start from an empty demo database")
    staff = sub.add_parser("staff", help="staff: invite, list, revoke")
    verbs = staff.add_subparsers(dest="verb", required=True)
    invite = verbs.add_parser("invite", help="print a one-time code that links a messenger account")
    invite.add_argument("--role", required=True, choices=["admin", "manager", "accountant"])
    invite.add_argument("--name", required=True, help="the person's name as staff will see it")
    invite.add_argument("--hours", type=int, default=48, help="hours the code stays valid")
    verbs.add_parser("list", help="every staff member, active or revoked")
    revoke = verbs.add_parser("revoke", help="take every staff capability away from a member")
    revoke.add_argument("id", type=int)
    cli_clients.add_parser(sub)
    cli_mailing.add_parser(sub)
    return parser


async def _cmd_migrate(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from storage.db import close_db, migrate

    await migrate(settings.database.database_url)
    await close_db()
    print("database is up to date")
    return 0


async def _open_migrated_db(url: str) -> None:
    from storage.db import close_db, init_db, pending_migrations

    await init_db(url)
    pending = await pending_migrations(url)
    if pending:
        await close_db()
        raise ConfigError(
            f"the database is not migrated (pending: {', '.join(pending)}): run `tourdesk migrate`"
        )


async def _wait_for_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _cmd_run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import Runtime, build_services
    from storage.db import close_db

    await _open_migrated_db(settings.database.database_url)
    services = await build_services(settings, rules)
    runtime = Runtime(services)
    try:
        await runtime.start_web(settings.web.http_host, settings.web.http_port)
        await runtime.start_workers()
        await runtime.start_channels()
        log.info("tourdesk is running; Ctrl-C or SIGTERM stops it")
        await _wait_for_signal()
    finally:
        await runtime.stop()
        await close_db()
    return 0


async def _cmd_demo(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import Runtime, build_services
    from bots.console import ConsoleChannel
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
    await migrate(settings.database.database_url)
    await close_db()
    await _open_migrated_db(settings.database.database_url)
    services = await build_services(settings, rules)
    console = ConsoleChannel(lambda i: runtime.dispatch(i), user_id=args.user, language=args.lang)
    runtime = Runtime(services, extra_channels=[console], with_messengers=False, tick_seconds=0.5)
    try:
        try:
            await runtime.start_web(settings.web.http_host, settings.web.http_port)
        except OSError as exc:
            print(f"(web app not started: port {settings.web.http_port} busy: {exc.strerror})")
        await runtime.start_workers()
        print(f"tourdesk demo — {rules.agency.name}. Type /start to begin, Ctrl-D to leave.")
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
    from storage.db import close_db
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
            print(f"code: {made.code}")
            if made.link:
                print(f"link: {made.link}")
        elif args.verb == "list":
            members, _ = await invites.team(0, 10_000)
            for m in members:
                state = "active" if m.staff.active else "revoked"
                channels = ",".join(m.channels) or "-"
                print(f"{m.staff.id}\t{m.staff.role}\t{state}\t{m.staff.name}\t{channels}")
        else:
            member = await invites.revoke(now, args.id)
            print(f"revoked #{member.id} {member.name} ({member.role})")
    except DomainError as exc:
        print(f"tourdesk: {Translator(('en',), 'en')('en')(exc.key, **exc.args_)}", file=sys.stderr)
        return 1
    finally:
        await close_db()
    return 0


COMMANDS: dict[str, Command] = {"run": _cmd_run, "migrate": _cmd_migrate, "demo": _cmd_demo}
COMMANDS["staff"] = _cmd_staff
COMMANDS["clients"] = cli_clients.run
COMMANDS["mailing"] = cli_mailing.cmd_mailing


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        rules = load_rules(settings.app.config_path)
        from bots.app import check_channels

        check_channels(settings, rules)
        if args.command != "migrate":  # users must never see a message key: stop here instead
            Translator(rules.agency.locales, rules.agency.default_locale)
    except ConfigError as exc:
        print(f"tourdesk: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "demo":
        settings.app.data_dir.mkdir(parents=True, exist_ok=True)
        log_file = open(settings.app.data_dir / "demo.log", "a", encoding="utf-8")  # noqa: SIM115
        setup_logging(settings.app.log_level, log_file)
    else:
        setup_logging(settings.app.log_level)
    try:
        return asyncio.run(COMMANDS[args.command](args, settings, rules))
    except ConfigError as exc:
        print(f"tourdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
