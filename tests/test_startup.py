"""What an operator sees when start-up goes wrong, or right: every wrong DATABASE_URL, a dead
Redis and a busy port end with one line naming the setting (exit 2, no traceback) for every
command that opens the database; ``tourdesk run`` logs one logfmt line per component."""

from __future__ import annotations

import asyncio
import signal
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from storage.db import redact_url
from tests.fakes import postgres_auth
from tests.support import backends
from tests.support.procs import clean_env, free_port, run_cli, tourdesk, wait_http

# every command that opens the database (the demo keeps its own SQLite file: see below)
DB_COMMANDS = [
    ["run"],
    ["migrate"],
    ["staff", "invite", "--role", "manager", "--name", "Iryna"],
    ["staff", "list"],
    ["clients", "erase", "--id", "1"],
    ["clients", "merge", "--from", "1", "--into", "2"],
    ["mailing", "list"],
    ["mailing", "send", "--text", "Hello"],
]


def problems(stderr: str) -> list[str]:
    """stderr without the log lines: what the operator is told."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("ts=")]


def assert_one_line(result_code: int, stderr: str, *needles: str) -> str:
    assert "Traceback" not in stderr, stderr
    lines = problems(stderr)
    assert len(lines) == 1, stderr
    assert result_code == 2, stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("command", DB_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_dead_database_port_is_one_line_for_every_command(
    command: list[str], tmp_path: Path
) -> None:
    url = f"postgres://agency:s3cret@127.0.0.1:{free_port()}/tourdesk"
    result = run_cli(command, clean_env(DATABASE_URL=url, HTTP_PORT=str(free_port())), tmp_path)
    line = assert_one_line(
        result.returncode, result.stderr, "DATABASE_URL", "connection refused", "127.0.0.1"
    )
    assert "s3cret" not in result.stderr + result.stdout  # never the password
    assert "not migrated" not in line


def pg_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not pg_reachable(), reason="needs the local PostgreSQL on 127.0.0.1:5432")
@pytest.mark.parametrize("command", [["migrate"], ["run"], ["staff", "list"]], ids=" ".join)
def test_a_missing_database_is_named(command: list[str], tmp_path: Path) -> None:
    name = f"tourdesk_absent_{uuid.uuid4().hex[:8]}"
    url = backends.pg_url(name)
    result = run_cli(command, clean_env(DATABASE_URL=url, HTTP_PORT=str(free_port())), tmp_path)
    assert_one_line(result.returncode, result.stderr, "DATABASE_URL", f'"{name}" does not exist')


def test_an_unknown_host_is_named(tmp_path: Path) -> None:
    url = "postgres://agency@db.invalid:5432/tourdesk"  # .invalid never resolves (RFC 2606)
    result = run_cli(["migrate"], clean_env(DATABASE_URL=url), tmp_path)
    assert_one_line(result.returncode, result.stderr, "DATABASE_URL", "host not found")


@pytest.mark.parametrize("command", [["migrate"], ["staff", "list"]], ids=" ".join)
def test_a_url_that_cannot_be_read_is_named(command: list[str], tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL="postgres://agency@127.0.0.1:fivefourthreetwo/tourdesk")
    result = run_cli(command, env, tmp_path)
    assert_one_line(result.returncode, result.stderr, "DATABASE_URL", "Port is not an integer")


@pytest.mark.parametrize("command", [["migrate"], ["run"], ["demo"]], ids=" ".join)
def test_an_unknown_scheme_is_named(command: list[str], tmp_path: Path) -> None:
    env = clean_env(DATABASE_URL="mysql://agency@db/tourdesk", TOURDESK_DATA_DIR=str(tmp_path))
    result = run_cli(command, env, tmp_path)
    assert_one_line(result.returncode, result.stderr, "DATABASE_URL", "sqlite://", "postgres://")


async def test_a_wrong_password_is_named(tmp_path: Path) -> None:
    # The local PostgreSQL trusts 127.0.0.1 and never checks passwords, so a server that
    # speaks the protocol and refuses the password (as a real one does) stands in for it.
    server, port = await postgres_auth.start()
    url = f"postgres://agency:wrong@127.0.0.1:{port}/tourdesk"
    try:
        for command in (["migrate"], ["staff", "list"], ["run"]):
            env = clean_env(DATABASE_URL=url, HTTP_PORT=str(free_port()))
            result = await asyncio.to_thread(run_cli, command, env, tmp_path)
            assert_one_line(
                result.returncode,
                result.stderr,
                "DATABASE_URL (postgres://agency@127.0.0.1:",
                'password authentication failed for user "agency"',
            )
            assert ":wrong@" not in result.stderr
    finally:
        server.close()


def test_the_demo_names_an_unusable_data_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    # a folder inside a file cannot exist
    env = clean_env(TOURDESK_DATA_DIR=str(blocker / "data"), HTTP_PORT=str(free_port()))
    result = run_cli(["demo"], env, tmp_path)
    assert_one_line(result.returncode, result.stderr, f"TOURDESK_DATA_DIR ({blocker / 'data'})")


def migrated_sqlite(tmp_path: Path) -> str:
    url = f"sqlite://{tmp_path}/desk.sqlite3"
    done = run_cli(["migrate"], clean_env(DATABASE_URL=url), tmp_path)
    assert done.returncode == 0, done.stderr
    return url


def test_a_busy_port_is_one_line(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = clean_env(DATABASE_URL=url, HTTP_HOST="127.0.0.1", HTTP_PORT=str(port))
        result = run_cli(["run"], env, tmp_path)
    line = assert_one_line(result.returncode, result.stderr, "HTTP_HOST/HTTP_PORT")
    assert line == f"tourdesk: HTTP_HOST/HTTP_PORT (127.0.0.1:{port}): address in use"


@pytest.mark.parametrize("command", [["run"], ["mailing", "list"]], ids=" ".join)
def test_redis_down_at_start_refuses_to_start(command: list[str], tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    dead = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    env = clean_env(DATABASE_URL=url, REDIS_URL=dead, HTTP_PORT=str(free_port()))
    result = run_cli(command, env, tmp_path)
    assert_one_line(result.returncode, result.stderr, "REDIS_URL (redis://127.0.0.1:")
    assert "hunter2" not in result.stderr


async def test_run_logs_one_line_per_component(tmp_path: Path) -> None:
    url = migrated_sqlite(tmp_path)
    port = free_port()
    (tmp_path / "tourdesk.toml").write_text('[agency]\nname = "Sunny Days Travel"\n')
    env = clean_env(
        DATABASE_URL=url,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        # Telegram on, polling a Bot API that is not there: it keeps retrying in the background
        TELEGRAM_TOKEN="123:secret-token",
        TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}",
        LIQPAY_PUBLIC_KEY="public",
        LIQPAY_PRIVATE_KEY="private-key",
        PAYMENTS_SANDBOX="false",
    )
    proc = tourdesk(["run"], env, tmp_path)
    try:
        assert await wait_http(f"http://127.0.0.1:{port}/healthz", limit=120) == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    startup = [
        line.split(" msg=startup ", 1)[1] for line in err.splitlines() if "msg=startup " in line
    ]
    assert startup[0] == f"component=database backend=sqlite url={url}"
    assert startup[1].startswith("component=redis backend=in-process reason=")
    assert f'component=web host=127.0.0.1 port={port} public_url="(not set)"' in startup[2]
    channels = [line for line in startup if line.startswith("component=channel")]
    assert channels[0].startswith("component=channel name=telegram state=on mode=polling")
    assert channels[1] == 'component=channel name=viber state=off reason="VIBER_TOKEN is not set"'
    assert channels[2] == 'component=channel name=mail state=off reason="SMTP_URL is not set"'
    assert channels[3] == 'component=channel name=sms state=off reason="TURBOSMS_TOKEN is not set"'
    assert len(channels) == 5
    assert channels[-1].startswith("component=channel name=console state=off reason=")
    providers = [line for line in startup if line.startswith("component=payments")]
    assert providers == [
        "component=payments provider=liqpay state=on sandbox=false",
        "component=payments provider=wayforpay state=off "
        'reason="WAYFORPAY_MERCHANT and WAYFORPAY_SECRET are not both set"',
        'component=payments provider=sandbox state=off reason="PAYMENTS_SANDBOX is not true"',
    ]
    assert 'component=agency name="Sunny Days Travel" currency=UAH' in startup
    assert "secret-token" not in err and "private-key" not in err


@pytest.mark.skipif(not backends.is_postgres(), reason="the password is in PostgreSQL URLs")
async def test_run_never_logs_the_database_password(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    password = urlsplit(db_url).password or "postgres"
    with_password = db_url if urlsplit(db_url).password else db_url.replace("@", f":{password}@", 1)
    env = clean_env(
        DATABASE_URL=with_password,
        REDIS_URL=backends.REDIS_URL,
        REDIS_PREFIX=f"tdtest:{port}:",
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
    )
    proc = tourdesk(["run"], env, tmp_path)
    try:
        assert await wait_http(f"http://127.0.0.1:{port}/healthz", limit=120) == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "component=database backend=postgresql url=postgres://postgres@127.0.0.1" in err
    assert "component=redis backend=redis url=redis://" in err
    assert f":{password}@" not in err


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgres://desk:s3cret@db:5432/tourdesk", "postgres://desk@db:5432/tourdesk"),
        ("postgres://desk:p@ss@db/tourdesk", "postgres://desk@db/tourdesk"),
        ("postgres://desk:s3cret@[::1]:5432/tourdesk", "postgres://desk@[::1]:5432/tourdesk"),
        ("redis://:s3cret@cache:6379/0", "redis://cache:6379/0"),
        ("sqlite://data/tourdesk.sqlite3", "sqlite://data/tourdesk.sqlite3"),
    ],
)
def test_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    assert redact_url(url) == shown
