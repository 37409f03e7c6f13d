"""Log lines are logfmt: values with spaces, quotes, ``=`` or line breaks are quoted and
escaped, so a reader splitting on ``key=value`` gets back exactly what was logged."""

from __future__ import annotations

import io
import logging
import re

import pytest

from bots.logs import LogfmtFormatter, setup_logging

PAIR = re.compile(r'([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?: |$)')


def parse(line: str) -> dict[str, str]:
    """A strict logfmt reader: the whole line must be ``key=value`` pairs."""
    fields: dict[str, str] = {}
    position = 0
    while position < len(line):
        match = PAIR.match(line, position)
        assert match, f"not logfmt at {position}: {line[position:]!r} in {line!r}"
        value = match.group(2)
        if value.startswith('"'):
            value = re.sub(
                r"\\(.)",
                lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)),
                value[1:-1],
            )
        fields[match.group(1)] = value
        position = match.end()
    return fields


def logged(msg: str, *args: object, exc: bool = False) -> str:
    stream = io.StringIO()
    logger = logging.getLogger("tourdesk.test-logs")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LogfmtFormatter())
    logger.addHandler(handler)
    logger.propagate = False
    try:
        if exc:
            try:
                raise ValueError("boom")
            except ValueError:
                logger.exception(msg, *args)
        else:
            logger.warning(msg, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


@pytest.mark.parametrize(
    "value",
    ["Sunny Days Travel", 'say "hi"', "a=b", "", "line\nbreak", "back\\slash", "tab\there"],
)
def test_awkward_values_are_quoted_and_read_back(value: str) -> None:
    line = logged("started component=web host=%s port=%s", value, 8080).rstrip("\n")
    assert "\n" not in line
    fields = parse(line)
    assert fields["host"] == value
    assert fields["port"] == "8080" and fields["component"] == "web" and fields["msg"] == "started"
    assert fields["level"] == "WARNING" and fields["logger"] == "tourdesk.test-logs"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", fields["ts"])


def test_plain_values_stay_bare() -> None:
    line = logged("started component=scheduler worker=%s tick=%ss", "host:42:ab12cd", 0.5)
    assert line.rstrip().endswith("msg=started component=scheduler worker=host:42:ab12cd tick=0.5s")


def test_free_text_is_one_quoted_message() -> None:
    line = logged("viber webhook refused from %s: %s", "10.0.0.1", 'bad "signature"')
    assert parse(line.rstrip("\n"))["msg"] == 'viber webhook refused from 10.0.0.1: bad "signature"'
    line = logged("tourdesk is running; Ctrl-C or SIGTERM stops it")
    assert 'msg="tourdesk is running; Ctrl-C or SIGTERM stops it"' in line
    line = logged("payment callback failed provider=%s", "liq pay")
    assert parse(line.rstrip("\n"))["provider"] == "liq pay"


def test_a_traceback_follows_the_line() -> None:
    text = logged("job %s failed", 7, exc=True)
    first, *rest = text.splitlines()
    assert parse(first)["msg"] == "job 7 failed"
    assert rest[0] == "Traceback (most recent call last):" and rest[-1] == "ValueError: boom"


def test_setup_logging_uses_logfmt() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO", stream)
        logging.getLogger("tourdesk").info("startup component=agency name=%s", "Sunny Days")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    assert parse(stream.getvalue().rstrip("\n"))["name"] == "Sunny Days"
