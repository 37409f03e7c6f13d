"""A separate process that presses "Choose" on a tour offer, as another tourdesk process would
handle a second press: ``python -m tests.support.offer_chooser DB_URL CLIENT_ID OFFER_ID GO_FILE``.
Says it is ready (a ``ready.<pid>`` file next to GO_FILE), waits until GO_FILE exists (so every
process presses at once), prints the outcome."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from bots.app import build_services
from core.offers.service import choose
from core.rules import Rules
from core.settings import Settings
from storage.db import close_db, init_db
from storage.models import Client


def wait_for(go: Path, limit: float = 300) -> None:
    deadline = time.monotonic() + limit
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.005)


async def main(url: str, client_id: int, offer_id: int, go: Path) -> None:
    await init_db(url)
    settings = Settings()
    settings.database.database_url = url
    settings.payments.sandbox = True
    settings.web.public_url = "https://desk.example"
    services = await build_services(settings, Rules())
    client = await Client.get(id=client_id)
    (go.parent / f"ready.{os.getpid()}").touch()
    await asyncio.to_thread(wait_for, go)
    choice = await choose(services, client, offer_id)
    print(choice.outcome.value, flush=True)
    await close_db()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])))
