"""No endpoint answers 5xx to junk. A hypothesis-generated corpus — nested JSON hundreds of
levels deep, wrong types, huge numbers, lone surrogates, invalid UTF-8, huge bodies — is fed,
signed (right secret / signature) and unsigned, to every webhook and callback and to our
short link, with every channel and provider configured. Providers and platforms retry a 5xx
forever; junk must get a 4xx (or be handled), never a 5xx."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pydantic import SecretStr

from bots.app import Runtime
from bots.telegram.settings import telegram_settings
from bots.viber.settings import viber_settings
from core.payments.registry import payment_providers
from core.services import Services
from core.settings import Settings
from handlers.router import Router
from storage.models import ProviderEvent
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.viber_api import FakeViberApi
from tests.support.payments import LIQPAY_PRIVATE, WFP_MERCHANT, WFP_SECRET, configure

EXAMPLES = 60  # per strategy; several strategies, each sent signed and unsigned everywhere

# --- the corpus ----------------------------------------------------------------------------

surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1)
odd_text = st.one_of(
    st.text(max_size=40),
    surrogates,
    st.text(max_size=5).map(lambda t: t + "\x00"),
    st.text(min_size=200, max_size=400),
)
huge_numbers = st.one_of(
    st.sampled_from([1e300, -1e300, 1e308, 2**64, -(2**70), 10**40, 1.5, -1, 0]),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), huge_numbers, odd_text)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
anything = st.one_of(scalars, huge_numbers, json_values)


def dumps(value: Any) -> bytes:
    # ensure_ascii writes lone surrogates as \ud800 escapes: valid JSON text, junk content.
    return json.dumps(value).encode()


def deep(depth: int, kind: str) -> bytes:
    if kind == "list":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


deep_bodies = st.builds(deep, st.sampled_from([200, 1_000, 50_000]), st.sampled_from(["list", "d"]))
raw_bytes = st.one_of(st.binary(max_size=300), st.binary(max_size=50).map(lambda b: b"\xff" + b))
huge_bodies = st.sampled_from([70_000, 300_000, 1_100_000, 3_000_000]).map(
    lambda n: b'{"x":"' + b"a" * n + b'"}'
)


@st.composite
def telegram_updates(draw: st.DrawFn) -> bytes:
    message = {
        "message_id": draw(anything),
        "date": draw(huge_numbers),
        "chat": {"id": draw(huge_numbers), "type": draw(st.sampled_from(["private", 5]))},
        "from": {"id": draw(huge_numbers), "is_bot": False, "first_name": draw(odd_text)},
        "text": draw(odd_text),
    }
    return dumps({"update_id": draw(huge_numbers), "message": message})


@st.composite
def viber_events(draw: st.DrawFn) -> bytes:
    event = {
        "event": draw(st.sampled_from(["message", "delivered", "seen", "failed", "subscribed",
                                       "unsubscribed", "conversation_started", "webhook"])),
        "timestamp": draw(huge_numbers),
        "message_token": draw(huge_numbers),
        "user_id": draw(odd_text),
        "user": {"id": draw(odd_text), "name": draw(odd_text), "language": draw(odd_text)},
        "sender": {"id": draw(odd_text), "name": draw(odd_text)},
        "message": {"type": draw(st.sampled_from(["text", "contact", "location", "picture"])),
                    "text": draw(odd_text), "contact": {"phone_number": draw(odd_text)},
                    "location": {"lat": draw(anything), "lon": draw(anything)}},
        "desc": draw(odd_text),
    }  # fmt: skip
    return dumps(event)


@st.composite
def payment_fields(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "order_id": draw(odd_text),
        "reference": draw(odd_text),
        "payment_id": draw(st.one_of(odd_text, huge_numbers)),
        "status": draw(st.sampled_from(["success", "failure", "reversed", "sandbox"]) | odd_text),
        "amount": draw(st.one_of(huge_numbers, odd_text)),
        "currency": draw(st.sampled_from(["UAH", "USD"]) | odd_text),
    }


def collect(strategy: st.SearchStrategy[Any]) -> list[Any]:
    """Draw a corpus with hypothesis (deterministic: the same corpus every run)."""
    corpus: list[Any] = []

    @hsettings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(item: Any) -> None:
        corpus.append(item)

    draw()
    return corpus


# --- the app under attack ------------------------------------------------------------------


@dataclass
class Target:
    base: str
    telegram_secret: str
    viber_token: str
    sandbox_secret: bytes


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
async def target(services: Services, router: Router) -> AsyncIterator[Target]:
    telegram = await FakeTelegram().start()
    viber = FakeViberApi()
    await viber.start()
    settings = services.settings
    telegram_settings(settings).token = SecretStr(telegram.token)
    telegram_settings(settings).api_url = telegram.url
    telegram_settings(settings).mode = "webhook"
    viber_settings(settings).token = SecretStr(viber.token)
    viber_settings(settings).api_url = viber.api_url
    runtime = Runtime(services, router=router)
    await runtime.start_web("127.0.0.1", 0)
    settings.web.public_url = f"http://127.0.0.1:{runtime.bound_port}"
    await runtime.start_channels()
    channel: Any = next(c for c in runtime.channels if c.name == "telegram")
    await asyncio.wait_for(channel.ready.wait(), 10)
    sandbox = payment_providers(services).sandbox
    assert sandbox is not None
    await sandbox.ready()
    try:
        yield Target(settings.web.public_url, channel.secret, viber.token, sandbox.secret)
    finally:
        await runtime.stop()
        await telegram.close()
        await viber.close()


def liqpay_signed(data_json: bytes) -> bytes:
    data = base64.b64encode(data_json).decode()
    signature = base64.b64encode(
        hashlib.sha1((LIQPAY_PRIVATE + data + LIQPAY_PRIVATE).encode()).digest()
    ).decode()
    return urlencode({"data": data, "signature": signature}).encode()


def sandbox_signed(secret: bytes, data_json: bytes) -> bytes:
    data = base64.b64encode(data_json).decode()
    signature = hmac.new(secret, data.encode(), hashlib.sha256).hexdigest()
    return urlencode({"data": data, "signature": signature}).encode()


def wayforpay_signed(fields: dict[str, Any]) -> bytes:
    values = {
        "merchantAccount": WFP_MERCHANT,
        "orderReference": str(fields["order_id"]),
        "amount": str(fields["amount"]),
        "currency": str(fields["currency"]),
        "authCode": "1",
        "cardPan": "4****1",
        "transactionStatus": str(fields["status"]),
        "reasonCode": "1100",
    }
    text = ";".join(values.values()).encode("utf-8", "surrogatepass")
    values["merchantSignature"] = hmac.new(WFP_SECRET.encode(), text, hashlib.md5).hexdigest()
    return dumps(values)


def viber_signature(token: str, body: bytes) -> str:
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


async def attack(target: Target, bodies: list[bytes]) -> list[tuple[str, int, bytes]]:
    """Every body to every POST endpoint, signed and unsigned; the 5xx answers."""
    failures: list[tuple[str, int, bytes]] = []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as http:

        async def post(path: str, body: bytes, headers: dict[str, str]) -> None:
            async with http.post(target.base + path, data=body, headers=headers) as resp:
                await resp.read()
                if resp.status >= 500:
                    failures.append((path, resp.status, body[:200]))

        json_type = {"Content-Type": "application/json"}
        form_type = {"Content-Type": "application/x-www-form-urlencoded"}
        secret = {"X-Telegram-Bot-Api-Secret-Token": target.telegram_secret}
        for body in bodies:
            await post("/webhooks/telegram", body, {**json_type, **secret})
            await post("/webhooks/telegram", body, json_type)
            signature = viber_signature(target.viber_token, body)
            await post(
                "/webhooks/viber", body, {**json_type, "X-Viber-Content-Signature": signature}
            )
            await post("/webhooks/viber", body, json_type)
            for provider in ("liqpay", "wayforpay", "sandbox"):
                await post(f"/payments/{provider}/callback", body, json_type)
            if len(body) < 100_000:
                await post("/payments/liqpay/callback", liqpay_signed(body), form_type)
                signed = sandbox_signed(target.sandbox_secret, body)
                await post("/payments/sandbox/callback", signed, form_type)
    return failures


async def test_junk_to_every_endpoint_never_gets_a_5xx(target: Target) -> None:
    bodies: list[bytes] = []
    bodies += collect(telegram_updates())
    bodies += collect(viber_events())
    bodies += collect(deep_bodies)
    bodies += collect(raw_bytes)
    bodies += collect(huge_bodies)
    bodies += [dumps(v) for v in collect(json_values)]
    fields = collect(payment_fields())
    bodies += [dumps(f) for f in fields]
    failures = await attack(target, bodies)
    async with aiohttp.ClientSession() as http:
        for f in fields:  # signed by the provider's own rules, junk inside
            sandbox = sandbox_signed(target.sandbox_secret, dumps(f))
            for path, body, kind in (
                ("/payments/liqpay/callback", liqpay_signed(dumps(f)), "form"),
                ("/payments/sandbox/callback", sandbox, "form"),
                ("/payments/wayforpay/callback", wayforpay_signed(f), "json"),
            ):
                ctype = (
                    "application/json" if kind == "json" else "application/x-www-form-urlencoded"
                )
                async with http.post(
                    target.base + path, data=body, headers={"Content-Type": ctype}
                ) as resp:
                    if resp.status >= 500:
                        failures.append((path, resp.status, body[:200]))
        for token in collect(odd_text):
            quoted = quote(token.encode("utf-8", "surrogatepass"), safe="")
            async with http.get(f"{target.base}/pay/{quoted}", allow_redirects=False) as resp:
                if resp.status >= 500:
                    failures.append(("/pay", resp.status, quoted.encode()[:200]))
    assert failures == []
    # Nothing unverified was kept whole.
    for event in await ProviderEvent.filter(signature_valid=False):
        assert len(event.body) <= 2048 * 4  # a 2 KB prefix (escapes may lengthen the text)


async def test_the_reported_cases_get_a_4xx_with_a_reason(target: Target) -> None:
    nested = deep(5_000, "d")  # 25 KB: under every limit, far too deep
    surrogate = b'{"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"id": 7, '
    surrogate += b'"type": "private"}, "text": "\\ud800"}}'
    receipt = dumps({"event": "delivered", "timestamp": 1e300, "message_token": 1, "user_id": "u"})
    secret = {"X-Telegram-Bot-Api-Secret-Token": target.telegram_secret}
    cases = [
        ("/payments/wayforpay/callback", nested, {}, 400, "malformed"),
        ("/webhooks/telegram", nested, secret, 400, "nested too deeply"),
        ("/webhooks/telegram", surrogate, secret, 400, "invalid text"),
        ("/webhooks/viber", nested, {}, 400, "nested too deeply"),
        ("/webhooks/viber", receipt, {}, 400, "out of range"),
        ("/webhooks/viber", b"{" + b" " * 70_000 + b"}", {}, 413, "too large"),
        ("/payments/liqpay/callback", b"data=" + b"A" * 70_000, {}, 413, "too large"),
    ]
    async with aiohttp.ClientSession() as http:
        for path, body, headers, status, reason in cases:
            if path == "/webhooks/viber" and status != 413:
                headers = {"X-Viber-Content-Signature": viber_signature(target.viber_token, body)}
            async with http.post(target.base + path, data=body, headers=headers) as resp:
                assert (path, resp.status) == (path, status)
                assert reason in await resp.text()
