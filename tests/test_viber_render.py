"""How replies look in Viber: keyboard grid, share-phone, sender, limits."""

from __future__ import annotations

import json

from bots.viber.render import Renderer, column_widths, merge, sender_info
from core.contract import Button, Card, LinkButton, Media, Reply, column, rows
from core.payloads import encode
from tests.fakes.viber_api import rich_media_problem


def renderer() -> Renderer:
    return Renderer(sender_info("Tourdesk Travel", "https://cdn.example/logo.jpg"))


def test_each_row_shares_six_columns() -> None:
    assert column_widths(1) == [6]
    assert column_widths(2) == [3, 3]
    assert column_widths(3) == [2, 2, 2]
    assert column_widths(4) == [2, 2, 1, 1]
    assert column_widths(5) == [2, 1, 1, 1, 1]
    assert column_widths(6) == [1] * 6
    reply = Reply(
        "Pick",
        rows(
            [Button("A", encode("a")), Button("B", encode("b"))],
            [Button(str(i), encode("n", i)) for i in range(8)],
        )
        + column(LinkButton("Site", "https://x.ua")),
    )
    [body] = renderer().messages(reply, receiver="u")
    cols = [b["Columns"] for b in body["keyboard"]["Buttons"]]
    assert cols == [3, 3, 1, 1, 1, 1, 1, 1, 3, 3, 6]
    assert body["keyboard"]["Buttons"][-1]["ActionType"] == "open-url"
    assert body["keyboard"]["Buttons"][-1]["ActionBody"] == "https://x.ua"


def test_share_phone_button_needs_api_version_3() -> None:
    reply = Reply(
        "Your phone?",
        rows([Button("Cancel", encode("menu"))]),
        request_phone=True,
        phone_label="📱 Share",
    )
    [body] = renderer().messages(reply, receiver="u")
    assert body["min_api_version"] == 3
    first = body["keyboard"]["Buttons"][0]
    assert (first["ActionType"], first["Text"], first["Columns"]) == ("share-phone", "📱 Share", 6)


def test_sender_name_is_cut_to_28_characters_and_labels_stay_literal() -> None:
    info = sender_info("The Very Best Travel Agency of Kyiv and Lviv", None)
    assert info == {"name": "The Very Best Travel Agency"}
    assert len(info["name"]) <= 28
    [body] = Renderer(info).messages(
        Reply("x", rows([Button("<b>Tom & Jerry</b>", encode("t"))])), receiver="u"
    )
    assert body["keyboard"]["Buttons"][0]["Text"] == "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;"
    assert "avatar" not in body["sender"]


def test_plain_text_and_edit_become_a_new_message_without_keyboard() -> None:
    [body] = renderer().messages(Reply("Hello", edit=True), receiver="u")
    assert body == {
        "sender": {"name": "Tourdesk Travel", "avatar": "https://cdn.example/logo.jpg"},
        "receiver": "u",
        "type": "text",
        "text": "Hello",
    }


def test_a_picture_carries_its_caption_and_keyboard() -> None:
    reply = Reply(
        "Hotel Aurora",
        rows([Button("Book", encode("book", 1))]),
        media=Media("photo", "https://cdn.example/aurora.jpg"),
    )
    [body] = renderer().messages(reply, receiver="u")
    assert body["type"] == "picture"
    assert body["media"] == "https://cdn.example/aurora.jpg"
    assert body["text"] == "Hotel Aurora"
    assert body["keyboard"]["Buttons"][0]["ActionBody"] == encode("book", 1)


def test_no_body_exceeds_30_kb_even_with_a_huge_keyboard() -> None:
    buttons = [Button("Тур " * 30, encode("tour", i)) for i in range(60)]
    reply = Reply("Опис " * 3000, column(*buttons))
    bodies = renderer().messages(reply, receiver="u", tracking_data="t" * 5000)
    for body in bodies:
        assert len(json.dumps(body, ensure_ascii=False).encode()) <= 30 * 1024
        assert len(body["tracking_data"]) <= 4000
    assert len(bodies[-1]["keyboard"]["Buttons"]) == 60


def test_the_welcome_merges_replies_into_one_message() -> None:
    merged = merge([Reply("Hi"), Reply("Choose", rows([Button("EN", encode("lang", "en"))]))])
    assert merged is not None
    assert merged.text == "Hi\n\nChoose"
    assert [b.label for b in merged.all_buttons()] == ["EN"]
    assert merge([]) is None


def test_cards_become_carousels_of_six_that_fill_viber_grid_then_the_text() -> None:
    photo = Media("photo", "https://img.example/1.jpg")
    cards = tuple(
        Card(
            f"{i}. Hotel <Palm> & Spa\n7 nights\n" + "x" * 400,
            photo if i % 2 else None,
            (Button(f"Choose {i}", encode("o", i)), LinkButton("Details", "https://t.example")),
        )
        for i in range(1, 8)
    )
    bodies = renderer().messages(
        Reply("Pick one", rows([Button("Ask", "ask")]), cards=cards), receiver="u1"
    )
    first, second, text = bodies
    assert [b["type"] for b in bodies] == ["rich_media", "rich_media", "text"]
    assert rich_media_problem(first) is None and rich_media_problem(second) is None
    cells = first["rich_media"]["Buttons"]
    assert cells[0]["Image"] == "https://img.example/1.jpg"
    assert cells[1]["Text"].startswith("1. Hotel &lt;Palm&gt; &amp; Spa<br>7 nights<br>")
    assert len(cells[1]["Text"]) < 300  # cut to what a card shows
    assert next(c["ActionBody"] for c in cells if c["ActionType"] == "reply") == encode("o", 1)
    assert len(second["rich_media"]["Buttons"]) == 4  # the seventh card: picture, text, 2 buttons
    assert "keyboard" not in first and text["keyboard"]["Buttons"][0]["Text"] == "Ask"
    # a file id from another messenger is no picture on Viber: the text takes its rows
    [only] = renderer().messages(
        Reply("", cards=(Card("T", Media("photo", "AgACAgIAAxk"), ()),)), receiver="u1"
    )
    assert only["rich_media"]["Buttons"][0]["Rows"] == 7


def test_the_fake_refuses_a_card_that_does_not_fill_its_grid() -> None:
    bad = {
        "min_api_version": 2,
        "rich_media": {"ButtonsGroupColumns": 6, "ButtonsGroupRows": 7, "Buttons": [
            {"Columns": 6, "Rows": 3}, {"Columns": 6, "Rows": 3},
        ]},
    }  # fmt: skip
    assert rich_media_problem(bad) == "a card does not fill its grid"
    assert rich_media_problem({**bad, "min_api_version": 1}) is not None
