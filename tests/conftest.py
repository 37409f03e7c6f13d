"""Shared fixtures: a migrated database per test (SQLite or PostgreSQL), Redis when the backend
is PostgreSQL, a controllable clock, the services container and a recording chat."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tortoise import Tortoise

from bots.app import build_services
from bots.telegram.settings import telegram_settings
from bots.viber.settings import viber_settings
from core.clock import ManualClock
from core.rules import Rules
from core.services import Services
from core.settings import Settings
from handlers import build_router
from handlers.router import Router
from storage.db import close_db, init_db, migrate
from tests.support import backends
from tests.support.chat import RecordingChat

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """SQLite: path of a migrated template file. PostgreSQL: URL of a migrated session database."""
    if backends.is_postgres():
        name = asyncio.run(backends.create_pg_database())
        url = backends.pg_url(name)

        async def _migrate() -> None:
            await migrate(url)
            await close_db()

        asyncio.run(_migrate())
        yield url
        asyncio.run(backends.drop_pg_database(name))
        return
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"

    async def _migrate_sqlite() -> None:
        await migrate(f"sqlite://{template}")
        await close_db()

    asyncio.run(_migrate_sqlite())
    yield str(template)


@pytest.fixture
async def db_url(migrated_database: str, tmp_path: Path) -> AsyncIterator[str]:
    """A clean, migrated database for this test, with tortoise connected to it."""
    if backends.is_postgres():
        await backends.truncate_pg(migrated_database)
        url = migrated_database
    else:
        url = backends.copy_sqlite(Path(migrated_database), tmp_path / "test.sqlite3")
    await init_db(url)
    yield url
    await Tortoise.close_connections()


@pytest.fixture
def redis_url() -> str | None:
    return backends.REDIS_URL if backends.is_postgres() else None


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def settings(db_url: str, redis_url: str | None, tmp_path: Path) -> Settings:
    s = Settings()
    s.database.database_url = db_url
    s.redis.redis_url = redis_url
    s.redis.redis_prefix = f"tdtest:{uuid.uuid4().hex[:8]}:"
    s.app.data_dir = tmp_path / "data"
    telegram_settings(s).token = None
    viber_settings(s).token = None
    s.web.public_url = None
    return s


@pytest.fixture
def rules() -> Rules:
    return Rules()


@pytest.fixture
async def services(settings: Settings, rules: Rules, clock: ManualClock) -> AsyncIterator[Services]:
    services = await build_services(settings, rules, clock=clock)
    yield services
    if services.redis is not None:
        keys = [k async for k in services.redis.scan_iter(match=f"{settings.redis.redis_prefix}*")]
        if keys:
            await services.redis.delete(*keys)
        await services.redis.aclose()


@pytest.fixture
def router() -> Router:
    return build_router()


@pytest.fixture
def chat(services: Services, router: Router) -> RecordingChat:
    return RecordingChat(services, router)
