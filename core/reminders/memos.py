"""Country memos the agency maintains as plain files: ``<memos_dir>/<locale>/<COUNTRY>.md``.

The file is read when the reminder is sent, so an edit applies to every later reminder. A memo
missing in the client's language means the checklist goes alone (no mixed-language messages).
The memos shipped with tourdesk are package data (``locales/<locale>/memos/<COUNTRY>.md``),
read through ``importlib.resources``; an agency's own folder (``memos_dir``) is read from disk.
"""

from __future__ import annotations

import logging
import re
from importlib.resources.abc import Traversable
from pathlib import Path

from core.i18n import locales_root

log = logging.getLogger(__name__)

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LOCALE = re.compile(r"^[a-z]{2}$")
MAX_CHARS = 3500  # one memo message; longer memos are split at paragraph breaks


def memo_path(memos_dir: str, locale: str, country: str | None) -> Traversable | None:
    code = (country or "").strip().upper()
    if not _COUNTRY.match(code) or not _LOCALE.match(locale):
        return None  # never build a path from anything but a plain code
    if not memos_dir:  # the memos shipped with tourdesk: locales/<locale>/memos/<COUNTRY>.md
        return locales_root() / locale / "memos" / f"{code}.md"
    return Path(memos_dir) / locale / f"{code}.md"


def load_memo(memos_dir: str, locale: str, country: str | None) -> str | None:
    path = memo_path(memos_dir, locale, country)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        log.exception("memo %s could not be read", path)
        return None
    return text or None


def split_text(text: str, limit: int = MAX_CHARS) -> list[str]:
    """Chunks of at most ``limit`` characters, cut at blank lines, then lines, then anywhere."""
    chunks: list[str] = []
    current = ""
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block:
            continue
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        while len(block) > limit:
            cut = block.rfind("\n", 0, limit)
            cut = cut if cut > 0 else limit
            chunks.append(block[:cut].rstrip())
            block = block[cut:].lstrip()
        current = block
    if current:
        chunks.append(current)
    return chunks
