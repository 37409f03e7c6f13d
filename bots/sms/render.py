"""One :class:`Reply` as the plain text of one SMS.

An SMS has no buttons: a link button becomes a line ``label: url`` (payment links stay as
URLs), a payload button (it needs a chat to be pressed) is left out, and so is a picture.
Cards (tour offers) become their texts one after another. Mailings may end with a short line
saying how to opt out.
"""

from __future__ import annotations

from core.contract import LinkButton, Reply


def render_text(reply: Reply, *, stop_line: str | None = None) -> str:
    blocks = [reply.text.strip()] if reply.text.strip() else []
    links = [f"{b.label}: {b.url}" for b in reply.all_buttons() if isinstance(b, LinkButton)]
    for card in reply.cards:
        lines = [card.text.strip()]
        lines += [f"{b.label}: {b.url}" for b in card.buttons if isinstance(b, LinkButton)]
        blocks.append("\n".join(line for line in lines if line))
    if links:
        blocks.append("\n".join(links))
    if stop_line:
        blocks.append(stop_line)
    return "\n\n".join(blocks)
