"""A phone that belongs to another client: the one-time code, asking the agency, going on as a
separate client. The rules live in :mod:`core.identity`; this is the conversation."""

from __future__ import annotations

from core import identity
from core.contract import AnyButton, Button, Incoming, Reply, column
from core.identity import CodeCheck
from core.payloads import Payload, encode
from handlers.after_phone import continue_after, welcome
from handlers.context import Context
from handlers.router import Router
from handlers.screens import consent_question, main_menu
from storage.models import ClaimStatus, PhoneClaim

router = Router("claims")

CODE_STATE = "identify.code"
ACTION = "idn"  # op ("new" | "staff" | "go"), claim id


def claim_buttons(
    ctx: Context, claim_id: int, *, resend: bool = True
) -> tuple[tuple[AnyButton, ...], ...]:
    buttons: list[AnyButton] = []
    if resend:
        buttons.append(Button(ctx.t("identity-code-resend"), encode(ACTION, "new", claim_id)))
    buttons.append(Button(ctx.t("identity-ask-staff"), encode(ACTION, "staff", claim_id)))
    buttons.append(Button(ctx.t("identity-go-on"), encode(ACTION, "go", claim_id)))
    return column(*buttons)


async def claim_started(ctx: Context, claim: PhoneClaim, after: str) -> list[Reply]:
    """The number is another client's: send a code to their other messengers when they have
    one, otherwise ask the agency; either way the person goes on as a separate client."""
    sent = await identity.send_code(ctx.services, claim)
    if sent.channels:
        ctx.state.goto(CODE_STATE, claim=claim.id, after=after)
        key = "identity-code-sent-sms" if sent.by_phone else "identity-code-sent"
        text = ctx.t(key, phone=claim.phone, channels=", ".join(sent.channels))
        return [Reply(text, claim_buttons(ctx, claim.id, resend=False))]
    asked = await identity.ask_staff(ctx.services, claim)
    key = "identity-staff-asked" if asked else "identity-staff-limit"
    note = ctx.t(key, phone=claim.phone)
    if sent.limited:
        note = ctx.t("identity-code-limit") + "\n" + note
    return await go_on(ctx, after, note)


async def go_on(ctx: Context, after: str, note: str) -> list[Reply]:
    """Continue as the separate client made for this account (consent asked once)."""
    ctx.state.reset()
    assert ctx.client is not None
    if ctx.client.marketing_consent is None:
        ctx.state.goto("identify.consent", after=after)
        return [Reply(note), consent_question(ctx)]
    return await continue_after(ctx, after, note=note)


@router.state(CODE_STATE)
async def code_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    claim_id = int(ctx.state.data.get("claim") or 0)
    after = str(ctx.state.data.get("after") or "")
    typed = "".join((incoming.text or "").split())
    if not (typed.isdigit() and len(typed) == identity.CODE_DIGITS):
        return [Reply(ctx.t("identity-code-format"), claim_buttons(ctx, claim_id))]
    result = await identity.check_code(ctx.services, claim_id, ctx.account, typed)
    if result.check is CodeCheck.OK:
        assert result.client is not None
        ctx.client = result.client
        ctx.relocalise(result.client.locale)
        ctx.state.reset()
        return await welcome(ctx, after, "identity-proven")
    if result.check is CodeCheck.WRONG:
        text = ctx.t("identity-code-wrong", left=result.attempts_left)
        return [Reply(text, claim_buttons(ctx, claim_id, resend=False))]
    if result.check is CodeCheck.EXPIRED:
        return [Reply(ctx.t("identity-code-expired"), claim_buttons(ctx, claim_id))]
    if result.check is CodeCheck.LOCKED:
        return [Reply(ctx.t("identity-code-locked"), claim_buttons(ctx, claim_id, resend=False))]
    ctx.state.reset()
    return [main_menu(ctx, note=ctx.t("identity-claim-closed"))]


@router.button(ACTION)
async def claim_action(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    op = payload.arg(0)
    claim_id = int(payload.arg(1)) if payload.arg(1).isdigit() else 0
    claim = await PhoneClaim.get_or_none(id=claim_id, account_id=ctx.account.id)
    after = str(ctx.state.data.get("after") or "") if ctx.state.name == CODE_STATE else ""
    if claim is None or claim.status is not ClaimStatus.PENDING or ctx.client is None:
        ctx.state.reset()
        return [main_menu(ctx, note=ctx.t("identity-claim-closed"))]
    if op == "new":
        sent = await identity.send_code(ctx.services, claim)
        if sent.channels:
            ctx.state.goto(CODE_STATE, claim=claim.id, after=after)
            key = "identity-code-resent-sms" if sent.by_phone else "identity-code-resent"
            text = ctx.t(key, channels=", ".join(sent.channels))
            return [Reply(text, claim_buttons(ctx, claim.id, resend=False))]
        return [Reply(ctx.t("identity-code-limit"), claim_buttons(ctx, claim.id, resend=False))]
    if op == "staff":
        asked = await identity.ask_staff(ctx.services, claim) or claim.staff_asked_at is not None
        key = "identity-staff-asked" if asked else "identity-staff-limit"
        return await go_on(ctx, after, ctx.t(key, phone=claim.phone))
    await identity.close_claim(claim)
    return await go_on(ctx, after, ctx.t("identity-going-on"))
