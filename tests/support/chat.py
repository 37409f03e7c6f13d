"""A recording adapter: drive the real dispatcher with Incoming events, keep the Replies.

Flow tests talk to the bot like a user would (type, press a button by its label, share a phone)
without any messenger in between.
"""

from __future__ import annotations

from core.contract import Button, Incoming, Kind, LinkButton, Reply
from core.services import Services
from handlers.dispatcher import dispatch
from handlers.router import Router
from tests.support.channels import Channel


class RecordingChat:
    def __init__(
        self,
        services: Services,
        router: Router,
        *,
        user_id: str = "u1",
        channel: Channel = Channel.CONSOLE,
        language: str | None = "en",
        name: str = "Olena",
    ) -> None:
        self.services = services
        self.router = router
        self.user_id = user_id
        self.channel = channel
        self.language = language
        self.name = name
        self.history: list[list[Reply]] = []

    @property
    def last(self) -> list[Reply]:
        return self.history[-1] if self.history else []

    @property
    def text(self) -> str:
        """All texts of the last answer, joined."""
        return "\n".join(r.text for r in self.last)

    def buttons(self) -> list[Button | LinkButton]:
        return [b for r in self.last for b in r.all_buttons()]

    def labels(self) -> list[str]:
        return [b.label for b in self.buttons()]

    async def send(self, incoming: Incoming) -> list[Reply]:
        replies = await dispatch(self.services, self.router, incoming)
        self.history.append(replies)
        return replies

    def _incoming(self, kind: Kind, **values: object) -> Incoming:
        return Incoming(
            channel=self.channel,
            user_id=self.user_id,
            kind=kind,
            language=self.language,
            user_name=self.name,
            **values,  # type: ignore[arg-type]
        )

    async def start(self, param: str | None = None) -> list[Reply]:
        text = "/start" + (f" {param}" if param else "")
        return await self.send(self._incoming(Kind.START, text=text, start_param=param))

    async def say(self, text: str) -> list[Reply]:
        return await self.send(self._incoming(Kind.TEXT, text=text))

    async def share_phone(self, phone: str, *, own: bool = False) -> list[Reply]:
        """A contact message; ``own`` when the messenger vouches it is the sender's number."""
        return await self.send(self._incoming(Kind.CONTACT, phone=phone, phone_verified=own))

    async def press_payload(self, payload: str) -> list[Reply]:
        return await self.send(self._incoming(Kind.BUTTON, payload=payload))

    async def press(self, label_part: str) -> list[Reply]:
        """Press the button of the last answer whose label contains ``label_part``."""
        matches = [b for b in self.buttons() if isinstance(b, Button) and label_part in b.label]
        if len(matches) != 1:
            raise AssertionError(f"expected one button with {label_part!r}, have {self.labels()!r}")
        return await self.press_payload(matches[0].payload)


def chat_for(
    services: Services,
    router: Router,
    user_id: str,
    *,
    channel: Channel = Channel.CONSOLE,
    language: str = "en",
) -> RecordingChat:
    """A chat talking as ``user_id`` (a staff member or client the test created)."""
    return RecordingChat(services, router, user_id=user_id, channel=channel, language=language)
