"""The README's two-sided demo, as a newcomer runs it: an invite made with ``tourdesk staff
invite`` for the demo database, the manager and the tourist played in one ``tourdesk demo``
terminal, and the buttons of PUSHED messages (a relayed client message arriving for the
manager, the manager's answer arriving for the tourist) pressed with ``/N`` — typed line by
line, and piped as one script."""

from __future__ import annotations

import os
import re
import select
import subprocess
import time
from pathlib import Path

from tests.support.demo_script import held_message_script
from tests.support.procs import clean_env, free_port, run_cli, tourdesk


def read_until_more(proc: subprocess.Popen[str], pending: str, needle: str, timeout: float) -> str:
    """Read the demo's output until ``needle`` shows after what is already ``pending``."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    got = b""
    deadline = time.monotonic() + timeout
    while needle not in pending + got.decode(errors="replace"):
        assert time.monotonic() < deadline and proc.poll() is None, (
            f"never saw {needle!r}; got:\n{pending}{got.decode(errors='replace')}"
        )
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            got += os.read(fd, 65536)
    return got.decode(errors="replace")


def pushed_button(printed: str, user: str, label: str) -> str:
    """``/N`` of the button ``label`` in the last message pushed to ``user``."""
    block = printed.rsplit(f"[повідомлення; отримувач: {user}]", 1)[1]
    found = re.findall(r"\[(/\d+)\] [^\n]*" + re.escape(label), block)
    assert found, f"no {label!r} button pushed to {user}:\n{block}"
    return str(found[0])


def invited(tmp_path: Path) -> tuple[dict[str, str], str]:
    """The demo's environment, and the code of a manager invite in its database."""
    data = tmp_path / "data"
    env = clean_env(TOURDESK_DATA_DIR=str(data), HTTP_PORT=str(free_port()))
    demo_db = {"DATABASE_URL": f"sqlite://{data}/demo.sqlite3"}
    assert run_cli(["migrate"], env | demo_db, tmp_path).returncode == 0
    invite = run_cli(
        ["staff", "invite", "--role", "manager", "--name", "Iryna"], env | demo_db, tmp_path
    )
    assert invite.returncode == 0, invite.stderr
    assert f"database: sqlite://{data}/demo.sqlite3" in invite.stdout
    code = re.search(r"^code: (\S+)", invite.stdout, re.MULTILINE)
    assert code
    return env, code.group(1)


def test_a_piped_script_presses_the_button_of_a_message_pushed_by_its_last_line(
    tmp_path: Path,
) -> None:
    """The whole script at once, as ``printf … | tourdesk demo``: the held message handed to
    the manager on joining must be on her screen before ``/9`` is read (the desk is /1../8)."""
    env, code = invited(tmp_path)
    script = held_message_script(code)
    demo = tourdesk(["demo"], env, tmp_path, stdin=subprocess.PIPE)
    out, err = demo.communicate(script, timeout=120)
    assert demo.returncode == 0, err
    assert "Traceback" not in out + err
    assert "✉️ Your message is saved" in out  # it was held
    assert "  [/8] 💼 Моя комісія\n" in out  # the desk ends at /8
    pushed = out.index("[/9] ↩️ Відповісти")
    assert pushed < out.index("iryna> /9"), "the pushed message came after /9 was read"
    assert "Напишіть відповідь (отримувач: tourist)" in out
    assert "✅ Відповідь надіслано (отримувач: tourist)." in out
    assert out.rstrip().endswith("💬 Manager Iryna:\n\nYes, booked."), out[-400:]
    # the console's own words are in the demo's (the agency's) Ukrainian, like its desk
    assert "(тепер ви — iryna)" in out and "[повідомлення; отримувач: iryna]" in out
    assert "you are now" not in out and "message for" not in out


def test_buttons_of_pushed_messages_are_pressed_in_the_demo(tmp_path: Path) -> None:
    env, invite_code = invited(tmp_path)

    demo = tourdesk(["demo"], env, tmp_path, stdin=subprocess.PIPE)
    assert demo.stdin is not None

    def say(*lines: str) -> None:
        assert demo.stdin is not None
        demo.stdin.write("".join(f"{line}\n" for line in lines))
        demo.stdin.flush()

    seen = ""
    mark = 0  # what was already waited for; each wait looks past it

    def wait_for(needle: str, timeout: float = 60) -> None:
        nonlocal seen, mark
        if needle not in seen[mark:]:
            seen += read_until_more(demo, seen[mark:], needle, timeout)
        mark = seen.index(needle, mark) + len(needle)

    try:
        say(":user iryna", invite_code)
        wait_for("Нове замовлення", timeout=120)  # the desk, in the agency's Ukrainian
        say("/99")  # no such button: the console says so, the bot never sees "/99"
        wait_for("(на екрані користувача iryna немає кнопки /99)")  # in the demo's Ukrainian
        say(":user tourist", "/start", "/2", "/1", "+380671234567", "/1")
        wait_for("You will receive our offers and news.")
        wait_for("Contact manager")
        contact = re.findall(r"\[(/\d+)\] 💬 Contact manager", seen)[-1]
        say(contact)
        wait_for("your manager")
        say("Can we have a sea view?")
        wait_for("[повідомлення; отримувач: iryna]")
        wait_for("Can we have a sea view?")
        # the manager's own screen still shows the desk (/1../N); the pushed message's
        # button is numbered after them and pressed the same way
        reply = pushed_button(seen, "iryna", "Відповісти")
        desk = re.findall(r"\[/(\d+)\]", seen[: seen.index("Нове замовлення") + 200])
        assert int(reply[1:]) > max(int(n) for n in desk)
        say(":user iryna", reply)
        wait_for("Напишіть відповідь (отримувач: tourist)")
        say("Yes, booked.")
        wait_for("[повідомлення; отримувач: tourist]")
        wait_for("Yes, booked.")
        out, err = demo.communicate("", timeout=120)
    finally:
        if demo.poll() is None:
            demo.kill()
    seen += out
    assert demo.returncode == 0, err
    assert "Traceback" not in seen + err
    assert seen.count("Can we have a sea view?") >= 2  # typed, then pushed to the manager
    assert "💬 Manager Iryna:" in seen
    assert "не вдалося зрозуміти" not in seen and "could not understand" not in seen
