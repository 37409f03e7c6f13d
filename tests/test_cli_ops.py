"""The ``tourdesk`` command as an operator meets it: a help line per verb, ``--help`` on every
verb, one line and exit code 2 for bad input, ``migrate`` naming what it applied, and ``staff
invite`` naming the database it wrote to."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bots.cli import main
from storage.db import redact_url
from tests.support import backends
from tests.support.procs import clean_env, run_cli

VERBS = ["run", "migrate", "demo", "staff", "clients", "mailing"]
EVERY_VERB = [
    ["run"],
    ["migrate"],
    ["demo"],
    ["staff"],
    ["staff", "invite"],
    ["staff", "list"],
    ["staff", "revoke"],
    ["clients"],
    ["clients", "merge"],
    ["clients", "erase"],
    ["mailing"],
    ["mailing", "send"],
    ["mailing", "status"],
    ["mailing", "pause"],
    ["mailing", "resume"],
    ["mailing", "cancel"],
    ["mailing", "list"],
]


def test_top_level_help_describes_each_verb(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "as the issues ask" not in out
    for verb in VERBS:
        described = re.search(rf"^\s+{verb}\s+(\S.+)$", out, re.MULTILINE)
        assert described, f"{verb} has no line of its own in:\n{out}"
        assert len(described.group(1)) > 15
    assert "Exit codes" in out


@pytest.mark.parametrize("verb", EVERY_VERB, ids=" ".join)
def test_every_verb_answers_help(verb: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*verb, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: tourdesk {' '.join(verb)}")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        ([], "required: VERB"),
        (["bogus"], "invalid choice: 'bogus'"),
        (["staff"], "required: VERB"),
        (["staff", "invite", "--role", "boss", "--name", "Iryna"], "invalid choice: 'boss'"),
        (["staff", "invite", "--role", "manager"], "required: --name"),
        (["staff", "invite", "--role", "manager", "--name", " "], "must not be empty"),
        (["staff", "invite", "--role", "manager", "--name", "I", "--hours", "0"], "1..720"),
        (["staff", "invite", "--role", "manager", "--name", "I", "--hours", "x"], "whole number"),
        (["staff", "revoke", "seven"], "invalid int value"),
        (["clients", "erase"], "one of the arguments --id --phone is required"),
        (["mailing", "status", "abc"], "invalid int value"),
        (["demo", "--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("tourdesk") and said in lines[0]
    assert captured.out == ""


def fresh_database(tmp_path: Path) -> str:
    if backends.is_postgres():
        name = asyncio.run(backends.create_pg_database())
        return backends.pg_url(name)
    return f"sqlite://{tmp_path}/desk.sqlite3"


def drop(url: str) -> None:
    if backends.is_postgres():
        asyncio.run(backends.drop_pg_database(url.rpartition("/")[2]))


def test_migrate_names_what_it_applied_then_says_up_to_date(tmp_path: Path) -> None:
    url = fresh_database(tmp_path)
    try:
        first = run_cli(["migrate"], clean_env(DATABASE_URL=url), tmp_path)
        assert first.returncode == 0, first.stderr
        assert "up to date" not in first.stdout
        applied = first.stdout.strip()
        assert applied.startswith("applied ") and "0001_initial" in applied
        assert "0009_broadcast" in applied and "0002_indexes, 0003_identity" in applied
        second = run_cli(["migrate"], clean_env(DATABASE_URL=url), tmp_path)
        assert second.returncode == 0, second.stderr
        assert second.stdout.strip().endswith("is already up to date")
        assert "applied" not in second.stdout
    finally:
        drop(url)


def test_staff_invite_names_the_database_and_prints_the_code(tmp_path: Path) -> None:
    url = fresh_database(tmp_path)
    (tmp_path / "tourdesk.toml").write_text('[channels.telegram]\nbot = "sunny_desk_bot"\n')
    try:
        assert run_cli(["migrate"], clean_env(DATABASE_URL=url), tmp_path).returncode == 0
        # the operator's URL may carry a password (the test PostgreSQL's does): never printed
        args = ["staff", "invite", "--role", "manager", "--name", "Iryna", "--hours", "12"]
        result = run_cli(args, clean_env(DATABASE_URL=url), tmp_path)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "invite for Iryna (manager), valid until" in out
        assert f"database: {redact_url(url)}" in out.splitlines()
        code = re.search(r"^code: (\S+)", out, re.MULTILINE)
        assert code, out
        assert f"link: https://t.me/sunny_desk_bot?start={code.group(1)}" in out
        password = urlsplit(url).password
        assert password is None or f":{password}@" not in out
        listed = run_cli(["staff", "list"], clean_env(DATABASE_URL=url), tmp_path)
        assert listed.returncode == 0 and listed.stdout == "", listed.stderr  # not joined yet
        # ... and says so on stderr, with the invite waiting to be used
        assert (
            listed.stderr.strip()
            == "no staff members yet; open invites not used yet: Iryna (manager)"
        )
    finally:
        drop(url)


def test_an_unmigrated_database_is_named(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/never-migrated.sqlite3"
    result = run_cli(["staff", "list"], clean_env(DATABASE_URL=url), tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"tourdesk: DATABASE_URL ({url}): the database is not migrated")
    assert "0001_initial" in line and line.endswith("run `tourdesk migrate`")
