"""One :class:`Reply` as one e-mail: a text part and an HTML part made from the same reply.

Everything in the reply is plain text (it may hold what people typed), so the HTML part escapes
all of it. Link buttons (Pay, a mailing's links) become real links drawn as buttons in the HTML
part and ``Label: URL`` lines in the text part; payload buttons (they need a chat to act) become
lines, so a message meant for e-mail carries links (:func:`core.payments.intents.pay_button`).
Mailings carry an unsubscribe link in the body and the ``List-Unsubscribe`` headers.
"""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from core.contract import LinkButton, Reply
from core.i18n import T

# the subject's message key by the start of the outbox row's kind; the first match wins
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("payment-receipt", "mail-subject-receipt"),
    ("fiscal", "mail-subject-receipt"),
    ("pay-link", "mail-subject-payment"),
    ("payment", "mail-subject-payment"),
    ("reminder", "mail-subject-reminder"),
    ("mailing", "mail-subject-mailing"),
)
GENERIC = "mail-subject-generic"
# a link button looks like a button in mail clients (inline styles: many drop <style>)
BUTTON_STYLE = (
    "display:inline-block;padding:10px 20px;background:#1a73e8;color:#ffffff;"
    "text-decoration:none;border-radius:6px;font-weight:bold"
)


def subject_key(kind: str) -> str:
    return next((key for prefix, key in SUBJECTS if kind.startswith(prefix)), GENERIC)


def is_mailing(kind: str) -> bool:
    return kind.startswith("mailing")


def _text(reply: Reply, t: T, unsubscribe: str | None) -> str:
    lines = [reply.text]
    extra: list[str] = []
    for button in reply.all_buttons():
        if isinstance(button, LinkButton):
            extra.append(f"{button.label}: {button.url}")
        else:
            extra.append(f"- {button.label}")
    if reply.media is not None and reply.media.file_ref and reply.media.file_ref.startswith("http"):
        extra.append(reply.media.file_ref)
    if extra:
        lines += ["", *extra]
    if unsubscribe is not None:
        lines += ["", "--", t("mail-unsubscribe-line", url=unsubscribe)]
    return "\n".join(lines) + "\n"


def _html(reply: Reply, t: T, unsubscribe: str | None) -> str:
    esc = html.escape
    paragraphs = [
        "<p>" + "<br>\n".join(esc(line) for line in block.split("\n")) + "</p>"
        for block in reply.text.split("\n\n")
    ]
    for button in reply.all_buttons():
        if isinstance(button, LinkButton):
            link = f'<a href="{esc(button.url)}" style="{BUTTON_STYLE}">{esc(button.label)}</a>'
            paragraphs.append(f"<p>{link}</p>")
        else:
            paragraphs.append(f"<p>{esc(button.label)}</p>")
    media = reply.media
    if media is not None and media.file_ref and media.file_ref.startswith("http"):
        paragraphs.append(f'<p><a href="{esc(media.file_ref)}">{esc(media.file_ref)}</a></p>')
    if unsubscribe is not None:
        link = f'<a href="{esc(unsubscribe)}">{esc(t("mail-unsubscribe-link"))}</a>'
        paragraphs.append(f'<hr><p style="font-size:small">{link}</p>')
    body = "\n".join(paragraphs)
    return f'<!doctype html>\n<html><body style="font-family:sans-serif">\n{body}\n</body></html>\n'


def render(
    reply: Reply,
    t: T,
    *,
    kind: str,
    sender: str,
    to: str,
    agency: str,
    unsubscribe: str | None = None,
) -> EmailMessage:
    """The e-mail for ``reply`` in the recipient's language ``t``; ``unsubscribe`` (an URL)
    for mailings."""
    msg = EmailMessage()
    msg["Subject"] = t(subject_key(kind), agency=agency)
    msg["From"] = sender
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> "))
    if unsubscribe is not None:
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(_text(reply, t, unsubscribe))
    msg.add_alternative(_html(reply, t, unsubscribe), subtype="html")
    return msg
