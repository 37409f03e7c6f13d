"""The console channel: the offline demo, and a way to replay a conversation from a script.

Buttons are shown numbered with a slash, ``[/1] English`` (the Rasa way of degrading buttons to
text); typing ``/1`` presses the button. A slash and a number is never an answer, so typed
numbers ("5" nights, "2" children) always reach the bot as text; a ``/N`` with no such button
on screen is answered by the console itself and never reaches the bot. Buttons of messages
pushed to a console user (a notification for the manager, a receipt) are numbered on after the
ones already on that user's screen and can be pressed the same way. Everything else typed is
sent as text, ``/start`` and other commands included. ``:user NAME`` switches to another
console user (a second tourist, or a staff member) so one terminal can play both sides. Lines
starting with ``#`` are comments. A piped script (stdin not a terminal) is read a line at a
time, each once what the line before caused has been delivered (:meth:`ConsoleChannel.settled`),
as a person typing would see it. The console's own words (who is typing, a button that is not
there, whom a pushed message is for) come from the catalogues (``console-*``), in the demo's
language.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
from collections.abc import Awaitable, Callable
from typing import IO

from aiohttp import web

from bots.channel import ChannelSpec
from core.channels import Capabilities
from core.contract import Address, Incoming, Kind, LinkButton, Reply
from core.i18n import T
from core.sending import Outcome, SendContext, SendResult

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]
Settle = Callable[[], Awaitable[None]]

NAME = "console"
# a piped script waits at most this long, per line, for the work the line caused
SETTLE_SECONDS = 15.0

# Built by ``tourdesk demo`` itself (it owns the terminal), never by the runtime; the operator's
# own terminal is trusted (no flood control).
CONSOLE = ChannelSpec(
    name=NAME,
    title="console",
    capabilities=Capabilities(
        max_text=100_000,
        buttons=False,
        link_buttons=False,
        edit_in_place=True,
        buttons_stay=True,
    ),
    trusted=True,
    explain=lambda settings: {"reason": "the console is the terminal of `tourdesk demo` only"},
)


BUTTON_PREFIX = "/"  # a button is pressed by typing "/" and its number


def render(reply: Reply, first_number: int = 1) -> str:
    lines = [reply.text]
    if reply.media is not None:  # a terminal shows no picture: where it is, and its kind
        lines.insert(0, f"  🖼 [{reply.media.kind}] {reply.media.file_ref or ''}".rstrip())
    number = first_number
    for row in reply.buttons:
        for button in row:
            tag = f"[{BUTTON_PREFIX}{number}]"
            if isinstance(button, LinkButton):
                lines.append(f"  {tag} {button.label} -> {button.url}")
            else:
                lines.append(f"  {tag} {button.label}")
            number += 1
    if reply.request_phone and reply.phone_label:
        # The console has no "share my phone" control: the number is typed (the message says
        # so, in the user's language); the button's own label shows where it would be.
        lines.append(f"  ⌨ {reply.phone_label}")
    return "\n".join(lines)


Pressable = tuple[str, str | None, str | None]  # label, payload, url


def pressable(reply: Reply) -> list[Pressable]:
    return [
        (b.label, None, b.url) if isinstance(b, LinkButton) else (b.label, b.payload, None)
        for b in reply.all_buttons()
    ]


class ConsoleButtons:
    """What each console user can press: their last screen's buttons, then pushed messages'."""

    def __init__(self) -> None:
        self._by_user: dict[str, list[Pressable]] = {}

    def of(self, user_id: str) -> list[Pressable]:
        return self._by_user.get(user_id, [])

    def replace(self, user_id: str, buttons: list[Pressable]) -> None:
        if buttons or not self._by_user.get(user_id):  # a reply without buttons keeps them
            self._by_user[user_id] = buttons

    def add(self, user_id: str, buttons: list[Pressable]) -> int:
        """Append a pushed message's buttons; returns the number of its first one."""
        current = self._by_user.setdefault(user_id, [])
        first = len(current) + 1
        current.extend(buttons)
        return first

    @staticmethod
    def names_a_button(text: str) -> bool:
        """``/N``: the button notation, never an answer or a command."""
        return text.startswith(BUTTON_PREFIX) and text[len(BUTTON_PREFIX) :].isdigit()

    def pressed(self, user_id: str, text: str) -> Pressable | None:
        """The button ``/N`` names on this user's screen, if any."""
        if not self.names_a_button(text):
            return None
        number = int(text[len(BUTTON_PREFIX) :])
        buttons = self.of(user_id)
        return buttons[number - 1] if 1 <= number <= len(buttons) else None


class ConsoleSender:
    channel = NAME

    def __init__(self, out: IO[str], texts: T, buttons: ConsoleButtons | None = None) -> None:
        self.out = out
        self.t = texts
        self.buttons = buttons or ConsoleButtons()
        self._ids = itertools.count(1)

    async def send(self, address: Address, reply: Reply) -> SendResult:
        first = self.buttons.add(address.user_id, pressable(reply))
        head = self.t("console-message-for", user=address.user_id)
        self.out.write(f"\n{head}\n{render(reply, first)}\n")
        self.out.flush()
        return SendResult(Outcome.SENT, message_id=f"console-{next(self._ids)}")

    async def edit(
        self, address: Address, message_id: str, reply: Reply, ctx: SendContext
    ) -> SendResult:
        """A terminal cannot change what it printed: the update is printed, marked as one."""
        await ctx.before_part(ctx.start)
        first = self.buttons.add(address.user_id, pressable(reply))
        head = self.t("console-update-for", message=message_id, user=address.user_id)
        self.out.write(f"\n{head}\n{render(reply, first)}\n")
        self.out.flush()
        return SendResult(Outcome.SENT, message_id=message_id, parts_sent=1)


class ConsoleChannel:
    name = NAME

    def __init__(
        self,
        dispatcher: Dispatch,
        *,
        texts: T,
        user_id: str = "tourist",
        language: str | None = None,
        stdin: IO[str] | None = None,
        stdout: IO[str] | None = None,
        settle: Settle | None = None,
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        self.dispatcher = dispatcher
        self.user_id = user_id
        self.language = language
        self.stdin = stdin or sys.stdin
        self.out = stdout or sys.stdout
        self.t = texts  # the demo's language: its own words, never the bot's
        self.buttons = ConsoleButtons()
        self.sender = ConsoleSender(self.out, texts, self.buttons)
        self.interactive = self.stdin.isatty()
        # waits until the work due now (pushed messages, jobs) is done: see :meth:`run`
        self.settle = settle
        self.settle_seconds = settle_seconds

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
        button = self.buttons.pressed(self.user_id, text)
        if button is None and self.buttons.names_a_button(text):
            # "/N" is reserved for buttons: one that is not (or not yet) on screen is said
            # here, never sent to the bot as a text answer
            self.out.write(self.t("console-no-button", button=text, user=self.user_id) + "\n")
            return None
        if button is not None:
            label, payload, url = button
            if url is not None:
                self.out.write(self.t("console-browser", url=url) + "\n")
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
        buttons: list[Pressable] = []
        for reply in replies:
            self.out.write(render(reply, len(buttons) + 1) + "\n")
            buttons.extend(pressable(reply))
        self.buttons.replace(self.user_id, buttons)
        self.out.flush()

    async def handle_line(self, line: str) -> list[Reply]:
        text = line.strip()
        if text.startswith(":user "):
            self.user_id = text.split(maxsplit=1)[1]
            self.out.write(self.t("console-now-user", user=self.user_id) + "\n")
            return []
        incoming = self.to_incoming(line)
        if incoming is None:
            return []
        replies = await self.dispatcher(incoming)
        self.show(replies)
        return replies

    async def settled(self) -> None:
        """A script is read at once: before its next line, what the last one caused (a held
        message handed to the manager who just joined, a receipt, a job due now) is delivered,
        so that line can press the pushed buttons. Bounded: work still due after
        ``settle_seconds`` (a send retried later, a slow job) shows when it is done."""
        if self.settle is None:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self.settle_seconds):
                await self.settle()

    async def run(self) -> None:
        """Read lines until end of input (Ctrl-D, or the end of a piped script)."""
        loop = asyncio.get_running_loop()
        while True:
            if not self.interactive:  # a person typing is slower than any delivery
                await self.settled()
            if self.interactive:
                self.out.write(f"{self.user_id}> ")
                self.out.flush()
            line = await loop.run_in_executor(None, self.stdin.readline)
            if not line:
                break
            if not self.interactive and line.strip():
                self.out.write(f"\n{self.user_id}> {line.strip()}\n")
            await self.handle_line(line)
