"""Start ``tourdesk`` (or a helper script) as a real process, as an operator would."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM", "VIBER", "REDIS", "DATABASE", "PUBLIC_URL", "LIQPAY"))
        and not k.startswith(("WAYFORPAY", "TOURDESK_CONFIG", "HTTP_", "TURBOSMS", "SMS_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def tourdesk(
    args: list[str], env: dict[str, str], cwd: Path, **kw: object
) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload]
        [sys.executable, "-m", "bots.cli", *args],
        env=env,
        cwd=cwd,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kw,
    )


async def wait_http(url: str, limit: float = 30) -> int:
    deadline = time.monotonic() + limit
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url) as response:
                    return response.status
            except aiohttp.ClientError:
                if time.monotonic() > deadline:
                    raise
                await _sleep(0.1)


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def wait_until(
    done: Callable[[], Awaitable[bool]], procs: list[subprocess.Popen[bytes]], limit: float = 300
) -> None:
    """Poll ``done`` until it holds; fail at once if a worker process exits on its own (and
    after ``limit`` seconds rather than hang: a bound, not a measure of speed)."""
    deadline = time.monotonic() + limit
    while not await done():
        exited = [p.args for p in procs if p.poll() is not None]
        assert not exited, f"a worker exited before the work was done: {exited}"
        assert time.monotonic() < deadline, "the work was not done"
        await asyncio.sleep(0.1)


async def stop(proc: subprocess.Popen[bytes]) -> int:
    """Ask a worker process to stop (SIGTERM) and return its exit code."""
    proc.send_signal(signal.SIGTERM)
    return await asyncio.to_thread(proc.wait, 60)


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """``tourdesk ARGS`` run to its end in ``cwd`` with ``env`` (see :func:`clean_env`)."""
    return subprocess.run(
        [sys.executable, "-m", "bots.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
