"""``tourdesk clients erase`` as an operator runs it: --help, one-line refusals of bad input
(exit 2), an unknown client and open money (exit 1), a forced erasure with a reason, and a
harmless second run (exit 0)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from core.contract import Address
from core.services import Services
from core.settings import Settings
from core.state import State
from storage.models import AuditEntry, Client, MessengerAccount, Order, OutboxMessage
from tests.support import procs
from tests.support.channels import Channel

PHONE = "+380979876543"


def run(settings: Settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = procs.clean_env(DATABASE_URL=settings.database.database_url)
    if settings.redis.redis_url:
        env.update(REDIS_URL=settings.redis.redis_url, REDIS_PREFIX=settings.redis.redis_prefix)
    return procs.run_cli(["clients", "erase", *args], env, tmp_path)


def one_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1 and "Traceback" not in text


async def test_cli_erase(services: Services, settings: Settings, tmp_path: Path) -> None:
    client = await Client.create(
        phone=PHONE, first_name="Zoryana", last_name="Kvitkovska", locale="ru"
    )
    await MessengerAccount.create(channel="console", external_id="zk", client=client)
    await Order.create(
        number="T-0001", client=client, destination="Crete", price=100_00, currency="UAH"
    )
    address = Address(Channel.CONSOLE, "zk")
    await services.states.save(address, State("tour.wishes", {"wishes": f"call {PHONE}"}))

    helped = run(settings, tmp_path, "--help")
    assert helped.returncode == 0
    assert all(flag in helped.stdout for flag in ("--id", "--phone", "--force", "--reason"))

    for bad in (
        [],  # neither --id nor --phone
        ["--id", "1", "--phone", PHONE],
        ["--id", "one"],
        ["--phone", "not a phone"],
        ["--id", str(client.id), "--force"],  # forcing without a reason
        ["--id", str(client.id), "--force", "--reason", "x" * 501],
    ):
        done = run(settings, tmp_path, *bad)
        assert done.returncode == 2, (bad, done.stderr)
        assert one_line(done.stderr), (bad, done.stderr)

    unknown = run(settings, tmp_path, "--id", "999")
    assert unknown.returncode == 1 and "No such client" in unknown.stderr

    refused = run(settings, tmp_path, "--phone", "097 987 65 43")
    assert refused.returncode == 1 and one_line(refused.stderr)
    assert "money is still open" in refused.stderr and "T-0001" in refused.stderr
    assert "--force --reason" in refused.stderr
    assert (await Client.get(id=client.id)).phone == PHONE  # nothing changed

    forced = run(settings, tmp_path, "--phone", PHONE, "--force", "--reason", "Written request")
    assert forced.returncode == 0, forced.stderr
    assert f"client #{client.id} erased (forced)" in forced.stdout

    gone = await Client.get(id=client.id)
    assert (gone.phone, gone.first_name) == (None, f"Erased client #{client.id}")
    assert await MessengerAccount.filter(client_id=client.id).count() == 0
    assert (await services.states.load(address)).data == {}
    farewell = await OutboxMessage.get(kind="erasure-done")
    assert "Ваши персональные данные удалены" in farewell.body["text"]
    entry = await AuditEntry.get(action="client.erased")
    assert entry.actor == "cli" and entry.details["reason"] == "Written request"
    assert entry.details["forced"] is True

    again = run(settings, tmp_path, "--id", str(client.id))
    assert again.returncode == 0 and "already erased" in again.stdout
    assert await AuditEntry.filter(action="client.erased").count() == 1
