"""Who an update is from (storage/identity.py): lookups made at the same time share one
statement, and each caller still gets exactly its own account, client and active staff."""

from __future__ import annotations

import asyncio

from tortoise.transactions import in_transaction

from storage.identity import account_with_links
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
