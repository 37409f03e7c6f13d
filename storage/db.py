"""Database start-up: tortoise config, migrations, and the "is it migrated?" check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as _migrate
from tortoise.migrations.executor import MigrationExecutor

APP = "models"


def normalise_url(url: str) -> str:
    """Tortoise wants ``postgres://``/``asyncpg://``; accept ``postgresql://`` too."""
    if url.startswith("postgresql://"):
        return "postgres://" + url.removeprefix("postgresql://")
    return url


def tortoise_config(url: str) -> dict[str, Any]:
    return {
        "connections": {"default": normalise_url(url)},
        "apps": {
            APP: {
                "models": ["storage.models"],
                "migrations": "storage.migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite://") and ":memory:" not in url:
        Path(url.removeprefix("sqlite://")).parent.mkdir(parents=True, exist_ok=True)


async def init_db(url: str) -> None:
    ensure_sqlite_dir(url)
    await Tortoise.init(config=tortoise_config(url))


async def close_db() -> None:
    await Tortoise.close_connections()


async def migrate(url: str) -> None:
    """Apply every checked-in migration that is not applied yet."""
    ensure_sqlite_dir(url)
    await _migrate(config=tortoise_config(url))


async def pending_migrations(url: str) -> list[str]:
    """Names of migrations not yet applied to the database at ``url`` (db must be inited)."""
    executor = MigrationExecutor(connections.get("default"), tortoise_config(url)["apps"])
    steps = await executor.plan(None)
    return [step.migration.name for step in steps if not step.backward]
