"""``tourdesk mailing …``: every verb answers --help; bad input exits 2 with one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from storage.models import Client, Mailing, MailingStatus, MessengerAccount
from tests.support import procs

ROOT = Path(__file__).resolve().parent.parent


def run_cli(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return procs.run_cli(["mailing", *args], procs.clean_env(DATABASE_URL=db_url), tmp_path)


def one_line_error(done: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """Bad input exits 2; a refused operation (README "CLI") exits 1."""
    assert done.returncode == code, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


async def test_send_status_list_cancel(db_url: str, tmp_path: Path) -> None:
    client = await Client.create(first_name="Olena", marketing_consent=True)
    await MessengerAccount.create(channel="telegram", external_id="1", client=client)
    sent = run_cli(
        db_url,
        tmp_path,
        "send",
        "--text",
        "Hi {first_name}",
        "--text-uk",
        "Привіт, {first_name}",
        "--segment",
        "lead and lang=uk",
        "--at",
        "2099-01-01 12:00",
        "--rate",
        "25",
    )
    assert sent.returncode == 0, sent.stderr
    mailing_id = int(sent.stdout.strip())
    assert sent.stderr == f"tourdesk: mailing {mailing_id} starts 2099-01-01 12:00 Europe/Kyiv\n"
    mailing = await Mailing.get(id=mailing_id)
    assert mailing.status is MailingStatus.SCHEDULED
    assert mailing.texts == {"default": "Hi {first_name}", "uk": "Привіт, {first_name}"}
    assert (mailing.segment, mailing.rate) == ("lead and lang=uk", 25)
    status = run_cli(db_url, tmp_path, "status", str(mailing_id))
    assert status.returncode == 0, status.stderr
    assert f"mailing {mailing_id}: scheduled" in status.stdout
    assert "starts: 2099-01-01 12:00 Europe/Kyiv" in status.stdout  # as typed, agency time
    listed = run_cli(db_url, tmp_path, "list")
    assert listed.stdout == (
        f"{mailing_id}\tscheduled\t2099-01-01 12:00 Europe/Kyiv\tlead and lang=uk\n"
    )
    assert "status is scheduled" in one_line_error(
        run_cli(db_url, tmp_path, "pause", str(mailing_id)), code=1
    )
    done = run_cli(db_url, tmp_path, "cancel", str(mailing_id))
    assert done.stdout.strip() == f"mailing {mailing_id}: cancelled"
    assert (await Mailing.get(id=mailing_id)).status is MailingStatus.CANCELLED


async def test_list_says_when_there_is_nothing(db_url: str, tmp_path: Path) -> None:
    listed = run_cli(db_url, tmp_path, "list")
    assert (listed.returncode, listed.stdout) == (0, "")
    assert listed.stderr == "tourdesk: no mailings yet\n"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("send", "--text", "Hi {nme}"), "{nme}"),
        (("send", "--text", "Hi", "--segment", "age>20"), "position 4"),
        (("send", "--text", "Hi", "--at", "25:99"), "18:30"),
        (("send", "--text", "Hi", "--at", "2020-01-01 10:00"), "already passed"),
        (("send", "--text", "Hi", "--rate", "0"), "between 1 and 1,000"),
        (("send", "--text", "Hi", "--link", "nolabel"), "http(s) address: nolabel"),
        (("send", "--text", "Hi", "--segment", "@"), "A segment name is one word"),
        (("send", "--text", "Hi", "--segment", "orders >= 1 or x"), "position 13"),
        (("send", "--text", "Hi", "--rate", "fast"), "invalid int value"),
        (("send",), "--text"),
        (("status", "404"), "#404 was not found"),
        (("resume", "404"), "#404 was not found"),
        (("status", "x"), "invalid int value"),
        (("explode",), "invalid choice"),
        ((), "required"),
    ],
)
async def test_bad_input_exits_2_with_one_line(
    db_url: str, tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    assert says in one_line_error(run_cli(db_url, tmp_path, *args))
    assert await Mailing.all().count() == 0


def test_every_verb_answers_help(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/none.sqlite3"
    for verb in ((), ("send",), ("status",), ("pause",), ("resume",), ("cancel",), ("list",)):
        done = run_cli(url, tmp_path, *verb, "--help")
        assert done.returncode == 0, done.stderr
        assert "usage: " in done.stdout
    assert "--segment" in run_cli(url, tmp_path, "send", "--help").stdout


def test_at_is_agency_local_time_today_or_tomorrow() -> None:
    from datetime import UTC, datetime

    from bots.cli_mailing import BadInput, parse_at
    from core.rules import Rules

    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 12:00 in Kyiv
    rules = Rules()
    assert parse_at("18:30", now, rules) == datetime(2026, 11, 23, 16, 30, tzinfo=UTC)
    assert parse_at("09:00", now, rules) == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    summer = parse_at("2027-07-01 09:00", now, rules)  # summer time: UTC+3
    assert summer == datetime(2027, 7, 1, 6, 0, tzinfo=UTC)
    for bad in ("noon", "2027-13-01 09:00", "9"):
        with pytest.raises(BadInput):
            parse_at(bad, now, rules)
