"""How an option reads: the client's card (photo, details, Choose / Ask a question), the
message that closes a round of cards, and the manager's one-line summary.

Channel-neutral: a card is an ordinary :class:`Reply` with the photo as its media. In
Telegram each card keeps its own inline buttons; Viber shows only the keyboard of the last
message, so the round ends with one message whose buttons choose any of the options — the same
buttons in both channels, so nothing here knows which messenger the client uses.
"""

from __future__ import annotations

from core.contract import AnyButton, Button, Card, LinkButton, Media, Reply, rows
from core.i18n import T
from core.offers.option import Option
from core.payloads import encode
from storage.models import TourOffer

CHOOSE = "ofr"  # the client picks an option: offer id
ASK = "ofq"  # the client asks about an option: offer id


def option_of(offer: TourOffer) -> Option:
    return Option(
        hotel=offer.hotel,
        stars=offer.stars,
        country=offer.country,
        resort=offer.resort,
        start=offer.start_date.isoformat(),
        end=offer.end_date.isoformat(),
        nights=offer.nights,
        room=offer.room,
        meal=offer.meal,
        price=offer.price,
        currency=offer.currency,
        operator=offer.operator,
        link=offer.link,
        photo=offer.photo,
    )


def stars_text(stars: int | None) -> str:
    return f" {'★' * stars}" if stars else ""


def meal_text(t: T, meal: str) -> str:
    return t(f"offer-meal-{meal.lower()}")


def details(t: T, option: Option, number: int) -> str:
    """The card's text: what the client compares options by."""
    return "\n".join(
        [
            t(
                "offer-card-title",
                number=number,
                hotel=option.hotel,
                stars=stars_text(option.stars),
            ),
            t("offer-card-place", place=option.destination),
            t(
                "offer-card-dates",
                start=t.date(option.start_date),
                end=t.date(option.end_date),
                nights=option.nights,
            ),
            t("offer-card-room", room=option.room, meal=meal_text(t, option.meal)),
            t("offer-card-price", price=t.money(option.price, option.currency)),
            t("offer-card-operator", operator=option.operator),
        ]
    )


def line(t: T, option: Option, number: int) -> str:
    """One option in the manager's list while building."""
    return t(
        "offer-line",
        number=number,
        hotel=option.hotel + stars_text(option.stars),
        place=option.destination,
        start=t.date(option.start_date),
        nights=option.nights,
        meal=option.meal,
        price=t.money(option.price, option.currency),
        operator=option.operator,
    )


def card(t: T, offer: TourOffer, *, with_buttons: bool = True) -> Reply:
    """One option. ``with_buttons``: the channel keeps each message's buttons (else the round's
    last message carries them all, and the link is a line of the text)."""
    option = option_of(offer)
    text = details(t, option, offer.position)
    media = Media("photo", option.photo) if option.photo else None
    if not with_buttons:
        if option.link:
            text = f"{text}\n{t('offer-card-link', link=option.link)}"
        return Reply(text, media=media)
    buttons: list[list[AnyButton]] = [
        [Button(t("offer-choose", number=offer.position), encode(CHOOSE, offer.id))],
        [Button(t("offer-ask"), encode(ASK, offer.id))],
    ]
    if option.link:
        buttons.append([LinkButton(t("offer-details"), option.link)])
    return Reply(text, rows(*buttons), media=media)


def carousel_card(t: T, offer: TourOffer) -> Card:
    """One option as a carousel card: its picture, details and own Choose / Ask / Details."""
    option = option_of(offer)
    buttons: list[AnyButton] = [
        Button(t("offer-choose", number=offer.position), encode(CHOOSE, offer.id)),
        Button(t("offer-ask"), encode(ASK, offer.id)),
    ]
    if option.link:
        buttons.append(LinkButton(t("offer-details"), option.link))
    media = Media("photo", option.photo) if option.photo else None
    return Card(details(t, option, offer.position), media, tuple(buttons))


def pick(t: T, offers: list[TourOffer], number: str, until: str) -> Reply:
    """The message after the cards: every option's Choose button and one Ask button."""
    buttons: list[list[AnyButton]] = [
        [Button(t("offer-choose", number=o.position), encode(CHOOSE, o.id))] for o in offers
    ]
    buttons.append([Button(t("offer-ask"), encode(ASK, offers[0].id, "all"))])
    text = t("offer-pick", count=len(offers), number=number, until=until)
    return Reply(text, rows(*buttons))
