"""Merging two client records carries every row that points at a client — including one-to-one
rows (invite code, "invited by") and rows kept apart by a plain client id (fiscal receipts) —
and resolves what a unique key allows only once (one recipient row per mailing)."""

from __future__ import annotations

from core.client_merge import merge_clients
from core.services import Services
from storage.models import (
    FiscalReceipt,
    Mailing,
    MailingRecipient,
    Referral,
    ReferralCode,
)
from tests.support.factories import make_client


async def test_merge_carries_referrals_receipts_and_mailings_once(services: Services) -> None:
    keep = await make_client("+380501110001", "Olena")
    twin = await make_client(None, "Olena P.")
    friend = await make_client("+380501110003", "Ira")
    inviter = await make_client("+380501110004", "Oksana")
    await ReferralCode.create(client_id=keep.id, code="KEEP0001")
    await ReferralCode.create(client_id=twin.id, code="TWIN0002")
    await Referral.create(
        inviter_id=twin.id, friend_id=friend.id, created_at=services.clock.now()
    )  # twin invited a friend
    await Referral.create(
        inviter_id=inviter.id, friend_id=twin.id, created_at=services.clock.now()
    )  # twin was invited
    now = services.clock.now()
    receipt = await FiscalReceipt.create(
        uid="u-1", reference="liqpay:1", client_id=twin.id, amount=100, currency="UAH",
        title="Tour", created_at=now,
    )  # fmt: skip
    both = await Mailing.create(texts={"default": "Hi"})
    only_twin = await Mailing.create(texts={"default": "Hello"})
    await MailingRecipient.create(mailing_id=both.id, client_id=keep.id)
    await MailingRecipient.create(mailing_id=both.id, client_id=twin.id)
    await MailingRecipient.create(mailing_id=only_twin.id, client_id=twin.id)

    merged = await merge_clients(twin.id, keep.id, actor="system")

    assert merged.client.id == keep.id
    assert [c.code for c in await ReferralCode.filter(client_id=keep.id)] == ["KEEP0001"]
    assert not await ReferralCode.exists(code="TWIN0002")
    assert (await Referral.get(friend_id=friend.id)).inviter_id == keep.id
    assert (await Referral.get(friend_id=keep.id)).inviter_id == inviter.id
    assert (await FiscalReceipt.get(id=receipt.id)).client_id == keep.id
    assert sorted(
        await MailingRecipient.filter(client_id=keep.id).values_list("mailing_id", flat=True)
    ) == sorted([both.id, only_twin.id])
    assert merged.moved["mailing_recipients.client_id:dropped"] == 1
    assert merged.moved["fiscal_receipts.client_id"] == 1


async def test_an_unrewarded_invitation_between_the_two_goes(services: Services) -> None:
    keep = await make_client("+380501110001", "Olena")
    twin = await make_client(None, "Olena P.")
    await Referral.create(inviter_id=keep.id, friend_id=twin.id, created_at=services.clock.now())
    await merge_clients(twin.id, keep.id, actor="system")
    assert not await Referral.exists(inviter_id=keep.id)
