"""The audit log reads as sentences in the admin's language, one template per action key the
code writes, and its pages stay put while new lines arrive (issue 16)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient

from core.audit import audit
from core.audit_text import sentences, template_key
from core.i18n import Translator
from core.payments.intents import create_order_intent
from core.services import Services
from core.settings import Settings
from handlers.router import Router
from storage.models import AuditEntry, Role
from tests.support.audit_actions import collect
from tests.support.chat import RecordingChat, chat_for
from tests.support.factories import make_client, make_order, make_staff
from tests.support.payments import (
    configure,
    liqpay_body,
    liqpay_payload,
    offline,
    post_callback,
    web_app,
)

LOCALES = ("uk", "en", "ru")


def test_every_action_the_code_writes_has_a_sentence_in_every_language() -> None:
    found = collect()
    assert found.unresolved == [], "an audit action that is not a literal key"
    assert "staff.client.view" in found.keys and "payment-received" in found.keys
    assert len(found.keys) >= 50
    keys = {template_key(action) for action in found.keys}
    assert len(keys) == len(found.keys), "two actions share one template"
    translator = Translator(LOCALES, "uk")
    missing = [
        f"{loc}: {key} ({', '.join(sorted(found.keys[action]))})"
        for action in sorted(found.keys)
        for loc in LOCALES
        if not translator.has(loc, key := template_key(action))
    ]
    assert missing == []


async def test_every_sentence_renders_with_what_an_entry_gives_it(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """Each template is rendered from a real entry of its action: no argument a template uses
    is missing, nothing reads as a raw key."""
    iryna, _ = await make_staff(Role.MANAGER, "iryna", name="Iryna")
    client = await make_client("+380671234567", "Olena", "Petrenko")
    order = await make_order(client, price=120_000)
    for action in sorted(collect().keys):
        await audit(
            iryna,
            action,
            subject=f"order:{order.number}",
            details={"client": client.id, "amount": 120_000, "currency": "UAH", "found": 2},
        )
    entries = list(await AuditEntry.all().order_by("-id").prefetch_related("staff"))
    caplog.set_level(logging.WARNING, logger="core.i18n")
    for loc in LOCALES:
        lines = await sentences(services.translator(loc), entries, services.rules.agency.tz)
        assert len(lines) == len(entries)
        for line in lines:
            assert "audit-" not in line and "{" not in line, line
            assert not re.search(r"\b[a-z]+\.[a-z-]+\.[a-z-]+\b", line), line  # no raw key
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_opening_a_client_reads_as_a_sentence_per_language(
    services: Services, router: Router
) -> None:
    await make_staff(Role.MANAGER, "mgr", name="Iryna")
    client = await make_client("+380671234567", "Olena", "Petrenko")
    await chat_for(services, router, "mgr").press_payload(f"1|scc|{client.id}")
    for locale, sentence in (
        ("en", "Iryna opened client Olena P."),
        ("uk", "Iryna: відкрито клієнта Olena P."),
        ("ru", "Iryna: открыт клиент Olena P."),
    ):
        await make_staff(Role.ADMIN, f"boss-{locale}", locale=locale)
        chat = chat_for(services, router, f"boss-{locale}", language=locale)
        await chat.say("/audit")
        assert sentence in chat.text
        assert "staff.client.view" not in chat.text and f"client:{client.id}" not in chat.text


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(offline(services)) as client:
        yield client


async def test_a_liqpay_payment_reads_as_money_for_the_order(
    services: Services, router: Router, web: TestClient
) -> None:
    client = await make_client("+380671234567", "Olena", user_id="olena")
    order = await make_order(client, price=120_000)
    intent = await create_order_intent(services, order, provider="liqpay")
    status, _ = await post_callback(
        web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "1200"))
    )
    assert status == 200
    await make_staff(Role.ADMIN, "boss", locale="en")
    chat = chat_for(services, router, "boss")
    await chat.say("/audit")
    shown = chat.text.replace("\xa0", " ")
    assert shown.count(f"1,200.00 for {order.number} received via LiqPay") == 1, shown


# ---- pages that stay put ----------------------------------------------------------------------


def lines_of(chat: RecordingChat) -> list[str]:
    return re.findall(r"entry (\d+)\b", chat.text)


async def test_pages_do_not_shift_when_lines_arrive(services: Services, router: Router) -> None:
    await make_staff(Role.ADMIN, "boss", locale="en")
    for n in range(1, 36):
        await audit("system", "staff.invite-refused", details={"reason": f"entry {n}"})
    chat = chat_for(services, router, "boss")
    seen: list[str] = []
    await chat.say("/audit")
    seen += lines_of(chat)
    await chat.press("Older")
    seen += lines_of(chat)
    for n in range(36, 41):  # new lines while page 2 is on screen
        await audit("system", "staff.invite-refused", details={"reason": f"entry {n}"})
    await chat.press("Older")
    seen += lines_of(chat)
    await chat.press("Older")
    seen += lines_of(chat)
    assert "Older" not in " ".join(chat.labels())
    assert seen == [str(n) for n in range(35, 0, -1)], seen  # none repeated, none skipped

    await chat.press("Newer")  # back up: the page before, exactly
    assert lines_of(chat) == [str(n) for n in range(15, 5, -1)]
