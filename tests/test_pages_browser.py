"""The payer's pages in a real headless Chromium, on a phone-sized screen: a Ukrainian-speaking
client's payment link from Telegram, the sandbox checkout, Pay, the success page and the receipt
in the chat; then the same link (already paid), a cancelled link and an expired one.

Screenshots of every page go to the test's temporary folder, or to ``TOURDESK_SCREENSHOTS``
when set (``TOURDESK_SCREENSHOTS=docs`` refreshes the ones README shows).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from core.cancellation import close_links
from core.clock import ManualClock
from core.payloads import encode
from core.payments.intents import create_order_intent, pay_link
from core.rules import Agency, Delivery, Rules
from core.services import Services
from storage.models import Client, IntentStatus, MessengerAccount, PaymentIntent
from tests.fakes.telegram_api import FakeTelegram
from tests.support.browser import CHROMIUM, Tab, chromium
from tests.support.e2e import Desk, TgPerson, open_desk
from tests.support.factories import make_order

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"needs a headless Chromium at {CHROMIUM} (Debian: apt-get install chromium; "
    "`make test` installs it when run as root)",
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def rules() -> Rules:
    return Rules(
        agency=Agency(name="Sea & Sun Travel", phone="+380 44 123 45 67"),
        delivery=Delivery(flood_messages=1000),
    )


@pytest.fixture
async def desk(services: Services) -> AsyncIterator[Desk]:
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return Path(os.environ.get("TOURDESK_SCREENSHOTS") or tmp_path)


async def olena_in_telegram(desk: Desk) -> tuple[Client, TgPerson]:
    """A known client who speaks Ukrainian, with a Telegram chat."""
    assert desk.telegram is not None
    client = await Client.create(phone="+380671234567", first_name="Olena", locale="uk")
    await MessengerAccount.create(
        channel="telegram", external_id="501", client=client, language="uk"
    )
    return client, TgPerson(desk.telegram, 501, "Olena", language="uk")


async def link_from_chat(person: TgPerson, order_id: int) -> str:
    """The client opens the menu and presses Pay for the order: the chat shows the link."""
    await person.say("/menu")
    await person.press_data(encode("payo", order_id, "full"), person.shown[-1])
    urls = [b["url"] for m in person.shown for b in m.buttons if "url" in b]
    assert len(urls) == 1, person.shown
    return str(urls[0])


async def fits_a_phone(tab: Tab) -> None:
    assert await tab.js("!!document.querySelector('meta[name=viewport]')")
    # Nothing is wider than the phone's screen: no sideways scrolling.
    assert await tab.js("document.documentElement.scrollWidth <= window.innerWidth")


async def shoot(tab: Tab, path: Path) -> None:
    assert (await tab.screenshot(path)).startswith(PNG)


async def test_pay_in_chromium_from_the_chat_link_to_the_receipt(
    desk: Desk, services: Services, clock: ManualClock, shots: Path
) -> None:
    client, olena = await olena_in_telegram(desk)
    order = await make_order(client, price=150_000)
    link = await link_from_chat(olena, order.id)
    intent = await PaymentIntent.get(order_id=order.id)
    assert link == pay_link(services.settings, intent)

    async with chromium() as browser:
        tab = await browser.new_tab()
        await tab.open(link)
        assert urlsplit(await tab.url()).path == f"/sandbox/checkout/{intent.reference}"
        shown = await tab.text()
        assert "Sea & Sun Travel" in shown
        assert "Тестова оплата" in shown
        assert "замовлення T-0001 (Egypt)" in shown
        assert "1 500,00 ₴" in shown
        assert await tab.js("document.documentElement.lang") == "uk"
        await fits_a_phone(tab)
        await shoot(tab, shots / "page-checkout.png")

        await tab.press("Сплатити")
        assert await tab.url() == f"{link}/done"
        shown = await tab.text()
        assert "Оплату отримано" in shown and "1 500,00 ₴" in shown
        assert "Sea & Sun Travel" in shown and "+380 44 123 45 67" in shown
        await fits_a_phone(tab)
        await shoot(tab, shots / "page-success.png")

        await desk.deliver()
        receipts = [m.text for m in olena.inbox() if "T-0001" in m.text]
        assert receipts, olena.shown
        assert "Оплату отримано: 1 500,00 ₴" in " ".join(receipts[0].split())

        await tab.open(link)  # the same link again
        shown = await tab.text()
        assert "Уже оплачено" in shown and "Цю оплату вже здійснено" in shown
        assert "1 500,00 ₴" in shown
        await shoot(tab, shots / "page-paid.png")

        second = await make_order(client, price=99_900, number="T-0002")
        cancelled = await create_order_intent(services, second)
        await close_links(second.id)  # what cancelling the order does to its links
        assert (await PaymentIntent.get(id=cancelled.id)).status is IntentStatus.CANCELLED
        await tab.open(pay_link(services.settings, cancelled))
        shown = await tab.text()
        assert "Посилання скасовано" in shown and "999,00 ₴" in shown
        assert "замовлення T-0002" in shown
        await fits_a_phone(tab)
        await shoot(tab, shots / "page-cancelled.png")

        third = await make_order(client, price=2_000_000, number="T-0003")
        expiring = await create_order_intent(services, third)
        clock.advance(expiring.expires_at - clock.now() + timedelta(minutes=1))
        await tab.open(pay_link(services.settings, expiring))
        shown = await tab.text()
        assert "Термін дії посилання минув" in shown and "20 000,00 ₴" in shown
        await fits_a_phone(tab)
        await shoot(tab, shots / "page-expired.png")
