"""``tourdesk clients merge|erase|import``: fold one client record into another; wipe personal
data; import clients from a file (bots/cli_imports.py)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, NoReturn

from bots import cli_imports
from core.rules import Rules
from core.settings import Settings


class OneLineParser(argparse.ArgumentParser):
    """Bad input: one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def add_parser(sub: Any) -> None:
    clients = sub.add_parser(
        "clients", help="client records: import from a file, merge two into one, erase one"
    )
    verbs = clients.add_subparsers(dest="verb", required=True, parser_class=OneLineParser)
    merge = verbs.add_parser(
        "merge",
        help="move everything of client FROM (messengers, orders, requests, ledger) to INTO",
    )
    merge.add_argument("--from", dest="source", type=int, required=True, metavar="ID")
    merge.add_argument("--into", dest="target", type=int, required=True, metavar="ID")
    erase = verbs.add_parser(
        "erase",
        help="wipe a client's personal data; orders and ledger stay, anonymised",
        description="Refused while money is open unless --force with --reason.",
    )
    who = erase.add_mutually_exclusive_group(required=True)
    who.add_argument("--id", type=int, help="the client's number")
    who.add_argument("--phone", help="the client's phone, in any usual spelling")
    erase.add_argument("--force", action="store_true", help="erase even with money open")
    erase.add_argument("--reason", help="why (kept in the audit log; required with --force)")
    cli_imports.add_clients_verb(verbs)


async def run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    if args.verb == "erase":
        return await _erase(args, settings, rules)
    if args.verb == "import":
        return await cli_imports.run_clients(args, settings, rules)
    return await _merge(args, settings)


async def _merge(args: argparse.Namespace, settings: Settings) -> int:
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


async def _erase(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import build_services
    from bots.cli import _open_migrated_db
    from core import erasure
    from core.errors import DomainError, InvalidInput
    from storage.db import close_db

    if args.force and not (args.reason or "").strip():
        print("tourdesk clients erase: --force needs --reason", file=sys.stderr)
        return 2
    await _open_migrated_db(settings.database.database_url)
    services = await build_services(settings, rules)
    t = services.translator("en")
    try:
        client = await erasure.find_client(args.id, args.phone, rules.agency.country)
        done = await erasure.erase(
            services, client.id, by=None, force=args.force, reason=args.reason
        )
    except erasure.OpenMoney as refused:
        details = "; ".join(line.lstrip("• ") for line in refused.summary.lines(t))
        print(f"tourdesk: {t(refused.key)} {details}. Use --force --reason R.", file=sys.stderr)
        return 1
    except InvalidInput as exc:
        print(f"tourdesk clients erase: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"tourdesk: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 1
    finally:
        if services.redis is not None:
            await services.redis.aclose()
        await close_db()
    if done.already:
        print(f"client #{done.client_id} was already erased; nothing changed")
    else:
        forced = " (forced)" if done.forced else ""
        print(
            f"client #{done.client_id} erased{forced}: {done.unlinked} messenger account(s)"
            f" unlinked, {done.told} farewell message(s) queued"
        )
    return 0
