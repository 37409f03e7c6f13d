"""Linking staff by one-time invite (CLI and chat), refusing bad codes, listing and revoking."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from pathlib import Path

from core.clock import ManualClock
from core.contract import Reply
from core.rules import Rules
from core.services import Services
from core.staff import invites
from handlers.router import Router
from storage.models import (
    AuditEntry,
    MessengerAccount,
    OutboxMessage,
    OutboxStatus,
    Role,
    Staff,
    StaffInvite,
)
from tests.support import procs
from tests.support.channels import Channel
from tests.support.chat import chat_for
from tests.support.factories import make_client, make_staff

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"code: (TD[A-Z0-9]{12})")


def run_cli(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "tourdesk.toml"
    config.write_text('[agency]\ntelegram_bot = "tourdesk_test_bot"\n', encoding="utf-8")
    env = procs.clean_env(DATABASE_URL=db_url, TOURDESK_CONFIG=str(config))
    return procs.run_cli(["staff", *args], env, tmp_path)


async def test_cli_invite_prints_a_code_that_links_an_account(
    services: Services, router: Router, db_url: str, tmp_path: Path
) -> None:
    done = run_cli(db_url, tmp_path, "invite", "--role", "manager", "--name", "Ivan Franko")
    assert done.returncode == 0, done.stderr
    code = CODE.search(done.stdout)
    assert code is not None, done.stdout
    assert f"https://t.me/tourdesk_test_bot?start={code[1]}" in done.stdout

    chat = chat_for(services, router, "tg-ivan", channel=Channel.TELEGRAM, language="uk")
    await chat.start(code[1])  # the deep link opens the bot with /start <code>
    assert "Вітаємо в команді, Ivan Franko" in chat.text
    assert "Робоче місце" in chat.text
    staff = await Staff.get(name="Ivan Franko")
    assert staff.role is Role.MANAGER and staff.active and staff.locale == "uk"
    account = await MessengerAccount.get(channel="telegram", external_id="tg-ivan")
    assert account.staff_id == staff.id
    invite = await StaffInvite.get(code=code[1])
    assert invite.used_at is not None and invite.staff_id == staff.id

    listed = run_cli(db_url, tmp_path, "list")
    assert re.search(rf"^{staff.id}\tmanager\tactive\tIvan Franko\ttelegram$", listed.stdout, re.M)
    gone = run_cli(db_url, tmp_path, "revoke", str(staff.id))
    assert gone.returncode == 0 and "revoked" in gone.stdout
    assert not (await Staff.get(id=staff.id)).active
    again = run_cli(db_url, tmp_path, "revoke", str(staff.id))
    assert again.returncode == 1 and "already revoked" in again.stderr
    await chat.say("/orders")  # no longer staff: an unknown command for them
    assert "Робоче місце" not in chat.text


def test_cli_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    done = run_cli(f"sqlite://{tmp_path}/empty.sqlite3", tmp_path, "list")
    assert done.returncode == 2
    assert "tourdesk migrate" in done.stderr


async def test_a_code_sent_as_text_links_a_viber_account(
    services: Services, router: Router
) -> None:
    made = await invites.create_invite(
        services.rules, services.clock.now(), Role.ACCOUNTANT, "Lesya"
    )
    assert made.link is None  # no telegram_bot configured
    chat = chat_for(services, router, "vb-lesya", channel=Channel.VIBER, language="ru")
    await chat.start()
    await chat.say(f"  {made.code.lower()} ")  # the language picker is showing; still a code
    assert "Добро пожаловать в команду, Lesya" in chat.text
    assert "💸 Должники" in chat.labels()
    assert "➕ Новый заказ" not in chat.labels()  # an accountant does not create orders
    assert await AuditEntry.exists(action="staff.joined")


async def test_expired_and_reused_and_unknown_codes_are_refused(
    services: Services, router: Router, clock: ManualClock
) -> None:
    old = await invites.create_invite(services.rules, clock.now(), Role.MANAGER, "Old", hours=48)
    fresh = await invites.create_invite(services.rules, clock.now(), Role.MANAGER, "Fresh")
    clock.advance(timedelta(hours=47))
    first = chat_for(services, router, "first")
    await first.say(fresh.code)
    assert "Welcome to the team, Fresh" in first.text

    second = chat_for(services, router, "second")
    await second.say(fresh.code)
    assert "already been used" in second.text
    clock.advance(timedelta(hours=2))
    await second.start(old.code)
    assert "has expired" in second.text
    await second.say("TD" + "A" * 12)
    assert "not valid" in second.text
    assert await Staff.all().count() == 1
    assert (await StaffInvite.get(code=old.code)).used_at is None
    refused = await AuditEntry.filter(action="staff.invite-refused")
    assert sorted(e.details["reason"] for e in refused) == [
        "st-invite-expired",
        "st-invite-unknown",
        "st-invite-used",
    ]
    await first.say(old.code)  # already staff: refused without using the code
    assert "already linked" in first.text


async def test_an_admin_invites_in_chat_with_a_deep_link(
    services: Services, router: Router
) -> None:
    services.rules = Rules(channels={"telegram": {"bot": "@agency_bot"}})
    await make_staff(Role.ADMIN, "boss")
    admin = chat_for(services, router, "boss")
    await admin.start()
    await admin.press("Team")
    await admin.press("Invite")
    await admin.press("manager")
    await admin.say("Taras")
    code = re.search(r"Code: (TD\w+)", admin.text)
    assert code is not None
    assert f"https://t.me/agency_bot?start={code[1]}" in admin.text
    assert await AuditEntry.exists(action="staff.invite", actor__startswith="staff:")
    newcomer = chat_for(services, router, "taras")
    await newcomer.start(code[1])
    assert "Welcome to the team, Taras" in newcomer.text


async def test_a_revoked_member_loses_everything_at_once(
    services: Services, router: Router
) -> None:
    boss, _ = await make_staff(Role.ADMIN, "boss", name="Boss")
    manager, account = await make_staff(Role.MANAGER, "mgr", name="Marta")
    await make_client("+380671234567", "Olena")
    pending = await services.outbox.enqueue(account, Reply("a note queued for Marta"))
    assert pending is not None
    marta = chat_for(services, router, "mgr")
    await marta.say("/neworder")  # in the middle of a wizard when it happens
    assert "client's phone" in marta.text

    admin = chat_for(services, router, "boss")
    await admin.say("/team")
    assert "Marta" in admin.text
    assert "Revoke Boss" not in " ".join(admin.labels())  # not oneself
    await admin.press("Revoke Marta")
    await admin.press("Yes, revoke")
    assert "Marta no longer has staff access" in admin.text
    member = await Staff.get(id=manager.id)
    assert not member.active and member.revoked_at is not None
    assert (await OutboxMessage.get(id=pending.id)).status is OutboxStatus.CANCELLED

    await marta.say("0671234567")  # the wizard's next answer: now unknown input
    assert "did not understand" in marta.text
    assert "Staff desk" not in marta.text
    await marta.say("/orders")
    assert "Staff desk" not in marta.text and "Orders" not in marta.text
    await admin.say(f"/revoke {boss.id}")
    assert "cannot revoke yourself" in admin.text
