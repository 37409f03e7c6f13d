"""``tourdesk clients merge --from A --into B``: fold one client record into another."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from core.rules import Rules
from core.settings import Settings


def add_parser(sub: Any) -> None:
    clients = sub.add_parser("clients", help="client records: merge two into one")
    verbs = clients.add_subparsers(dest="verb", required=True)
    merge = verbs.add_parser(
        "merge",
        help="move everything of client FROM (messengers, orders, requests, ledger) to INTO",
    )
    merge.add_argument("--from", dest="source", type=int, required=True, metavar="ID")
    merge.add_argument("--into", dest="target", type=int, required=True, metavar="ID")


async def run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.cli import _open_migrated_db
    from core.client_merge import merge_clients
    from core.errors import DomainError
    from core.i18n import Translator
    from storage.db import close_db

    await _open_migrated_db(settings.database.database_url)
    try:
        merged = await merge_clients(args.source, args.target, actor="cli")
    except DomainError as exc:
        t = Translator(("en",), "en")("en")
        print(f"tourdesk: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 1
    finally:
        await close_db()
    moved = ", ".join(f"{k}={v}" for k, v in sorted(merged.moved.items())) or "nothing"
    print(f"merged client #{args.source} into #{merged.client.id} (moved: {moved})")
    return 0
