"""``tourdesk mailing send|status|pause|resume|cancel|list``: mailings from the command line.

Bad input (a bad segment, an unknown {variable}, a wrong id or time) exits 2 with one line.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time, timedelta
from typing import Any, NoReturn

from core.rules import Rules
from core.settings import Settings

SEGMENT_HELP = (
    "who gets it, e.g. 'orders>=1 and country=TR and age=25-45' or @saved_name "
    "(default: every client with marketing consent; see README 'Segments')"
)


class BadInput(Exception):
    """One line for stderr, exit code 2."""


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def _one_line_errors(parser: argparse.ArgumentParser) -> None:
    parser.error = OneLineParser.error.__get__(parser)  # type: ignore[method-assign]


def add_parser(sub: Any) -> None:
    """Add ``mailing`` and its verbs to the top-level subparsers."""
    mailing = sub.add_parser("mailing", help="mailings: send, status, pause, resume, cancel, list")
    _one_line_errors(mailing)
    verbs = mailing.add_subparsers(dest="verb", required=True, parser_class=OneLineParser)
    send = verbs.add_parser("send", help="create a mailing and start it now or at --at")
    send.add_argument("--text", required=True, help="text for every language without its own")
    for lang in ("uk", "en", "ru"):
        send.add_argument(f"--text-{lang}", default=None, help=f"text for clients reading {lang}")
    send.add_argument("--segment", default="", help=SEGMENT_HELP)
    send.add_argument(
        "--at", default=None, help="start at agency local time: HH:MM or YYYY-MM-DD HH:MM"
    )
    send.add_argument("--rate", type=int, default=None, help="messages per second (1..1000)")
    send.add_argument("--picture", default=None, help="http(s) address of a picture")
    send.add_argument(
        "--link", action="append", default=[], metavar="LABEL=URL", help="a link button (<= 3)"
    )
    send.add_argument(
        "--wait",
        action="store_true",
        help="then follow it until it ends (sent by `tourdesk run`): a progress bar on a "
        "terminal, a line per change otherwise",
    )
    _interval(send)
    status = verbs.add_parser("status", help="progress and outcomes of one mailing")
    status.add_argument("id", type=int)
    status.add_argument(
        "--follow",
        action="store_true",
        help="keep showing progress until it ends: a progress bar on a terminal, a line per "
        "change otherwise",
    )
    _interval(status)
    for verb, text in (
        ("pause", "stop sending for now; queued messages are held"),
        ("resume", "continue a paused mailing"),
        ("cancel", "stop for good; nothing more leaves"),
    ):
        parser = verbs.add_parser(verb, help=text)
        parser.add_argument("id", type=int)
    verbs.add_parser(
        "list",
        help="the latest mailings: id, status, start (agency time; a draft's creation), segment",
    )


def _interval(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks (default 1)"
    )


def parse_at(text: str, now: datetime, rules: Rules) -> datetime:
    """``"18:30"`` (today, or tomorrow once passed) or ``"2026-12-24 18:30"``, agency time."""
    from core.reminders.timing import local_at, local_date

    tz = rules.agency.tz
    cleaned = text.strip().replace("T", " ")
    try:
        if " " in cleaned:
            day_text, clock_text = cleaned.split(None, 1)
            day = date.fromisoformat(day_text)
            at = time.fromisoformat(clock_text)
            return local_at(day, at, tz)
        at = time.fromisoformat(cleaned)
    except ValueError:
        raise BadInput("mailing-bad-time") from None
    today = local_date(now, tz)
    moment = local_at(today, at, tz)
    return moment if moment >= now else local_at(today + timedelta(days=1), at, tz)


def _links(values: list[str]) -> list[tuple[str, str]]:
    from core.errors import InvalidInput

    out = []
    for value in values:
        label, sep, url = value.partition("=")
        if not sep:
            raise InvalidInput("mailing-bad-link", url=value)
        out.append((label, url))
    return out


def _local(moment: datetime, rules: Rules) -> str:
    """An instant as the agency reads it (``--at`` is typed in the same time)."""
    return f"{moment.astimezone(rules.agency.tz):%Y-%m-%d %H:%M} {rules.agency.tz}"


async def _run(args: argparse.Namespace, services: Any) -> None:
    from core.mailings import service

    if args.verb == "send":
        texts = {"default": args.text}
        texts.update({lang: getattr(args, f"text_{lang}") for lang in ("uk", "en", "ru")})
        texts = {k: v for k, v in texts.items() if v}
        at = parse_at(args.at, services.clock.now(), services.rules) if args.at else None
        service.start_time(services, at)  # refuse a past time before anything is written
        mailing = await service.create_mailing(
            services,
            texts,
            segment=args.segment,
            picture_url=args.picture,
            links=_links(args.link),
            rate=args.rate,
        )
        scheduled = await service.schedule(services, mailing.id, at)
        print(mailing.id, flush=True)
        if scheduled.run_at and scheduled.run_at > services.clock.now() + timedelta(minutes=1):
            # stdout stays the id alone (scripts read it); when it starts goes to the person
            print(
                f"tourdesk: mailing {mailing.id} starts {_local(scheduled.run_at, services.rules)}"
                + (" (after quiet hours)" if at is None or scheduled.run_at > at else ""),
                file=sys.stderr,
            )
        if args.wait:
            await _follow(args, mailing.id)
    elif args.verb == "status" and args.follow:
        await _follow(args, args.id)
    elif args.verb == "status":
        rep = await service.report(args.id)
        m = rep.mailing
        print(f"mailing {m.id}: {m.status.value}")
        print(f"segment: {m.segment or '(every client with consent)'}")
        if m.run_at:
            print(f"starts: {_local(m.run_at, services.rules)}")
        print(f"recipients: {rep.total}")
        print(", ".join(f"{k} {v}" for k, v in rep.outcomes.items()))
    elif args.verb == "list":
        mailings = await service.recent()
        if not mailings:
            print("tourdesk: no mailings yet", file=sys.stderr)
        for m in mailings:
            when = _local(m.run_at or m.created_at, services.rules)
            print(f"{m.id}\t{m.status.value}\t{when}\t{m.segment or '-'}")
    else:
        action = {"pause": service.pause, "resume": service.resume, "cancel": service.cancel}
        mailing = await action[args.verb](services, args.id)
        print(f"mailing {mailing.id}: {mailing.status.value}")


async def _follow(args: argparse.Namespace, mailing_id: int) -> None:
    from bots.cli_progress import follow

    if not 0.05 <= args.interval <= 3600:
        raise BadInput("mailing-bad-interval")
    await service_exists(mailing_id)
    await follow(mailing_id, sys.stdout, interval=args.interval)


async def service_exists(mailing_id: int) -> None:
    from core.mailings import service

    await service.get_mailing(mailing_id)  # NotFound: one line, exit 2


async def cmd_mailing(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import build_services
    from bots.cli import _open_migrated_db
    from core.errors import Conflict, DomainError
    from core.i18n import Translator
    from storage.db import close_db

    await _open_migrated_db(settings.database.database_url)
    services = await build_services(settings, rules)
    t = Translator(("en",), "en")("en")
    try:
        await _run(args, services)
    except Conflict as exc:  # a refused operation (pausing a finished mailing): exit 1
        print(f"tourdesk: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"tourdesk: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 2
    except BadInput as exc:
        print(f"tourdesk: {t(str(exc), url='')}", file=sys.stderr)
        return 2
    finally:
        if services.redis is not None:
            await services.redis.aclose()
        await close_db()
    return 0
