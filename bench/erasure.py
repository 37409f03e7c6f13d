"""Erasing one client while the database holds a large history of everyone else: how long does
the one transaction take (it scans every outbox, audit, job, state and ledger row for the
client's strings), and is anything of the client left afterwards?

SQLite in a temporary file by default; ``--database-url postgres://…`` for a server (the
database must exist and be empty: the script migrates it).

    .venv/bin/python bench/erasure.py --messages 100000 --audit 50000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bots.app import build_services  # noqa: E402
from core import erasure  # noqa: E402
from core.clock import Clock  # noqa: E402
from core.rules import Rules  # noqa: E402
from core.settings import Settings  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import (  # noqa: E402
    AuditEntry,
    Client,
    MessengerAccount,
    OutboxMessage,
    OutboxStatus,
    Staff,
)

NAME = ("Zoryana", "Kvitkovska")
PHONE = "+380979876543"


async def seed(messages: int, audit: int) -> int:
    now = Clock().now()
    staff = await Staff.create(name="Anna", role="admin")
    staff_account = await MessengerAccount.create(channel="console", external_id="a", staff=staff)
    client = await Client.create(phone=PHONE, first_name=NAME[0], last_name=NAME[1])
    account = await MessengerAccount.create(channel="console", external_id="z", client=client)
    batch = []
    for i in range(messages):
        mine = i % 100 == 0  # 1% about the client: theirs, or a staff notice naming them
        text = f"Payment received from {' '.join(NAME)}" if mine else f"Order T-{i} confirmed"
        batch.append(
            OutboxMessage(
                channel="console",
                external_id="z" if mine and i % 200 == 0 else "a",
                account_id=account.id if mine and i % 200 == 0 else staff_account.id,
                client_id=client.id if mine and i % 200 == 0 else None,
                staff_id=None if mine and i % 200 == 0 else staff.id,
                body={"text": text, "buttons": []},
                status=OutboxStatus.SENT,
                not_before=now,
            )
        )
        if len(batch) == 1000:
            await OutboxMessage.bulk_create(batch)
            batch = []
    if batch:
        await OutboxMessage.bulk_create(batch)
    await AuditEntry.bulk_create(
        [
            AuditEntry(
                actor=f"staff:{staff.id}",
                action="staff.find",
                details={"query": PHONE if i % 100 == 0 else f"T-{i}"},
            )
            for i in range(audit)
        ],
        batch_size=1000,
    )
    return client.id


async def main(args: argparse.Namespace) -> None:
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite://{tmp.name}/bench.sqlite3"
    await migrate(url)
    await close_db()
    await init_db(url)
    settings = Settings()
    settings.database.database_url = url
    settings.redis.redis_url = None
    services = await build_services(settings, Rules())
    client_id = await seed(args.messages, args.audit)
    started = time.perf_counter()
    done = await erasure.erase(services, client_id, by=None)
    elapsed = time.perf_counter() - started
    left = 0
    for row in await OutboxMessage.all().values("body"):
        left += NAME[1] in json.dumps(row["body"], ensure_ascii=False)
    for row in await AuditEntry.all().values("details"):
        left += PHONE in json.dumps(row["details"])
    print(f"database          {url.split(':', 1)[0]}")
    print(f"outbox rows       {args.messages}")
    print(f"audit rows        {args.audit}")
    print(f"erase took        {elapsed:.2f} s (one transaction)")
    print(f"accounts unlinked {done.unlinked}")
    print(f"rows still naming the client: {left}")
    await close_db()
    tmp.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--audit", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))
