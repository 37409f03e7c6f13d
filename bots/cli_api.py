"""``tourdesk api-key create|list|revoke``: named keys for the REST API (``/api/v1``).

``create`` prints the key once (only its sha256 is kept). Bad input exits 2 with one line.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from core.rules import Rules
from core.settings import Settings


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def add_parser(sub: Any) -> None:
    keys = sub.add_parser("api-key", help="REST API keys: create, list, revoke")
    verbs = keys.add_subparsers(dest="verb", required=True, parser_class=OneLineParser)
    create = verbs.add_parser("create", help="a new key with scopes; prints the key once")
    create.add_argument("--name", required=True, help="who uses it, e.g. crm (shown in the audit)")
    create.add_argument(
        "--scopes",
        required=True,
        help="comma-separated, e.g. clients:read,orders:write ('*' for all; see README 'API')",
    )
    create.add_argument(
        "--rate", type=int, default=None, help="requests per minute (default: [api] rate)"
    )
    verbs.add_parser("list", help="every key: name, scopes, created, last used, revoked, rate")
    revoke = verbs.add_parser("revoke", help="the key stops working at once")
    revoke.add_argument("--name", required=True)


async def run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.cli import _open_migrated_db
    from core import api_keys
    from core.clock import Clock
    from core.errors import DomainError, InvalidInput
    from core.i18n import Translator
    from storage.db import close_db

    t = Translator(("en",), "en")("en")
    await _open_migrated_db(settings.database.database_url)
    try:
        if args.verb == "create":
            made = await api_keys.create_key(
                args.name, api_keys.parse_scopes(args.scopes), rate_per_minute=args.rate
            )
            print(f"API key {made.record.name!r} ({', '.join(made.record.scopes)}):")
            print(made.key)
            print("Keep it now: it is not shown again.", file=sys.stderr)
        elif args.verb == "list":
            for k in await api_keys.list_keys():
                state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
                used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
                rate = k.rate_per_minute or rules.api.rate_per_minute
                own = "" if k.rate_per_minute else " ([api] rate_per_minute)"
                print(
                    f"{k.name}\t{k.prefix}…\t{state}\t{','.join(k.scopes)}"
                    f"\tcreated {k.created_at:%Y-%m-%d}\tlast used {used}\t{rate}/min{own}"
                )
        else:
            record = await api_keys.revoke_key(args.name, Clock().now())
            print(f"revoked API key {record.name!r}")
    except InvalidInput as exc:
        print(f"tourdesk api-key: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"tourdesk api-key: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 1
    finally:
        await close_db()
    return 0
