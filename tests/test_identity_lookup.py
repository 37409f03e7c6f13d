"""Who an update is from (storage/identity.py): lookups made at the same time share one
statement, and each caller still gets exactly its own account, client and active staff."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from core import accounts
from core.clock import ManualClock
from core.contract import Incoming, Kind
from storage.identity import account_with_links, insert_account
from storage.models import Client, MessengerAccount, Role, Staff


async def test_concurrent_lookups_each_get_their_own_row(db_url: str) -> None:
    client = await Client.create(first_name="Olena", locale="en")
    agent = await Staff.create(name="Ivan", role=Role.MANAGER)
    gone = await Staff.create(name="Petro", role=Role.MANAGER, active=False)
    await MessengerAccount.create(channel="telegram", external_id="1", client=client)
    await MessengerAccount.create(channel="telegram", external_id="2", staff=agent)
    await MessengerAccount.create(channel="telegram", external_id="3", staff=gone)
    await MessengerAccount.create(channel="viber", external_id="1", name="Viber one")

    keys = [("telegram", "1"), ("telegram", "2"), ("telegram", "3"), ("telegram", "4")]
    keys += [("viber", "1"), ("telegram", "1")]
    found = await asyncio.gather(*(account_with_links(c, e) for c, e in keys))

    olena, ivan, petro, nobody, viber, twin = found
    assert olena is not None and olena[1] is not None and olena[1].id == client.id
    assert olena[0].external_id == "1" and olena[0].channel == "telegram" and olena[2] is None
    assert ivan is not None and ivan[2] is not None and ivan[2].id == agent.id
    assert petro is not None and petro[2] is None  # an inactive staff member is nobody's
    assert nobody is None
    assert viber is not None and viber[0].name == "Viber one" and viber[1] is None
    assert twin is not None and twin[0] is not olena[0]  # every caller its own instances
    assert twin[0].id == olena[0].id

    async with in_transaction():  # inside a transaction: read on its connection
        await MessengerAccount.filter(channel="telegram", external_id="4").delete()
        await MessengerAccount.create(channel="telegram", external_id="4")
        inside = await account_with_links("telegram", "4")
        assert inside is not None and inside[0].external_id == "4"


async def test_first_contact_creates_the_account_as_the_orm_would(db_url: str) -> None:
    clock = ManualClock(datetime(2026, 5, 1, 9, 30, tzinfo=UTC))
    hello = Incoming("telegram", "77", Kind.START, language="uk", user_name="Olena " + "x" * 200)
    first = await accounts.touch(hello, clock)
    stored = await MessengerAccount.get(channel="telegram", external_id="77")
    for account in (first.account, stored):
        assert (account.id, account.name, account.language) == (
            stored.id,
            "Olena " + "x" * 122,
            "uk",
        )
        assert account.subscribed and not account.blocked
        assert account.client_id is None and account.staff_id is None
        assert account.last_inbound_at == clock.now() and account.created_at is not None
    assert first.client is None and first.staff is None
    # another process created it a moment ago: nothing inserted, the caller reads it
    assert await insert_account("telegram", "77", "x", None, clock.now()) is None
    await MessengerAccount.filter(id=stored.id).update(blocked=True)
    again = await accounts.touch(hello, clock)
    assert again.account.id == stored.id and not again.account.blocked
    assert await MessengerAccount.filter(channel="telegram", external_id="77").count() == 1
    async with in_transaction():  # inside a transaction a taken key spoils nothing
        assert await insert_account("telegram", "77", "x", None, clock.now()) is None
        assert await insert_account("telegram", "78", "y", None, clock.now()) is not None
    assert await MessengerAccount.filter(external_id="78").exists()
