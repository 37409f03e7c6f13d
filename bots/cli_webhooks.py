"""``tourdesk webhooks events|log|replay``: what was published, what each endpoint answered,
and sending an event again (after the receiver was fixed, or to a newly added endpoint)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from core.rules import Rules
from core.settings import Settings


class OneLineParser(argparse.ArgumentParser):
    """Bad input: one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def add_parser(sub: Any) -> None:
    hooks = sub.add_parser("webhooks", help="outgoing webhooks: events, delivery log, replay")
    verbs = hooks.add_subparsers(dest="verb", required=True, parser_class=OneLineParser)
    events = verbs.add_parser("events", help="the latest published events, newest first")
    events.add_argument("--type", default=None, help="only this event type, e.g. payment.succeeded")
    events.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    log = verbs.add_parser("log", help="every delivery attempt of one event (or the latest ones)")
    log.add_argument("event", nargs="?", default=None, metavar="EVENT_ID")
    log.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    replay = verbs.add_parser(
        "replay", help="send an event again, with the same id, to its endpoints (or one)"
    )
    replay.add_argument("event", metavar="EVENT_ID")
    replay.add_argument("--endpoint", default=None, help="only this endpoint (by its name)")


async def run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.cli import _open_migrated_db
    from storage.db import close_db

    if getattr(args, "limit", 1) < 1:
        print(f"tourdesk webhooks {args.verb}: --limit must be at least 1", file=sys.stderr)
        return 2
    await _open_migrated_db(settings.database.database_url)
    try:
        if args.verb == "events":
            return await _events(args)
        if args.verb == "log":
            return await _log(args)
        return await _replay(args, settings, rules)
    finally:
        await close_db()


async def _events(args: argparse.Namespace) -> int:
    from storage.models import WebhookDelivery, WebhookEvent

    query = WebhookEvent.all().order_by("-created_at", "-id").limit(args.limit)
    if args.type:
        query = query.filter(type=args.type)
    for event in await query:
        delivered = await WebhookDelivery.filter(event_id=event.id, ok=True).count()
        tried = await WebhookDelivery.filter(event_id=event.id).count()
        when = event.created_at.strftime("%Y-%m-%d %H:%M:%S")
        print(f"{event.uid}\t{when}\t{event.type}\tdelivered {delivered}, attempts {tried}")
    return 0


async def _log(args: argparse.Namespace) -> int:
    from storage.models import WebhookDelivery, WebhookEvent

    query = WebhookDelivery.all().select_related("event")
    if args.event:
        event = await WebhookEvent.get_or_none(uid=args.event)
        if event is None:
            print(f"tourdesk webhooks log: no event {args.event}", file=sys.stderr)
            return 2
        query = query.filter(event_id=event.id).order_by("id")
    else:
        query = query.order_by("-id").limit(args.limit)
    for row in await query:
        when = row.created_at.strftime("%Y-%m-%d %H:%M:%S")
        answer = str(row.status_code) if row.status_code is not None else "-"
        verdict = "ok" if row.ok else (row.error or "failed")
        print(
            f"{row.event.uid}\t{when}\t{row.endpoint}\tattempt {row.attempt}\t{answer}"
            f"\t{row.duration_ms} ms\t{verdict}"
        )
    return 0


async def _replay(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import build_services
    from core.webhooks.publish import replay

    if args.endpoint is not None and args.endpoint not in rules.webhooks.endpoints:
        known = ", ".join(rules.webhooks.endpoints) or "none configured"
        print(
            f"tourdesk webhooks replay: no endpoint {args.endpoint!r} (known: {known})",
            file=sys.stderr,
        )
        return 2
    services = await build_services(settings, rules)
    try:
        planned = await replay(services, args.event, args.endpoint)
    except LookupError:
        print(f"tourdesk webhooks replay: no event {args.event}", file=sys.stderr)
        return 2
    finally:
        if services.redis is not None:
            await services.redis.aclose()
    if not planned:
        print(f"event {args.event}: no endpoint subscribes to it now; nothing planned")
        return 1
    print(
        f"event {args.event}: planned for {', '.join(planned)}; the running tourdesk sends it"
        " within seconds"
    )
    return 0
