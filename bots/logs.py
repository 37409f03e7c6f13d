"""Structured logs: one logfmt line per event, to stderr.

A line reads ``ts=… level=… logger=… msg=<text> key=value …``. Call sites keep the stdlib
style, ``log.info("started component=web host=%s port=%s", host, port)``: the words before the
first ``key=`` are the message, each ``key=%s`` after them becomes a field, and every value
(the message included) is quoted the logfmt way when it holds a space, a quote, ``=`` or is
empty — so a host name, a URL or an error text with spaces never splits into false fields. A
message that does not end in plain ``key=value`` fields is kept whole as ``msg``.
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

# a field of a format string: key=<value>, the value holding %-placeholders or literal text
_FIELD = re.compile(r"[A-Za-z_][\w.-]*=\S*")
_FIELD_START = re.compile(r"(?:^|\s)[A-Za-z_][\w.-]*=")
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
_NEEDS_QUOTES = re.compile(r'[\s"=\\]|^$')


def quote(value: object) -> str:
    """``value`` as a logfmt value: bare when it can be, else in double quotes with ``\\"``,
    ``\\\\`` and line breaks escaped (a log line stays one line)."""
    text = str(value)
    if not _NEEDS_QUOTES.search(text) and text.isprintable():
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def _placeholders(fmt: str) -> int:
    return sum(1 for p in _PLACEHOLDER.findall(fmt) if p != "%%")


def logfmt_message(msg: str, args: tuple[Any, ...]) -> str:
    """``msg % args`` as logfmt: ``msg=<text> key=value …`` (see the module docstring)."""
    start = _FIELD_START.search(msg)
    head, tail = (msg[: start.start()], msg[start.start() :]) if start else (msg, "")
    tokens = tail.split()
    if not all(_FIELD.fullmatch(token) for token in tokens):
        head, tokens = msg, []  # free text after the fields: keep it all as the message
    if not args:  # the stdlib leaves a message without arguments as it is
        return " ".join(
            [f"msg={quote(head.strip())}", *(_pair(t, t.partition("=")[2]) for t in tokens)]
        )
    used = _placeholders(head)
    text = head.strip() % args[:used]
    parts = [f"msg={quote(text)}"]
    for token in tokens:
        value_fmt = token.partition("=")[2]
        count = _placeholders(value_fmt)
        parts.append(_pair(token, value_fmt % args[used : used + count]))
        used += count
    if used != len(args):
        raise TypeError("not all arguments converted during string formatting")
    return " ".join(parts)


def _pair(token: str, value: str) -> str:
    return f"{token.partition('=')[0]}={quote(value)}"


class LogfmtFormatter(logging.Formatter):
    """``ts=… level=… logger=… msg=… key=value …``; a traceback follows on its own lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        try:
            if not isinstance(record.args, tuple | type(None)):
                raise TypeError("mapping arguments")  # ``%(name)s`` style: the stdlib's text
            body = logfmt_message(str(record.msg), record.args or ())
        except (TypeError, ValueError):  # mismatched arguments: the stdlib's own text
            body = f"msg={quote(record.getMessage())}"
        ts = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        return f"ts={ts} level={record.levelname} logger={quote(record.name)} {body}"


def setup_logging(level: str = "INFO", stream: object = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(LogfmtFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiosqlite", "tortoise", "apscheduler", "aiohttp.access", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
