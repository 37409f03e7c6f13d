"""The console channel: the offline demo, and a way to replay a conversation from a script.

Buttons are shown numbered (the Rasa way of degrading buttons to text); typing the number
presses the button. Everything else typed is sent as text, ``/start`` and other commands
included. ``:user NAME`` switches to another console user (a second tourist, or a staff
member) so one terminal can play both sides. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Awaitable, Callable
from typing import IO

from aiohttp import web

from bots.channel import ChannelSpec
from core.channels import Capabilities
from core.contract import Address, Incoming, Kind, LinkButton, Reply
from core.sending import Outcome, SendResult

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]

NAME = "console"

# Built by ``tourdesk demo`` itself (it owns the terminal), never by the runtime; the operator's
# own terminal is trusted (no flood control).
CONSOLE = ChannelSpec(
    name=NAME,
    title="console",
    capabilities=Capabilities(max_text=100_000, buttons=False, link_buttons=False),
    trusted=True,
)


def render(reply: Reply, first_number: int = 1) -> str:
    lines = [reply.text]
    number = first_number
    for row in reply.buttons:
        for button in row:
            if isinstance(button, LinkButton):
                lines.append(f"  [{number}] {button.label} -> {button.url}")
            else:
                lines.append(f"  [{number}] {button.label}")
            number += 1
    if reply.request_phone:
        lines.append(f"  ({reply.phone_label or 'phone'}: type your number, e.g. +380671234567)")
    return "\n".join(lines)


class ConsoleSender:
    channel = NAME

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self._ids = itertools.count(1)

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self.out.write(f"\n[message for {address.user_id}]\n{render(reply)}\n")
        self.out.flush()
        return SendResult(Outcome.SENT, message_id=f"console-{next(self._ids)}")


class ConsoleChannel:
    name = NAME

    def __init__(
        self,
        dispatcher: Dispatch,
        *,
        user_id: str = "tourist",
        language: str | None = None,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.user_id = user_id
        self.language = language
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.sender = ConsoleSender(self.out)
        self.interactive = self.stdin.isatty()
        self._buttons: dict[str, list[tuple[str, str | None, str | None]]] = {}

    def setup_web(self, app: web.Application) -> None:
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def to_incoming(self, line: str) -> Incoming | None:
        text = line.strip()
        if not text or text.startswith("#"):
            return None
        buttons = self._buttons.get(self.user_id, [])
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            label, payload, url = buttons[int(text) - 1]
            if url is not None:
                self.out.write(f"(your browser opens {url})\n")
                return None
            return self._incoming(Kind.BUTTON, payload=payload, text=label)
        if text == "/start" or text.startswith("/start "):
            param = text[len("/start") :].strip() or None
            return self._incoming(Kind.START, text=text, start_param=param)
        return self._incoming(Kind.TEXT, text=text)

    def _incoming(self, kind: Kind, **values: str | None) -> Incoming:
        return Incoming(
            channel=NAME,
            user_id=self.user_id,
            kind=kind,
            language=self.language,
            user_name=self.user_id,
            **values,  # type: ignore[arg-type]
        )

    def show(self, replies: list[Reply]) -> None:
        number = 1
        buttons: list[tuple[str, str | None, str | None]] = []
        for reply in replies:
            self.out.write(render(reply, number) + "\n")
            for button in reply.all_buttons():
                if isinstance(button, LinkButton):
                    buttons.append((button.label, None, button.url))
                else:
                    buttons.append((button.label, button.payload, None))
                number += 1
        if buttons or not self._buttons.get(self.user_id):
            self._buttons[self.user_id] = buttons
        self.out.flush()

    async def handle_line(self, line: str) -> list[Reply]:
        text = line.strip()
        if text.startswith(":user "):
            self.user_id = text.split(maxsplit=1)[1]
            self.out.write(f"(you are now {self.user_id})\n")
            return []
        incoming = self.to_incoming(line)
        if incoming is None:
            return []
        replies = await self.dispatcher(incoming)
        self.show(replies)
        return replies

    async def run(self) -> None:
        """Read lines until end of input (Ctrl-D, or the end of a piped script)."""
        loop = asyncio.get_running_loop()
        while True:
            if self.interactive:
                self.out.write(f"{self.user_id}> ")
                self.out.flush()
            line = await loop.run_in_executor(None, self.stdin.readline)
            if not line:
                break
            if not self.interactive and line.strip():
                self.out.write(f"\n{self.user_id}> {line.strip()}\n")
            await self.handle_line(line)
