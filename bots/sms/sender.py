"""Sends outbox rows as SMS through a gateway and says what the gateway's answer means.

One row is one request (a long text leaves as one concatenated SMS). Accepted: sent, with the
gateway's message id (statuses are asked for later). A duplicate answer to a retry: the first
request did leave, so it is sent. The account cannot send (balance, token, sender): the whole
channel waits without spending attempts. A number that cannot get SMS, or is in the gateway's
stop list, marks the account blocked (the delivery fallback takes over); the stop list also
withdraws the client's marketing consent.
"""

from __future__ import annotations

import logging

from bots.sms.gateway import SendAnswer, SmsGateway, Verdict
from bots.sms.parts import count_parts
from bots.sms.render import render_text
from core import optout
from core.contract import Address, ChannelName, Reply
from core.sending import Outcome, Scope, SendContext, SendResult
from core.services import Services
from storage.models import Client, MessengerAccount

log = logging.getLogger(__name__)


def _error(answer: SendAnswer, gateway: str) -> str:
    code = f" {answer.code}" if answer.code is not None else ""
    return f"{gateway}{code}: {answer.detail or answer.verdict.value}"[:500]


class SmsSender:
    def __init__(
        self,
        services: Services,
        name: ChannelName,
        gateway: SmsGateway,
        *,
        stop_hint: bool,
        hold_seconds: float = 60.0,
    ) -> None:
        self.services = services
        self._name = name
        self.gateway = gateway
        self.stop_hint = stop_hint  # incoming STOP is configured: mailings say how to opt out
        self.hold_seconds = hold_seconds  # the channel waits when the account cannot send

    @property
    def channel(self) -> ChannelName:
        return self._name

    async def send(self, address: Address, reply: Reply) -> SendResult:
        return await self._deliver(address, reply, kind="", account_id=None)

    async def send_parts(self, address: Address, reply: Reply, ctx: SendContext) -> SendResult:
        await ctx.before_part(ctx.start)  # one request: paced, and only while the claim is held
        return await self._deliver(address, reply, kind=ctx.kind, account_id=ctx.account_id)

    async def text_for(self, reply: Reply, *, kind: str, account_id: int | None) -> str:
        stop_line = None
        if self.stop_hint and kind.startswith("mailing"):
            locale = self.services.rules.agency.default_locale
            account = await MessengerAccount.get_or_none(id=account_id) if account_id else None
            client = await Client.get_or_none(id=account.client_id) if account else None
            stop_line = self.services.translator(client.locale if client else locale)(
                "sms-mailing-stop"
            )
        return render_text(reply, stop_line=stop_line)

    async def _deliver(
        self, address: Address, reply: Reply, *, kind: str, account_id: int | None
    ) -> SendResult:
        text = await self.text_for(reply, kind=kind, account_id=account_id)
        if not text:
            return SendResult(Outcome.FAILED, error="nothing to send by SMS")
        answer = await self.gateway.send(address.user_id, text)
        result = await self._result(answer, address)
        if result.outcome is Outcome.SENT:
            log.info(
                "sms sent gateway=%s id=%s parts=%s",
                self.gateway.name,
                answer.message_id,
                count_parts(text).count,
            )
        return result

    async def _result(self, answer: SendAnswer, address: Address) -> SendResult:
        name = self.gateway.name
        verdict = answer.verdict
        if verdict is Verdict.ACCEPTED:
            return SendResult(Outcome.SENT, message_id=answer.message_id, parts_sent=1)
        if verdict is Verdict.DUPLICATE:  # our earlier request did leave
            return SendResult(Outcome.SENT, parts_sent=1)
        if verdict is Verdict.HOLD:
            log.error("sms channel on hold: %s", _error(answer, name))
            return SendResult(
                Outcome.THROTTLED,
                retry_after=self.hold_seconds,
                error=_error(answer, name),
                scope=Scope.CHANNEL,
            )
        if verdict is Verdict.STOPPED:
            client = await optout.client_of(self._name, address.user_id)
            if client is not None:
                await optout.opt_out(self.services, client)
            return SendResult(Outcome.BLOCKED, error=_error(answer, name))
        if verdict is Verdict.BAD_NUMBER:
            return SendResult(Outcome.BLOCKED, error=_error(answer, name))
        if verdict is Verdict.REFUSED:
            return SendResult(Outcome.FAILED, error=_error(answer, name))
        return SendResult(Outcome.RETRY, retry_after=answer.retry_after, error=_error(answer, name))
