"""Flood control: a user who sends too much gets one polite note and is then ignored for a
while; everyone else goes on normally. Counted in Redis on the PostgreSQL backend."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from core import turn
from core.contract import Address
from core.ratelimit import Limit, Rate
from core.rules import Delivery, Rules
from core.services import Services
from handlers.router import Router
from tests.fakes.telegram_api import FakeTelegram, RunningBot, TgUser, run_bot
from tests.support.channels import Channel
from tests.support.chat import RecordingChat

FLOOD_NOTE = "You are sending messages too fast"


@pytest.fixture
def rules() -> Rules:
    # An hour-long window: the test never depends on how fast it runs.
    return Rules(delivery=Delivery(flood_messages=3, flood_window_seconds=3600))


async def test_burst_gets_one_note_and_others_are_unaffected(
    services: Services, router: Router
) -> None:
    noisy = RecordingChat(services, router, user_id="n1", channel=Channel.TELEGRAM)
    calm = RecordingChat(services, router, user_id="c1", channel=Channel.TELEGRAM)
    for _ in range(3):
        await noisy.say("hello?")
        assert FLOOD_NOTE not in noisy.text and noisy.last
    await noisy.say("hello?")
    assert noisy.text.startswith(FLOOD_NOTE)
    for _ in range(5):
        assert await noisy.say("HELLO???") == []
    await calm.start()
    assert "Tourdesk Travel" in calm.text


async def test_note_speaks_the_users_language(services: Services, router: Router) -> None:
    chat = RecordingChat(services, router, user_id="n2", channel=Channel.VIBER, language="uk")
    for _ in range(4):
        await chat.say("?")
    assert chat.text.startswith("Ви надсилаєте повідомлення надто швидко")


async def test_the_console_is_never_throttled(services: Services, router: Router) -> None:
    chat = RecordingChat(services, router, user_id="me", channel=Channel.CONSOLE)
    for _ in range(10):
        await chat.say("menu?")
        assert FLOOD_NOTE not in chat.text and chat.last


@pytest.fixture
async def bot(services: Services, router: Router) -> AsyncIterator[RunningBot]:
    fake = await FakeTelegram().start()
    running = await run_bot(services, router, fake, mode="webhook")
    yield running
    await running.stop()
    await fake.close()


async def test_telegram_burst_from_one_user(bot: RunningBot) -> None:
    fake = bot.fake
    noisy, calm = TgUser(fake, 801), TgUser(fake, 802)
    for n in range(8):
        assert await bot.post(noisy.text(f"hi {n}")) == 200
    notes = [m for m in fake.chat(801) if m.text.startswith(FLOOD_NOTE)]
    assert len(notes) == 1
    assert fake.chat(801)[-1] is notes[0]  # nothing after the note
    assert await bot.post(calm.start()) == 200
    assert "Tourdesk Travel" in fake.chat(802)[0].text
    # Button presses count too, and the spinner still stops.
    answered = len(fake.requests("answerCallbackQuery"))
    assert await bot.post(noisy.press("1|menu", fake.chat(801)[0])) == 200
    assert len(fake.requests("answerCallbackQuery")) == answered + 1
    assert fake.chat(801)[-1] is notes[0]


async def test_the_claim_books_flood_under_the_limiters_own_key(services: Services) -> None:
    """With Redis an update's claim books its sender under the flood limit in the same script:
    the limit holds, a twin of a claimed update books nothing, and the limiter itself sees the
    same count (either may book, e.g. a Viber event and a Telegram update of one process)."""
    if services.turns is None:
        pytest.skip("booked with the claim only where the claim is a Redis script")
    address = Address("telegram", "901")
    limit = Limit("flood:telegram:901", Rate(3, 3600))
    verdicts = []
    for n in range(4):
        assert await turn.claim(services, "telegram", f"u{n}", address, limit) == "new"
        verdicts.append(turn.flood_verdict(address))
        assert turn.flood_verdict(address) is None  # handed out once
        await turn.done(services, "telegram", f"u{n}")
    assert verdicts == [True, True, True, False]
    assert await turn.claim(services, "telegram", "u1", address, limit) == "done"
    assert not (await services.limiter.reserve([limit], max_wait=0)).granted

    other = Address("telegram", "902")
    other_limit = Limit("flood:telegram:902", Rate(3, 3600))
    for _ in range(3):  # booked by the limiter: the claim's script sees them
        assert (await services.limiter.reserve([other_limit], max_wait=0)).granted
    assert await turn.claim(services, "telegram", "v1", other, other_limit) == "new"
    assert turn.flood_verdict(other) is False
    await turn.done(services, "telegram", "v1")
    assert await turn.claim(services, "telegram", "v2", other, None) == "new"
    assert turn.flood_verdict(other) is None  # not asked: flood control asks the limiter
    await turn.forget(services, "telegram", "v2")


async def test_claims_in_one_pipeline_each_get_their_own_answer(services: Services) -> None:
    """Claims made together leave in one pipeline: each is its own script run (a twin of a
    claimed update is busy), and a script Redis does not know yet (restarted, flushed) is
    loaded and the claims it refused are run again, once."""
    from storage.turns import _BEGIN, RedisTurns

    if services.turns is None or services.redis is None:
        pytest.skip("a Redis pipeline only with Redis")
    turns = RedisTurns(services.redis)
    # the same script under a name (sha) this Redis has never seen
    turns._begin = services.redis.register_script(f"{_BEGIN}-- {uuid.uuid4().hex}\n")
    services.turns = turns
    users = [Address("telegram", str(n)) for n in range(950, 960)]
    claims = await asyncio.gather(
        *(turn_claim(services, f"p{n}", a) for n, a in enumerate(users)),
        turn_claim(services, "p0", users[0]),
    )
    assert sorted(claims) == ["busy"] + ["new"] * 10
    again = await asyncio.gather(*(turn_claim(services, f"p{n}", a) for n, a in enumerate(users)))
    assert again == ["busy"] * 10  # each claim ran once: the leases are held


async def turn_claim(services: Services, key: str, address: Address) -> str:
    limit = Limit(f"flood:telegram:{address.user_id}", Rate(3, 3600))
    return await turn.claim(services, "telegram", key, address, limit)
