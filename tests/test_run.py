"""``tourdesk run`` as a process: refuses an unmigrated database, serves health and readiness,
names the dependency that is down, and stops gracefully on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import aiohttp

from tests.support import backends
from tests.support.procs import clean_env, free_port, tourdesk, wait_http


def test_run_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite://{tmp_path}/fresh.sqlite3", HTTP_PORT=str(free_port()))
    proc = tourdesk(["run"], env, tmp_path)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "tourdesk migrate" in err and "0001_initial" in err
    assert "Traceback" not in err


async def test_run_serves_health_and_readiness(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = clean_env(DATABASE_URL=db_url, HTTP_PORT=str(port), HTTP_HOST="127.0.0.1")
    if backends.is_postgres():
        env["REDIS_URL"] = backends.REDIS_URL
        env["REDIS_PREFIX"] = f"tdtest:{port}:"
    proc = tourdesk(["run"], env, tmp_path)
    try:
        assert await wait_http(f"http://127.0.0.1:{port}/healthz") == 200
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 200
                assert (await response.json())["status"] == "ready"
            async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                assert "tourdesk_updates_total" in await response.text()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "started component=web" in err and "started component=scheduler" in err
    assert "stopped worker=" in err


async def test_readyz_names_redis_when_it_is_down(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    env = clean_env(
        DATABASE_URL=db_url, HTTP_PORT=str(port), HTTP_HOST="127.0.0.1", REDIS_URL=dead_redis
    )
    proc = tourdesk(["run"], env, tmp_path)
    try:
        assert await wait_http(f"http://127.0.0.1:{port}/healthz") == 200
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/readyz") as response,
        ):
            assert response.status == 503
            body = json.loads(await response.text())
        assert body["status"] == "unavailable"
        assert any(reason.startswith("redis:") for reason in body["reasons"])
        assert not any(reason.startswith("database:") for reason in body["reasons"])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
