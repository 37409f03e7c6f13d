"""What a mailing costs where sending costs money: Telegram's paid broadcast.

With ``TELEGRAM_PAID_BROADCAST`` on, bulk messages leave at up to 1000/s; only the ones above
the free ~30/s are charged, 0.1 Star each (PROTOCOLS.md). Sending ``n`` messages at ``rate``
per second fills ``ceil(n / rate)`` one-second windows, each with 30 free messages.
"""

from __future__ import annotations

import math

FREE_RATE = 30  # messages per second Telegram sends without charge
PAID_RATE = 1000  # the paid broadcast cap
TENTHS_PER_MESSAGE = 1  # 0.1 Star per paid message


def paid_broadcast_stars(messages: int, *, rate: int = PAID_RATE) -> int:
    """Stars (rounded up) that ``messages`` Telegram messages at ``rate``/s would cost."""
    if messages <= 0 or rate <= FREE_RATE:
        return 0
    free = FREE_RATE * math.ceil(messages / rate)
    paid = max(messages - free, 0)
    return math.ceil(paid * TENTHS_PER_MESSAGE / 10)
