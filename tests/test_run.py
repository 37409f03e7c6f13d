"""``tourdesk run`` as a process: refuses an unmigrated database, serves health and readiness,
names the dependency that goes down, and stops gracefully on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import pytest

from tests.support import backends
from tests.support.procs import clean_env, free_port, tourdesk, wait_http


def test_run_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL=f"sqlite://{tmp_path}/fresh.sqlite3", HTTP_PORT=str(free_port()))
    proc = tourdesk(["run"], env, tmp_path)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2
    assert "tourdesk migrate" in err and "0001_initial" in err and "DATABASE_URL" in err
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


def redis_reachable() -> bool:
    address = urlsplit(backends.REDIS_URL)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


class Proxy:
    """A TCP proxy in front of the test Redis that can be switched off: Redis "goes down"
    while ``tourdesk run`` is up (Redis down at start-up refuses to start: tests/test_startup.py).
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.links: list[asyncio.StreamWriter] = []
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.links += [writer, up_writer]

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.links:
            writer.close()


@pytest.mark.skipif(not redis_reachable(), reason="needs the test Redis (TEST_REDIS_URL)")
async def test_readyz_names_redis_when_it_goes_down(db_url: str, tmp_path: Path) -> None:
    address = urlsplit(backends.REDIS_URL)
    proxy = Proxy(address.hostname or "127.0.0.1", address.port or 6379)
    proxy_port = await proxy.start()
    port = free_port()
    env = clean_env(
        DATABASE_URL=db_url,
        HTTP_PORT=str(port),
        HTTP_HOST="127.0.0.1",
        REDIS_URL=f"redis://127.0.0.1:{proxy_port}{address.path or '/0'}",
        REDIS_PREFIX=f"tdtest:{port}:",
    )
    proc = tourdesk(["run"], env, tmp_path)
    try:
        assert await wait_http(f"http://127.0.0.1:{port}/healthz", limit=120) == 200
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 200
            proxy.stop()  # Redis is gone while the process runs
            async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
                assert response.status == 503
                body = json.loads(await response.text())
        assert body["status"] == "unavailable"
        assert any(reason.startswith("redis:") for reason in body["reasons"])
        assert not any(reason.startswith("database:") for reason in body["reasons"])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(proc.communicate, timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
