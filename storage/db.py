"""Database start-up: tortoise config, the connection check, migrations, and the "is it
migrated?" check.

Every command that touches the database opens it through :func:`init_db` or :func:`migrate`,
which try the connection first: a wrong ``DATABASE_URL`` (dead host, refused port, bad password,
missing database, unwritable SQLite path) becomes one :class:`DatabaseUnavailable` line naming
the variable, the URL without its password and the cause, never a driver traceback or a
misleading "not migrated".
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.exceptions import ConfigurationError
from tortoise.migrations.api import migrate as _migrate
from tortoise.migrations.executor import MigrationExecutor

from core.errors import ConfigError

APP = "models"
CONNECT_TIMEOUT = 15.0  # seconds to reach the database at start-up before giving up


class DatabaseUnavailable(ConfigError):
    """``DATABASE_URL`` does not lead to a usable database; one line for the operator."""


def redact_url(url: str) -> str:
    """``url`` without its password (``postgres://user@host:5432/db``): safe to print and log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.hostname or ""
    if ":" in netloc:  # an IPv6 address keeps its brackets
        netloc = f"[{netloc}]"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def backend_of(url: str) -> str:
    """``postgresql`` or ``sqlite``, as the start-up log names the backend."""
    return "sqlite" if url.startswith("sqlite://") else "postgresql"


def _cause(exc: BaseException) -> str:
    """The innermost reason of a connection failure, in words an operator acts on."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    for error in reversed(seen):  # the driver's own error is the innermost
        if isinstance(error, socket.gaierror):
            return "host not found"
        if isinstance(error, ConnectionRefusedError):
            return "connection refused (is the server running on that host and port?)"
        if isinstance(error, TimeoutError):
            return f"no answer within {CONNECT_TIMEOUT:.0f} s"
        name = type(error).__name__
        if name == "InvalidPasswordError":
            return f"{error} (check the user and password in the URL)"
        if name == "InvalidCatalogNameError":
            return f"{error} (create it, or fix the name in the URL)"
        if isinstance(error, OSError) and error.strerror:
            return error.strerror.lower()
    # otherwise the outermost error that says something (tortoise's own, e.g. "Port is not an
    # integer"; the KeyError of a connection never made says nothing)
    said = next((e for e in seen if str(e) and not isinstance(e, KeyError)), seen[0])
    text = " ".join(str(said).split()) or type(said).__name__
    return text[:300]


def _unavailable(url: str, exc: BaseException) -> DatabaseUnavailable:
    return DatabaseUnavailable(f"DATABASE_URL ({redact_url(url)}): cannot connect: {_cause(exc)}")


def normalise_url(url: str) -> str:
    """Tortoise wants ``postgres://``/``asyncpg://``; accept ``postgresql://`` too."""
    if url.startswith("postgresql://"):
        return "postgres://" + url.removeprefix("postgresql://")
    return url


# PostgreSQL pool: tortoise's default of 5 connections queues a busy process (64 webhook
# requests or payment callbacks in flight) behind each other; 20 per process keeps the server
# well under its 100-connection default with a few processes. ``?maxsize=N`` in the URL wins.
POOL_MIN = 2
POOL_MAX = 20


async def _keep_session(connection: Any) -> None:
    """Release a pooled connection without asyncpg's reset query (``RESET ALL``, unlock all
    advisory locks, ``UNLISTEN``...), a round trip per query that tortoise checks out. We never
    change session state: no ``SET``, session advisory locks, ``LISTEN`` or open cursors; an
    open transaction is still rolled back by asyncpg before this runs."""


def connection_config(url: str) -> str | dict[str, Any]:
    """The tortoise connection for ``url``: a PostgreSQL URL gets the pool settings above."""
    url = normalise_url(url)
    if not url.startswith(("postgres://", "asyncpg://")):
        return url
    config = expand_db_url(url)
    credentials = config["credentials"]
    credentials.setdefault("minsize", POOL_MIN)
    credentials.setdefault("maxsize", POOL_MAX)
    credentials["reset"] = _keep_session
    return config


def tortoise_config(url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(url)},
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
        folder = Path(url.removeprefix("sqlite://")).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"DATABASE_URL ({url}): cannot create the folder {folder}: "
                f"{(exc.strerror or str(exc)).lower()}"
            ) from None


async def _probe(url: str) -> None:
    """One round trip on the default connection; a failure closes what was opened."""
    try:
        await asyncio.wait_for(
            connections.get("default").execute_query("SELECT 1"), CONNECT_TIMEOUT
        )
    except Exception as exc:
        await close_db()
        raise _unavailable(url, exc) from None


async def init_db(url: str) -> None:
    """Open the database at ``url`` and check it answers (:class:`DatabaseUnavailable`)."""
    ensure_sqlite_dir(url)
    try:
        await Tortoise.init(config=tortoise_config(url))
    except Exception as exc:
        await close_db()
        raise _unavailable(url, exc) from None
    await _probe(url)


async def close_db() -> None:
    """Close every connection; one that could never be made (a URL tortoise cannot even
    parse) has nothing to close, and its error was already reported by :func:`init_db`."""
    with contextlib.suppress(ConfigurationError, ImportError, ValueError):
        await Tortoise.close_connections()


async def migrate(url: str) -> list[str]:
    """Apply every checked-in migration that is not applied yet; the names applied, in order
    (empty: the database was already up to date)."""
    await init_db(url)  # a wrong URL is one line here, not a traceback from inside a migration
    await close_db()
    applied: list[str] = []

    def progress(event: str, app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)

    await _migrate(config=tortoise_config(url), progress=progress)
    return applied


async def pending_migrations(url: str) -> list[str]:
    """Names of migrations not yet applied to the database at ``url`` (db must be inited)."""
    executor = MigrationExecutor(connections.get("default"), tortoise_config(url)["apps"])
    steps = await executor.plan(None)
    return [step.migration.name for step in steps if not step.backward]
