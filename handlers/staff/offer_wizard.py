"""The step-by-step way to build one tour option: one :class:`~handlers.wizard.Step` record per
field (the same parsers as the paste line), walked by the shared wizard engine. On confirm the
option joins the builder's list (:mod:`handlers.staff.offers`); Cancel, or Back from the first
question, returns to the builder with its list untouched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.contract import Incoming, Reply
from core.i18n import T
from core.offers import cards
from core.offers.option import (
    MEALS,
    Option,
    parse_dates,
    parse_hotel,
    parse_meal,
    parse_nights,
    parse_offer_price,
    parse_operator,
    parse_place,
    parse_room,
    parse_url,
)
from core.payloads import Payload
from core.staff import routes
from core.tour_input import is_cancel
from handlers.context import Context
from handlers.staff.common import today
from handlers.staff.offer_builder import back_to_builder, option_done
from handlers.wizard import Answers, Flow, Run, Step, Texts

WIZARD_PREFIX = "staff.offerw."
STORE = "_ofw"


def _dates(answers: Answers) -> tuple[date | None, date | None]:
    value = answers.get("dates")
    if not value:
        return None, None
    return date.fromisoformat(value[0]), date.fromisoformat(value[1])


def _typed_dates(ctx: Context, run: Run, text: str) -> list[str]:
    start, end = parse_dates(text, today(ctx))
    nights = run.answers.get("nights")
    if nights is not None:
        parse_nights(str(nights), start, end)  # the nights typed before must still fit
    return [start.isoformat(), end.isoformat()]


def _typed_hotel(ctx: Context, run: Run, text: str) -> list[Any]:
    hotel, stars = parse_hotel(text)
    return [hotel, stars]


def _skip(label: str) -> Any:
    return lambda ctx, run: [[(ctx.t(label), "skip", None)]]


def _nights_choice(ctx: Context, run: Run) -> list[list[tuple[str, str, object]]]:
    start, end = _dates(run.answers)
    if start is None or end is None:
        return []
    span = (end - start).days
    return [[(ctx.t("offer-w-nights-button", nights=span), "nights", span)]]


def _shown(t: T, answers: Answers, key: str) -> str | None:
    value = answers.get(key)
    return str(value) if value else None


def _place_text(t: T, a: Answers) -> str:
    country, resort = a["place"]
    return f"{resort}, {country}" if resort else str(country)


def _dates_text(t: T, a: Answers) -> str:
    start, end = _dates(a)
    return f"{t.date(start)} – {t.date(end)}"


def _typed_step(name: str, parse: Callable[[str], str]) -> Step:
    """A field answered by typing alone and summed up as typed (the room, the operator); its
    texts are ``offer-w-ask-<name>``, ``offer-w-sum-<name>`` and ``offer-field-<name>``."""
    return Step(
        name=name,
        ask=f"offer-w-ask-{name}",
        text=lambda ctx, run, text: parse(text),
        summary=(f"offer-w-sum-{name}", lambda t, a: _shown(t, a, name)),
        edit=f"offer-field-{name}",
    )


def _address_step(name: str) -> Step:
    """An optional web address (the hotel's link, a photo): typed, or skipped with a button;
    its texts are named as :func:`_typed_step`'s."""
    return Step(
        name=name,
        ask=f"offer-w-ask-{name}",
        choices=_skip("offer-w-skip"),
        text=lambda ctx, run, text: parse_url(text),
        buttons={"skip": lambda ctx, run, v: ""},
        summary=(f"offer-w-sum-{name}", lambda t, a: _shown(t, a, name)),
        edit=f"offer-field-{name}",
    )


STEPS = (
    Step(
        name="hotel",
        ask="offer-w-ask-hotel",
        text=_typed_hotel,
        summary=("offer-w-sum-hotel", lambda t, a: a["hotel"][0] + cards.stars_text(a["hotel"][1])),
        edit="offer-field-hotel",
    ),
    Step(
        name="place",
        ask="offer-w-ask-place",
        text=lambda ctx, run, text: list(parse_place(text)),
        summary=("offer-w-sum-place", _place_text),
        edit="offer-field-place",
    ),
    Step(
        name="dates",
        ask="offer-w-ask-dates",
        text=_typed_dates,
        summary=("offer-w-sum-dates", _dates_text),
        edit="offer-field-dates",
    ),
    Step(
        name="nights",
        ask="offer-w-ask-nights",
        choices=_nights_choice,
        text=lambda ctx, run, text: parse_nights(text, *_dates(run.answers)),
        buttons={"nights": lambda ctx, run, v: parse_nights(v, *_dates(run.answers))},
        summary=("offer-w-sum-nights", lambda t, a: str(a["nights"])),
        edit="offer-field-nights",
    ),
    _typed_step("room", parse_room),
    Step(
        name="meal",
        ask="offer-w-ask-meal",
        choices=lambda ctx, run: [
            [(m, "meal", m) for m in MEALS[:3]],
            [(m, "meal", m) for m in MEALS[3:]],
        ],
        text=lambda ctx, run, text: parse_meal(text),
        buttons={"meal": lambda ctx, run, v: parse_meal(v)},
        summary=("offer-w-sum-meal", lambda t, a: cards.meal_text(t, a["meal"])),
        edit="offer-field-meal",
    ),
    Step(
        name="price",
        ask="offer-w-ask-price",
        ask_args=lambda ctx, run: {"currency": ctx.services.rules.agency.currency},
        text=lambda ctx, run, text: list(
            parse_offer_price(text, ctx.services.rules.agency.currency)
        ),
        summary=("offer-w-sum-price", lambda t, a: t.money(int(a["price"][0]), a["price"][1])),
        edit="offer-field-price",
    ),
    _typed_step("operator", parse_operator),
    _address_step("link"),
    _address_step("photo"),
)


def option_of(answers: Answers) -> Option:
    start, end = _dates(answers)
    assert start is not None and end is not None
    country, resort = answers["place"]
    amount, currency = answers["price"]
    return Option(
        hotel=answers["hotel"][0],
        stars=answers["hotel"][1],
        country=country,
        resort=resort,
        start=start.isoformat(),
        end=end.isoformat(),
        nights=int(answers["nights"]),
        room=answers["room"],
        meal=answers["meal"],
        price=int(amount),
        currency=currency,
        operator=answers["operator"],
        link=answers.get("link") or None,
        photo=answers.get("photo") or None,
    )


async def _finish(ctx: Context, run: Run) -> list[Reply]:
    return await option_done(ctx, option_of(run.answers))


TEXTS = Texts(
    intro="offer-w-intro",
    step="offer-w-step",
    summary_title="offer-w-summary",
    confirm="offer-w-confirm",
    edit="offer-w-edit",
    edit_which="offer-w-edit-which",
    resume_ask="offer-w-resume",
    resume_continue="offer-w-resume-continue",
    resume_restart="offer-w-resume-restart",
    cancelled="offer-w-cancelled",
    paused="offer-w-cancelled",
    hint_stale="offer-w-stale",
    hint_type="offer-w-type",
    incomplete="offer-w-incomplete",
)


@dataclass(frozen=True)
class OptionFlow(Flow):
    """The shared engine, except that leaving it returns to the builder, not the main menu."""

    async def leave(self, ctx: Context) -> list[Reply]:
        self.forget(ctx)
        return await back_to_builder(ctx, ctx.t(self.texts.cancelled))

    async def on_button(self, ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
        op = payload.arg(0)
        first = self.screen(ctx) == self.steps[0].name
        if op == "cancel" or self.load(ctx) is None or (op == "back" and first):
            return await self.leave(ctx)
        return await super().on_button(ctx, incoming, payload)

    async def on_text(self, ctx: Context, incoming: Incoming) -> list[Reply]:
        if is_cancel(incoming.text) or self.load(ctx) is None:
            return await self.leave(ctx)
        return await super().on_text(ctx, incoming)


OPTION_WIZARD = OptionFlow(
    steps=STEPS,
    action=routes.OFFER_WIZARD,
    prefix=WIZARD_PREFIX,
    store_key=STORE,
    finish=_finish,
    texts=TEXTS,
)
