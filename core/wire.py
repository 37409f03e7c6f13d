"""What a webhook or callback body may look like before we act on it.

Platforms and providers send shallow JSON with short strings and ids that fit a 64-bit column.
Anything else (nesting hundreds deep, lone surrogates that no database can store, numbers like
``1e300`` or ``10**30``) is junk: the edge answers 4xx with :func:`problem`'s short reason
instead of failing somewhere deeper with a 5xx the sender would retry forever.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_DEPTH = 32
MAX_INT = 2**63 - 1
MAX_TIMESTAMP_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


class JunkError(ValueError):
    """The input cannot be processed; ``str(exc)`` is a short reason safe to answer with."""


def is_storable(text: str) -> bool:
    """Encodable as UTF-8 (no lone surrogates) and free of NUL, which PostgreSQL refuses."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def problem(value: Any, max_depth: int = MAX_DEPTH, *, texts: bool = True) -> str | None:
    """Why ``value`` (parsed JSON) is junk, or None. Iterative: any depth is safe to inspect.

    ``texts=False`` skips the text checks, for JSON known to have no ``\\u`` escape: a lone
    surrogate or a NUL can only come from one (the raw bytes were valid UTF-8 and the parser
    refuses control characters)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            return "nested too deeply"
        if isinstance(item, dict):
            for key, inner in item.items():
                if texts and not is_storable(str(key)):
                    return "invalid text"
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)
        elif isinstance(item, str):
            if texts and not is_storable(item):
                return "invalid text"
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not -MAX_INT <= item <= MAX_INT:
                return "number out of range"
        elif isinstance(item, float) and (not math.isfinite(item) or abs(item) > MAX_INT):
            return "number out of range"
    return None


def loads(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a JSON body and refuse junk with :class:`JunkError` (never another exception)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise JunkError("body is not UTF-8") from None
    try:
        value = json.loads(text)
    except RecursionError:
        raise JunkError("nested too deeply") from None
    except ValueError:
        raise JunkError("body is not JSON") from None
    reason = problem(value, max_depth, texts="\\u" in text)
    if reason is not None:
        raise JunkError(reason)
    return value


def timestamp_ms(value: Any) -> int | None:
    """A millisecond timestamp that a datetime can hold, or None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not 0 <= value <= MAX_TIMESTAMP_MS:
        return None
    return int(value)
