"""Test databases and Redis: SQLite files or a private PostgreSQL database per test session.

``TOURDESK_TEST_BACKEND=postgres`` runs the suite on PostgreSQL + Redis (``TEST_POSTGRES_URL``,
``TEST_REDIS_URL``; defaults: the local servers). Every session gets its own database and its
own Redis key prefix, so two runs on one machine never meet.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import asyncpg

BACKEND = os.environ.get("TOURDESK_TEST_BACKEND", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

TABLES = (
    "api_idempotency",
    "api_imports",
    "api_keys",
    "audit_log",
    "clients",
    "commission_entries",
    "commission_rules",
    "conversation_states",
    "counters",
    "fiscal_receipts",
    "follow_ups",
    "held_messages",
    "jobs",
    "ledger_entries",
    "mailing_recipients",
    "mailings",
    "messenger_accounts",
    "opening_bonuses",
    "orders",
    "outbox",
    "payment_intents",
    "phone_claims",
    "points_entries",
    "processed_updates",
    "provider_events",
    "referral_codes",
    "referrals",
    "refunds",
    "report_charts",
    "shared_secrets",
    "segments",
    "staff",
    "staff_invites",
    "tour_offers",
    "tour_requests",
    "webhook_deliveries",
    "webhook_events",
)


def is_postgres() -> bool:
    return BACKEND == "postgres"


def pg_url(dbname: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{dbname}"


async def create_pg_database() -> str:
    name = f"tourdesk_test_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def drop_pg_database(name: str) -> None:
    conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def truncate_pg(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        existing = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
        names = [t for t in TABLES if t in existing]
        extra = sorted(existing - set(TABLES) - {"tortoise_migrations"})
        names += extra
        await conn.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in names) + " RESTART IDENTITY CASCADE"
        )
    finally:
        await conn.close()


def copy_sqlite(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite://{target}"
