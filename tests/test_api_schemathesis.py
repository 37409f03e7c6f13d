"""Property-based: schemathesis generates requests from ``/api/v1/openapi.json`` (valid ones,
and invalid ones) and sends them to a real ``tourdesk run`` process on PostgreSQL + Redis.
Every answer must be below 500 and conform to the document: a documented status, its content
type, its headers and its schema. Bounded (a few examples per operation) so it takes about a
minute."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from storage.models import AuditEntry, Mailing, Role, TourRequest
from tests.support import backends
from tests.support.factories import make_client_account, make_order, make_staff
from tests.support.procs import clean_env, free_port, tourdesk, wait_http

pytestmark = pytest.mark.skipif(
    not backends.is_postgres(), reason="runs against PostgreSQL (TOURDESK_TEST_BACKEND=postgres)"
)

TOKEN = "schemathesis-operator-token"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@schemathesis.serializer("text/csv", XLSX)
def _file(ctx: object, value: object) -> bytes:
    """Uploads are sent as they were generated (text as UTF-8)."""
    return value if isinstance(value, bytes) else str(value).encode()


EXAMPLES = 5  # per operation and mode: bounded, about a minute in all
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[str]:
    """``tourdesk run`` as an operator starts it, on this test's database."""
    port = free_port()
    config = tmp_path / "tourdesk.toml"
    config.write_text("[api]\nrate_per_minute = 1000000\n", encoding="utf-8")
    env = clean_env(
        DATABASE_URL=db_url,
        REDIS_URL=backends.REDIS_URL,
        REDIS_PREFIX=f"tdschema{port}:",
        ADMIN_TOKEN=TOKEN,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        PAYMENTS_SANDBOX="true",
        TOURDESK_CONFIG=str(config),
    )
    proc = tourdesk(["run"], env, tmp_path)
    try:
        try:
            asyncio.run(wait_http(f"http://127.0.0.1:{port}/healthz", limit=90))
        except Exception:
            proc.terminate()
            raise AssertionError(f"tourdesk run did not start: {proc.communicate()[1]}") from None
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


async def seed() -> None:
    """A little of everything, so generated ids sometimes hit real rows."""
    manager, _ = await make_staff(Role.MANAGER, name="Ivan")
    client, _ = await make_client_account(consent=True)
    await make_order(client, departure=date.today() + timedelta(days=30), manager=manager)
    await TourRequest.create(number="R-0001", client=client, destination="Egypt")
    await Mailing.create(texts={"default": "Hi"})


async def test_every_response_conforms_and_none_is_a_server_error(server: str) -> None:
    await seed()
    schema = schemathesis.openapi.from_url(f"{server}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    headers = {"Authorization": f"Bearer {TOKEN}"}
    session = requests.Session()

    def run() -> None:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    database=None,
                    derandomize=True,
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=operation.as_strategy(generation_mode=mode))
                def check(case: schemathesis.Case) -> None:
                    response = case.call(base_url=server, headers=headers, session=session)
                    case.validate_response(response, checks=CHECKS, headers=headers)

                check()

    await asyncio.to_thread(run)
    # the requests really reached the app (each one audited under the operator's name)
    sent = await AuditEntry.filter(action="api.request", actor="api:@operator").count()
    assert sent >= len(operations) * 2
