"""A script read by the console at once (not a terminal) waits, before each line, until what
the last line caused has been delivered: the runtime's own delivery worker and job runner, on
either database backend, push the held message before the line pressing its button is read."""

from __future__ import annotations

import io

from bots.app import Runtime
from bots.console import NAME, ConsoleChannel
from core.contract import Incoming, Reply
from core.services import Services
from core.staff import invites
from handlers.router import Router
from storage.models import HeldMessage, OutboxMessage, OutboxStatus, Role
from tests.support.demo_script import held_message_script


async def test_each_line_of_a_script_waits_for_what_the_last_one_pushed(
    services: Services, router: Router
) -> None:
    made = await invites.create_invite(services.rules, services.clock.now(), Role.MANAGER, "Iryna")
    script = io.StringIO(held_message_script(made.code))
    out = io.StringIO()
    runtime: Runtime

    async def dispatcher(incoming: Incoming) -> list[Reply]:
        return await runtime.dispatch(incoming)

    console = ConsoleChannel(
        dispatcher,
        texts=services.translator(services.rules.agency.default_locale),
        stdin=script,
        stdout=out,
        settle=lambda: runtime.settle([NAME]),
    )
    runtime = Runtime(
        services, router=router, extra_channels=[console], with_messengers=False, tick_seconds=0.5
    )
    assert not console.interactive
    await runtime.start_workers()
    try:
        await console.run()
    finally:
        await runtime.stop()
    printed = out.getvalue()
    assert await HeldMessage.filter(handed_at__isnull=False).count() == 1
    assert printed.index("[/9] ↩️") < printed.index("iryna> /9"), printed
    assert "(отримувач: tourist)" in printed  # /9 pressed Reply: the answer prompt
    assert printed.rstrip().endswith("Yes, booked."), printed[-400:]
    # nothing left unsent for the console when the script ended
    unsent = OutboxMessage.filter(channel=NAME, status__in=(OutboxStatus.PENDING,))
    assert await unsent.count() == 0
