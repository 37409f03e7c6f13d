"""Sends outbox rows as e-mails over SMTP (aiosmtplib) and classifies what the server said.

A permanent refusal of the recipient (5xx to ``RCPT TO``) marks the account blocked; a
temporary one (4xx), a lost connection or a timeout is retried with the engine's backoff;
other permanent refusals (the message itself) fail the row.
"""

from __future__ import annotations

import logging
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr

import aiosmtplib

from bots.mail.render import is_mailing, render
from bots.mail.settings import SmtpTarget
from bots.mail.unsubscribe import unsubscribe_url
from core.contract import Address, ChannelName, Reply
from core.sending import Outcome, SendContext, SendResult
from core.services import Services
from storage.models import Client, MessengerAccount

log = logging.getLogger(__name__)

TIMEOUT = 30.0  # seconds for each SMTP step
# headers unfolded up to the RFC 5322 line limit: the standard library's folding of encoded
# words can drop the space between two words (a Cyrillic subject came out "провашу")
WIRE = policy.SMTP.clone(max_line_length=998)


def classify(code: int, message: str, *, recipient: bool) -> SendResult:
    """What an SMTP reply code means for the row."""
    error = f"SMTP {code}: {message}".strip()[:500]
    if 400 <= code < 500:
        return SendResult(Outcome.RETRY, error=error)
    if recipient and code >= 500:
        return SendResult(Outcome.BLOCKED, error=error)
    return SendResult(Outcome.FAILED, error=error)


class MailSender:
    def __init__(
        self, services: Services, name: ChannelName, target: SmtpTarget, sender: str
    ) -> None:
        self.services = services
        self._name = name
        self.target = target
        self.sender = sender

    @property
    def channel(self) -> ChannelName:
        return self._name

    async def send(self, address: Address, reply: Reply) -> SendResult:
        """Without the row's context (a generic subject, no unsubscribe link)."""
        return await self._deliver(address, reply, kind="", account_id=None)

    async def send_parts(self, address: Address, reply: Reply, ctx: SendContext) -> SendResult:
        await ctx.before_part(ctx.start)  # one part: paced, and only while the claim is held
        result = await self._deliver(address, reply, kind=ctx.kind, account_id=ctx.account_id)
        return result if result.outcome is not Outcome.SENT else _one_part(result)

    async def _deliver(
        self, address: Address, reply: Reply, *, kind: str, account_id: int | None
    ) -> SendResult:
        services = self.services
        locale = services.rules.agency.default_locale
        account = await MessengerAccount.get_or_none(id=account_id) if account_id else None
        if account is not None and account.client_id is not None:
            client = await Client.get_or_none(id=account.client_id)
            locale = client.locale if client is not None else (account.language or locale)
        unsubscribe = None
        public_url = services.settings.web.public_url
        if is_mailing(kind) and account is not None and public_url:
            unsubscribe = await unsubscribe_url(public_url, account.id)
        msg = render(
            reply,
            services.translator(locale),
            kind=kind,
            sender=self.sender,
            to=address.user_id,
            agency=services.rules.agency.name,
            unsubscribe=unsubscribe,
        )
        return await self.submit(msg, address.user_id)

    async def submit(self, msg: EmailMessage, to: str) -> SendResult:
        target = self.target
        try:
            errors, _ = await aiosmtplib.send(
                msg.as_bytes(policy=WIRE),
                sender=parseaddr(self.sender)[1],
                recipients=[to],
                hostname=target.hostname,
                port=target.port,
                username=target.username,
                password=target.password,
                use_tls=target.use_tls,
                start_tls=target.start_tls if target.start_tls else False,
                timeout=TIMEOUT,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            refused = exc.recipients[0]
            return classify(refused.code, refused.message, recipient=True)
        except aiosmtplib.SMTPRecipientRefused as exc:
            return classify(exc.code, exc.message, recipient=True)
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected) as exc:
            return SendResult(Outcome.RETRY, error=f"SMTP connection: {exc}"[:500])
        except aiosmtplib.SMTPTimeoutError as exc:
            return SendResult(Outcome.RETRY, error=f"SMTP timeout: {exc}"[:500])
        except aiosmtplib.SMTPResponseException as exc:
            return classify(exc.code, exc.message, recipient=False)
        except (aiosmtplib.SMTPException, OSError) as exc:
            return SendResult(Outcome.RETRY, error=f"SMTP: {type(exc).__name__}: {exc}"[:500])
        if errors:  # some recipients refused (we send to one, so it was ours)
            code, message = next(iter(errors.values()))
            return classify(code, message, recipient=True)
        return SendResult(Outcome.SENT)


def _one_part(result: SendResult) -> SendResult:
    return SendResult(Outcome.SENT, message_id=result.message_id, parts_sent=1)
