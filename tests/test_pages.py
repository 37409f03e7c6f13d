"""The payer's pages over HTTP: escaped (a name or a destination with markup shows as text),
in the client's language, with the agency's name and the amount; a link we do not know answers
404 in the agency's language. (tests/test_pages_browser.py opens them in a real browser.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bots.app import Runtime
from core.payments.intents import create_order_intent
from core.rules import Agency, Rules
from core.services import Services
from core.settings import Settings
from tests.support.e2e import visible_text
from tests.support.factories import make_client, make_order

AGENCY = '<script>alert("x")</script> Sun & Sea'


@pytest.fixture
def rules() -> Rules:
    return Rules(agency=Agency(name=AGENCY, website="https://sun.example/?a=1&b=2"))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.payments.sandbox = True
    settings.web.public_url = None
    return settings


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    server = TestServer(Runtime(services, with_messengers=False).web_app)
    async with TestClient(server) as client:
        yield client


async def checkout_page(web: TestClient, token: str) -> tuple[int, str]:
    async with web.get(f"/pay/{token}") as resp:
        return resp.status, await resp.text()


async def test_markup_in_names_is_shown_as_text(services: Services, web: TestClient) -> None:
    client = await make_client("+380671234567", user_id="u1", locale="en")
    order = await make_order(client, price=150_000)
    order.destination = "<b>Crete</b>"
    await order.save()
    intent = await create_order_intent(services, order)
    status, page = await checkout_page(web, intent.token)
    assert status == 200
    assert "<script>alert" not in page and "<b>Crete" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Sun &amp; Sea" in page
    assert "&lt;b&gt;Crete&lt;/b&gt;" in page
    shown = visible_text(page)
    assert '<script>alert("x")</script> Sun & Sea' in shown  # what the payer reads
    assert "order T-0001 (<b>Crete</b>)" in shown and "UAH 1,500.00" in shown  # spaces collapsed
    assert "https://sun.example/?a=1&b=2" in shown
    assert '<meta name="viewport" content="width=device-width,initial-scale=1">' in page


@pytest.mark.parametrize(
    ("locale", "title", "amount"),
    [
        ("uk", "Тестова оплата (пісочниця)", "1\xa0500,00\xa0₴"),
        ("ru", "Тестовая оплата (песочница)", "1\xa0500,00\xa0₴"),
        ("en", "Test payment (sandbox)", "UAH\u00a01,500.00"),
    ],
)
async def test_pages_speak_the_clients_language(
    services: Services, web: TestClient, locale: str, title: str, amount: str
) -> None:
    client = await make_client("+380671234567", user_id="u1", locale=locale)
    order = await make_order(client, price=150_000)
    intent = await create_order_intent(services, order)
    async with web.get(f"/pay/{intent.token}") as resp:
        page = await resp.text()
    assert f'<html lang="{locale}">' in page
    assert title in visible_text(page) and amount in page
    order.status = order.status.CANCELLED
    await order.save()
    status, page = await checkout_page(web, intent.token)
    expected = {"uk": "Посилання скасовано", "ru": "Ссылка отменена", "en": "Link cancelled"}
    assert status == 410
    assert f"<h1>{expected[locale]}</h1>" in page and amount in page


async def test_unknown_link_says_so_in_the_agency_language(web: TestClient) -> None:
    status, page = await checkout_page(web, "nosuchtoken")
    assert status == 404
    assert '<html lang="uk">' in page and "<h1>Посилання не знайдено</h1>" in page
    assert "Sun &amp; Sea" in page
