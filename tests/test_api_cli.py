"""``tourdesk api-key create|list|revoke`` as an operator runs it, and the key it prints
working (then not working) against the API."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from core.api_keys import hash_key
from core.services import Services
from storage.models import ApiKey, AuditEntry
from tests.support import procs
from tests.support.api import Caller, make_key
from tests.support.payments import web_app


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        yield client


async def cli(db_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = procs.clean_env(DATABASE_URL=db_url)
    done = await asyncio.to_thread(procs.run_cli, ["api-key", *args], env, tmp_path)
    return done.returncode, done.stdout, done.stderr


async def test_create_use_list_revoke(web: TestClient, db_url: str, tmp_path: Path) -> None:
    code, out, err = await cli(
        db_url, tmp_path, "create", "--name", "crm", "--scopes", "staff:read"
    )
    assert code == 0, err
    key = out.splitlines()[-1]
    assert key.startswith("td_") and len(key) > 40
    assert "not shown again" in err
    stored = await ApiKey.get(name="crm")
    assert stored.key_hash == hash_key(key) and key not in str(stored.__dict__)
    assert stored.scopes == ["staff:read"]
    assert (await Caller(web, key).get("/staff")).status == 200
    assert (await Caller(web, key).get("/clients")).status == 403

    code, _, err = await cli(
        db_url, tmp_path, "create", "--name", "site", "--scopes", "staff:read", "--rate", "5"
    )
    assert code == 0, err
    code, out, _ = await cli(db_url, tmp_path, "list")
    assert code == 0 and out.startswith(f"crm\t{key[:8]}…\tactive\tstaff:read")
    assert key not in out
    crm_line, site_line = out.splitlines()
    assert crm_line.endswith("\t600/min ([api] rate_per_minute)")  # the default
    assert site_line.startswith("site\t") and site_line.endswith("\t5/min")  # its own

    code, out, _ = await cli(db_url, tmp_path, "revoke", "--name", "crm")
    assert (code, out.strip()) == (0, "revoked API key 'crm'")
    assert (await Caller(web, key).get("/staff")).status == 401
    assert await AuditEntry.exists(action="api-key.revoke", subject="api-key:crm")


async def test_bad_input_is_one_line(db_url: str, tmp_path: Path) -> None:
    code, _, err = await cli(db_url, tmp_path, "create", "--name", "x", "--scopes", "clients:rw")
    assert code == 2 and err.count("\n") == 1 and "Unknown scope “clients:rw”" in err
    code, _, err = await cli(db_url, tmp_path, "create", "--name", "a b", "--scopes", "*")
    assert code == 2 and "key name" in err
    code, _, _ = await cli(db_url, tmp_path, "create", "--name", "erp", "--scopes", "*")
    assert code == 0
    scopes = (await ApiKey.get(name="erp")).scopes
    assert len(scopes) == 14 and {"clients:write", "imports:write", "reports:read"} <= set(scopes)
    code, _, err = await cli(db_url, tmp_path, "create", "--name", "erp", "--scopes", "*")
    assert code == 2 and "already exists" in err
    code, _, err = await cli(db_url, tmp_path, "revoke", "--name", "nobody")
    assert code == 1 and "no API key named" in err
    assert await ApiKey.all().count() == 1


async def test_a_reader_that_stops_early_gets_no_traceback(db_url: str, tmp_path: Path) -> None:
    """``tourdesk api-key list | head -1``: the pipe is closed before anything is written."""
    for name in ("crm", "site"):
        await make_key(name, "staff:read")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bots.cli", "api-key", "list"],
            env=procs.clean_env(DATABASE_URL=db_url),
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (141, "")
