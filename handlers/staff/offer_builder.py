"""The offer builder's draft and screen: the options a manager has collected for one request
(kept in the conversation state under ``_ofb`` until Send), shared by the paste route
(:mod:`handlers.staff.offers`) and the step-by-step wizard (:mod:`handlers.staff.offer_wizard`)."""

from __future__ import annotations

from dataclasses import dataclass

from core.contract import AnyButton, Button, Reply, rows
from core.errors import NotFound
from core.offers import cards
from core.offers import service as offers
from core.offers.option import MAX_OPTIONS, Option
from core.payloads import encode
from core.staff import routes
from handlers.context import Context
from handlers.staff.common import join, menu_button
from storage.models import TourRequest

STATE = "staff.offers"
DRAFT = "_ofb"  # {"request": id, "options": [Option dicts]}


# ---- the builder's draft ----------------------------------------------------------------------


@dataclass
class Builder:
    request_id: int
    options: list[Option]

    @classmethod
    def load(cls, ctx: Context) -> Builder | None:
        raw = ctx.state.data.get(DRAFT)
        if not isinstance(raw, dict) or not isinstance(raw.get("request"), int):
            return None
        return cls(raw["request"], [Option.from_dict(o) for o in raw.get("options") or []])

    def save(self, ctx: Context) -> None:
        ctx.state.data[DRAFT] = {
            "request": self.request_id,
            "options": [o.to_dict() for o in self.options],
        }


def forget(ctx: Context) -> None:
    ctx.state.data.pop(DRAFT, None)
    ctx.state.reset()


async def builder_screen(ctx: Context, draft: Builder, note: str | None = None) -> list[Reply]:
    """The builder: the options so far, the paste format, and what can be done next."""
    t = ctx.t
    request = await TourRequest.get_or_none(id=draft.request_id)
    if request is None:
        forget(ctx)
        raise NotFound("offer-request-not-found")
    draft.save(ctx)
    ctx.state.goto(STATE)
    lines = [cards.line(t, o, n) for n, o in enumerate(draft.options, start=1)]
    body = "\n".join(lines) if lines else t("offer-build-empty")
    count = len(draft.options)
    grid: list[list[AnyButton]] = []
    if count < MAX_OPTIONS:
        grid.append(
            [Button(t("offer-build-wizard"), encode(routes.OFFERS, draft.request_id, "wiz"))]
        )
    if count:
        grid.append(
            [
                Button(
                    t("offer-build-send", count=count),
                    encode(routes.OFFERS, draft.request_id, "send"),
                )
            ]
        )
        grid.append(
            [Button(t("offer-build-drop"), encode(routes.OFFERS, draft.request_id, "drop"))]
        )
    grid.append([Button(t("offer-build-quit"), encode(routes.OFFERS, draft.request_id, "quit"))])
    title = t("offer-build-title", number=request.number, count=count, max=MAX_OPTIONS)
    hint = t("offer-build-hint") if count < MAX_OPTIONS else t("offer-build-full", max=MAX_OPTIONS)
    return [Reply(join(note, title, "", body, "", hint), rows(*grid))]


async def start_builder(ctx: Context, request_id: int) -> list[Reply]:
    request = await offers.open_request(request_id)
    current = Builder.load(ctx)
    ctx.state.reset()
    if current is None or current.request_id != request.id:
        current = Builder(request.id, [])
    return await builder_screen(ctx, current)


async def option_done(ctx: Context, option: Option) -> list[Reply]:
    """The wizard's finish: the option joins the builder's list."""
    draft = Builder.load(ctx)
    if draft is None:
        ctx.state.reset()
        return [Reply(ctx.t("st-stale"), rows([menu_button(ctx.t)]))]
    if len(draft.options) >= MAX_OPTIONS:
        return await builder_screen(ctx, draft, ctx.t("offer-error-count", max=MAX_OPTIONS))
    draft.options.append(option)
    return await builder_screen(ctx, draft, ctx.t("offer-added", count=1))


async def back_to_builder(ctx: Context, note: str | None = None) -> list[Reply]:
    draft = Builder.load(ctx)
    if draft is None:  # sent or closed meanwhile (another device, an old button)
        ctx.state.reset()
        return [Reply(ctx.t("offer-build-gone"), rows([menu_button(ctx.t)]))]
    return await builder_screen(ctx, draft, note)
