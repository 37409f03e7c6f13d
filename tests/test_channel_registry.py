"""A messenger is one spec: a channel defined only in this module (its settings section, web
route, renderer, sender, deep link and pace) joins the composition root's list and carries a
whole journey, with nothing else in the code base knowing its name.

"Pigeon" is an SMS-like channel: no native buttons (the renderer numbers them, a typed number
presses one), messages come in over an HTTP webhook and replies go back in its response, and
later messages (notifications) leave through the outbox and the pigeon sender.
"""

from __future__ import annotations

import ast
import itertools
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bots.app import CHANNELS, Runtime, build_services, channel_directory
from bots.channel import ChannelAdapter, ChannelSpec, Dispatch, table_of
from bots.telegram.spec import TelegramTable
from bots.viber.spec import ViberTable
from core.channels import Capabilities
from core.clock import ManualClock
from core.contract import Address, Incoming, Kind, LinkButton, Reply
from core.errors import ConfigError
from core.pacing import ChannelPace, steady
from core.rules import Rules, load_rules
from core.sending import Outcome, SendResult
from core.services import Services
from core.settings import Settings
from core.staff import invites
from storage.models import MessengerAccount, OutboxMessage, Role, Staff, TourRequest

NAME = "pigeon"


class PigeonSettings(BaseSettings):
    """This channel's own environment section (``PIGEON_*``)."""

    model_config = SettingsConfigDict(extra="ignore", env_ignore_empty=True)
    token: str | None = Field(None, alias="PIGEON_TOKEN")
    loft: str = Field("tourdesk", alias="PIGEON_LOFT")


@dataclass
class Screen:
    """What a pigeon user last saw: its text and the payloads behind the numbers."""

    text: str
    payloads: list[str | None] = field(default_factory=list)


def render(reply: Reply) -> Screen:
    """Buttons become numbered lines (the channel has none of its own)."""
    lines = [reply.text]
    payloads: list[str | None] = []
    for number, button in enumerate(reply.all_buttons(), start=1):
        if isinstance(button, LinkButton):
            lines.append(f"{number}) {button.label}: {button.url}")
            payloads.append(None)
        else:
            lines.append(f"{number}) {button.label}")
            payloads.append(button.payload)
    if reply.request_phone:
        lines.append("(type your phone number)")
    return Screen("\n".join(lines), payloads)


class PigeonSender:
    channel = NAME

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []  # (user id, text) in the order they left
        self._ids = itertools.count(1)

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self.sent.append((address.user_id, render(reply).text))
        return SendResult(Outcome.SENT, message_id=f"pigeon-{next(self._ids)}")


class PigeonChannel:
    """Webhook ``POST /pigeon/{loft}``: ``{"from": id, "text": ...}`` -> ``{"messages": [...]}``."""

    name = NAME

    def __init__(self, services: Services, dispatcher: Dispatch) -> None:
        self.section = services.settings.section(PigeonSettings)
        self.dispatcher = dispatcher
        self.sender = PigeonSender()
        self.screens: dict[str, list[str | None]] = {}
        self.started = False

    def setup_web(self, app: web.Application) -> None:
        app.router.add_post(f"/pigeon/{self.section.loft}", self.handle)

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.started = False

    def to_incoming(self, user: str, text: str) -> Incoming:
        common = {"channel": NAME, "user_id": user, "language": None, "user_name": user}
        if text == "/start" or text.startswith("/start "):
            param = text[len("/start") :].strip() or None
            return Incoming(kind=Kind.START, text=text, start_param=param, **common)  # type: ignore[arg-type]
        shown = self.screens.get(user, [])
        if text.isdigit() and 1 <= int(text) <= len(shown) and shown[int(text) - 1]:
            return Incoming(kind=Kind.BUTTON, payload=shown[int(text) - 1], **common)  # type: ignore[arg-type]
        return Incoming(kind=Kind.TEXT, text=text, **common)  # type: ignore[arg-type]

    async def handle(self, request: web.Request) -> web.Response:
        if request.headers.get("X-Pigeon-Token") != self.section.token:
            return web.Response(status=403, text="forbidden")
        body = await request.json()
        user, text = str(body["from"]), str(body["text"])
        replies = await self.dispatcher(self.to_incoming(user, text))
        screens = [render(r) for r in replies]
        payloads = [p for s in screens for p in s.payloads]
        if payloads:
            self.screens[user] = payloads
        return web.json_response({"messages": [s.text for s in screens]})


def build_pigeon(services: Services, dispatcher: Dispatch) -> ChannelAdapter:
    return PigeonChannel(services, dispatcher)


def pigeon_link(settings: Settings, rules: Rules, code: str) -> str | None:
    return f"pigeon://{settings.section(PigeonSettings).loft}?start={code}"


def pigeon_pace(settings: Settings, rules: Rules) -> ChannelPace:
    return ChannelPace(NAME, per_chat=steady(50.0), global_rate=steady(500.0))


PIGEON = ChannelSpec(
    name=NAME,
    title="Pigeon post",
    build=build_pigeon,
    enabled=lambda settings: settings.section(PigeonSettings).token is not None,
    capabilities=Capabilities(max_text=160, buttons=False, link_buttons=False),
    deep_link=pigeon_link,
    pace=pigeon_pace,
)
SPECS = (*CHANNELS, PIGEON)


class Phone:
    """A pigeon user at the other end of the webhook."""

    def __init__(self, http: aiohttp.ClientSession, url: str, user: str) -> None:
        self.http, self.url, self.user = http, url, user
        self.messages: list[str] = []

    @property
    def text(self) -> str:
        return "\n".join(self.messages)

    async def send(self, text: str) -> str:
        body = {"from": self.user, "text": text}
        async with self.http.post(self.url, json=body, headers={"X-Pigeon-Token": "t0k"}) as r:
            assert r.status == 200, await r.text()
            self.messages = (await r.json())["messages"]
        return self.text

    async def press(self, label_part: str, *, exact: bool = False) -> str:
        """Type the number shown in front of the button line containing ``label_part``."""
        numbered = [line for m in self.messages for line in m.splitlines() if ") " in line]
        found = [
            number
            for number, _, label in (line.partition(") ") for line in numbered)
            if number.isdigit() and (label == label_part if exact else label_part in label)
        ]
        assert len(found) == 1, f"{label_part!r} not exactly once in {numbered!r}"
        return await self.send(found[0])


@pytest.fixture
async def pigeon_runtime(
    settings: Settings, rules: Rules, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Runtime]:
    monkeypatch.setenv("PIGEON_TOKEN", "t0k")
    monkeypatch.setenv("PIGEON_LOFT", "loft7")
    services = await build_services(settings, rules, clock=clock, channels=SPECS)
    runtime = Runtime(services, channels=SPECS)
    await runtime.start_web("127.0.0.1", 0)
    await runtime.start_channels()
    yield runtime
    await runtime.stop()


async def test_a_channel_defined_in_a_test_carries_a_whole_journey(
    pigeon_runtime: Runtime,
) -> None:
    runtime = pigeon_runtime
    services = runtime.services
    pigeon = next(c for c in runtime.channels if c.name == NAME)
    assert isinstance(pigeon, PigeonChannel) and pigeon.started
    manager = await Staff.create(name="Ivan", role=Role.MANAGER, locale="en")
    await MessengerAccount.create(channel=NAME, external_id="ivan", name="Ivan", staff=manager)

    url = f"http://127.0.0.1:{runtime.bound_port}/pigeon/loft7"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, json={"from": "x", "text": "/start"}) as refused:
            assert refused.status == 403  # the channel's own check, from its own settings
        olena = Phone(http, url, "olena")
        assert "English" in await olena.send("/start")
        await olena.press("English")
        await olena.press("Share my phone")
        assert "(type your phone number)" not in await olena.send("+380 67 123 45 67")
        await olena.press("Yes")
        assert "My trips" in olena.text  # the menu, buttons as numbered lines
        assert "no trips with us yet" in await olena.press("My trips")
        assert "Step 1 of 6" in await olena.press("Find a tour")
        await olena.send("Crete")
        await olena.send("12.03-20.03")
        await olena.send("7-10")
        await olena.press("2", exact=True)  # adults
        await olena.press("1", exact=True)  # children
        await olena.press("6", exact=True)  # the child's age
        assert "Type the amount in UAH" in olena.text
        await olena.send("55 000")
        await olena.press("Skip")
        assert "Please check your request" in olena.text
        assert "Your request R-0001 is received" in await olena.press("Send the request")

    request = await TourRequest.get(number="R-0001")
    assert request.destination == "Crete" and request.children_ages == [6]
    account = await MessengerAccount.get(channel=NAME, external_id="olena")
    assert account.client_id is not None

    # the manager's notice leaves through the outbox, paced by the spec, via the pigeon sender
    assert services.channels.pacing()[NAME].per_chat is not None
    assert await runtime.delivery.drain() >= 1
    to_ivan = [text for user, text in pigeon.sender.sent if user == "ivan"]
    assert any("New tour request R-0001 from" in text for text in to_ivan), pigeon.sender.sent
    notice = await OutboxMessage.filter(channel=NAME, external_id="ivan").first()
    assert notice is not None and str(notice.platform_message_id).startswith("pigeon-")

    # its deep-link format and title reach core/ through the directory, by name only
    invite = await invites.create_invite(
        services.rules, services.clock.now(), Role.MANAGER, "Taras", links=services.channels
    )
    assert invite.link == f"pigeon://loft7?start={invite.code}"
    assert services.channels.title(NAME) == "Pigeon post"


async def test_an_unconfigured_channel_is_not_started(
    settings: Settings, rules: Rules, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIGEON_TOKEN", raising=False)
    services = await build_services(settings, rules, clock=clock, channels=SPECS)
    runtime = Runtime(services, channels=SPECS)
    try:
        assert NAME not in {c.name for c in runtime.channels}
        assert NAME not in runtime.senders
        assert NAME in services.channels  # known by name (titles, stored rows), just not running
    finally:
        await runtime.stop()


ROOT = Path(__file__).resolve().parent.parent


def test_each_channel_reads_its_own_table(settings: Settings, tmp_path: Path) -> None:
    example = load_rules(ROOT / "tourdesk.example.toml")
    assert table_of(example, "telegram", TelegramTable) == TelegramTable()
    assert table_of(example, "viber", ViberTable) == ViberTable()
    config = tmp_path / "tourdesk.toml"
    config.write_text(
        '[channels.telegram]\nbot = "@desk_bot"\nrate = 5\n[channels.viber]\nchat_rate = 0\n',
        encoding="utf-8",
    )
    directory = channel_directory(settings, load_rules(config))
    telegram = directory.pacing()["telegram"]
    assert telegram.global_rate == steady(5.0) and telegram.per_chat == steady(1.0)
    assert directory.pacing()["viber"].per_chat is None  # 0 turns per-chat pacing off
    assert directory.deep_link(load_rules(config), "TD1") == "https://t.me/desk_bot?start=TD1"


def test_older_configs_keep_their_channel_keys(settings: Settings, tmp_path: Path) -> None:
    config = tmp_path / "tourdesk.toml"
    config.write_text(
        '[agency]\ntelegram_bot = "old_bot"\n[delivery]\ntelegram_rate = 7\nviber_rate = 9\n',
        encoding="utf-8",
    )
    rules = load_rules(config)
    directory = channel_directory(settings, rules)
    assert directory.pacing()["telegram"].global_rate == steady(7.0)
    assert directory.pacing()["viber"].global_rate == steady(9.0)
    assert directory.deep_link(rules, "TD2") == "https://t.me/old_bot?start=TD2"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[channels.telegram]\nrate = 0\n", "[channels.telegram] rate:"),
        ('[channels.telegram]\nbot = "no spaces"\n', "Telegram bot username"),
        ("[channels.viber]\nspeed = 3\n", "[channels.viber] speed:"),
        ("[channels.telgram]\nrate = 3\n", "[channels.telgram]: no such channel"),
    ],
)
def test_a_bad_channel_table_stops_start_up(
    settings: Settings, tmp_path: Path, toml: str, message: str
) -> None:
    config = tmp_path / "tourdesk.toml"
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        channel_directory(settings, load_rules(config))
    assert message in str(caught.value)


# Nothing in core/ or handlers/ spells a messenger (the segment syntax takes the channel names
# from the registry too).
SPELLS_MESSENGERS: set[str] = set()
DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def test_core_and_handlers_never_spell_a_messenger_name() -> None:
    found = set()
    for folder in ("core", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, DOCUMENTED)
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and any(m in node.value.lower() for m in ("telegram", "viber", "console"))
                ):
                    found.add(path.relative_to(ROOT).as_posix())
    assert found == SPELLS_MESSENGERS


def test_a_bad_channel_setting_stops_the_cli_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "VIBER_"))}
    env.update(TELEGRAM_MODE="carrier-pigeon", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "bots.cli", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "environment variable TELEGRAM_MODE" in lines[0], lines


async def test_a_segment_names_the_channels_of_the_registry(
    settings: Settings, rules: Rules, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``channel=`` takes the names of the channels the deployment's specs declare AND its
    settings configure, and a refusal lists them."""
    from core.errors import InvalidInput
    from core.mailings import service

    # (a declared channel without its settings is refused: tests/test_mailings_audience.py)
    monkeypatch.setenv("PIGEON_TOKEN", "t0k")
    with_pigeons = await build_services(settings, rules, clock=clock, channels=SPECS)
    mailing = await service.create_mailing(
        with_pigeons, {"default": "Hi"}, segment="channel=pigeon"
    )
    assert mailing.segment == "channel=pigeon"
    without = await build_services(settings, rules, clock=clock)
    with pytest.raises(InvalidInput) as caught:
        await service.create_mailing(without, {"default": "Hi"}, segment="channel=pigeon")
    assert caught.value.key == "seg-bad-value"
    assert caught.value.args_["format"] == "|".join(without.channels.enabled_names())
    assert "console" in without.channels.enabled_names()
