"""Getting a chart to a messenger: messengers take a picture by URL (Viber only so), so the
PNG is stored under an unguessable token and served by ``GET /reports/chart/{token}.png``
(bots/reports_web.py) until it expires; the photo message itself goes through the outbox like
every message that is not a direct reply, so it is retried and never lost on a restart.

The token is 32 random bytes (a capability URL: knowing it is the permission), the picture
expires after :data:`LIFETIME` — long enough for the outbox's retries and the messenger's
fetch — and expired ones are deleted whenever a new one is stored.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from core.contract import Media, Reply
from core.payments.registry import public_base
from core.services import Services
from storage.models import MessengerAccount, ReportChart

LIFETIME = timedelta(hours=24)
PATH = "/reports/chart/{token}.png"


async def store(services: Services, png: bytes) -> str:
    """Keep ``png`` for :data:`LIFETIME`; its public URL."""
    now = services.clock.now()
    await ReportChart.filter(expires_at__lt=now).delete()
    token = secrets.token_urlsafe(32)
    await ReportChart.create(token=token, png=png, expires_at=now + LIFETIME)
    return public_base(services.settings) + PATH.format(token=token)


async def fetch(token: str, now: datetime) -> bytes | None:
    """The PNG behind ``token`` while it has not expired; None otherwise."""
    chart = await ReportChart.get_or_none(token=token, expires_at__gt=now)
    return bytes(chart.png) if chart is not None else None


async def send(services: Services, account: MessengerAccount, png: bytes, caption: str) -> str:
    """Store ``png`` and queue it to ``account`` as a photo with ``caption``; the URL."""
    url = await store(services, png)
    await services.outbox.enqueue(
        account,
        Reply(caption, media=Media("photo", url)),
        kind="report-chart",
        dedupe_key=f"report-chart:{url.rsplit('/', 1)[-1]}",
    )
    return url
