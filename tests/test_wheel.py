"""The package is the product: the wheel, installed into a fresh venv (no editable install, no
PYTHONPATH, not run from the source tree), talks to a person in their language, and a broken
install stops with one line instead of showing message keys.

Building and installing takes a while (the dependencies come from pip's cache), so the venv is
built once per session and the demo runs from a directory of its own. The demo always uses
SQLite, so the test runs in the SQLite pass of `make test` only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.support.backends import BACKEND
from tests.support.dockerfile import copied_sources, stages
from tests.support.procs import ROOT, free_port

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BACKEND != "sqlite", reason="backend-independent: runs in the sqlite pass"),
]

SCRIPT = "/start\n/2\n/1\n+380 67 123 45 67\n/1\n/5\n"
KEY_LIKE = re.compile(r"-?[a-z][a-z0-9]*(?:-[a-z0-9]+)+")


def message_keys() -> set[str]:
    """Every key of every shipped catalogue (read from the source tree, by their own syntax)."""
    found: set[str] = set()
    for path in (ROOT / "locales").glob("*/*.ftl"):
        found |= set(re.findall(r"^(-?[a-z][a-z0-9-]*) *=", path.read_text("utf-8"), re.M))
    return found


def run(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=540, cwd=cwd, env=env)
    assert done.returncode == 0, f"{cmd}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel built from this tree (returns the venv's folder)."""
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    # Built from exactly what the Dockerfile's builder stage copies, so the image's wheel is
    # this wheel (test_dockerfile checks the runtime stage installs it).
    src = base / "src"
    src.mkdir()
    (builder,) = (s for s in stages() if s.name == "builder")
    for name in copied_sources(builder):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(src)])
    wheels = list(dist.glob("tourdesk-*.whl"))
    assert len(wheels) == 1, wheels
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    run([*pip, "--python", str(env_dir / "bin" / "python"), "install", "--quiet", str(wheels[0])])
    return env_dir


def demo(env_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL"}
        and not k.startswith(("TELEGRAM", "VIBER", "HTTP_", "TOURDESK_"))
    }
    env.update(HTTP_PORT=str(free_port()), PYTHONUNBUFFERED="1", PATH=str(env_dir / "bin"))
    return subprocess.run(
        [str(env_dir / "bin" / "tourdesk"), "demo"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def site_locales(env_dir: Path) -> Path:
    (folder,) = env_dir.glob("lib/python3*/site-packages/locales")
    return folder


def test_installed_wheel_speaks_from_another_directory(installed: Path, tmp_path: Path) -> None:
    assert not list(installed.glob("lib/python3*/site-packages/__editable__*"))
    done = demo(installed, tmp_path)
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Оберіть мову" in out  # the first screen, in the agency's language (uk)
    assert "Language changed to English." in out
    assert "You are registered with us now." in out
    seen = {word for word in KEY_LIKE.findall(out + done.stderr)}
    assert not seen & message_keys(), f"message keys shown: {sorted(seen & message_keys())}"
    assert "Traceback" not in out + done.stderr
    assert (tmp_path / "data" / "demo.sqlite3").exists()  # relative to where it was started


def test_installed_wheel_finds_its_memos(installed: Path, tmp_path: Path) -> None:
    code = "from core.reminders.memos import load_memo; print(load_memo('', 'en', 'TR'))"
    done = run([str(installed / "bin" / "python"), "-c", code], cwd=tmp_path, env={})
    assert "Turkey" in done.stdout, done.stdout


def test_installed_wheel_finds_its_page_templates(installed: Path, tmp_path: Path) -> None:
    code = (
        "from core.payments.pages import environment; "
        "print(environment().get_template('message.html').render(lang='en', agency='A & B', "
        "contacts=[], title='Paid', tone='ok', what=None, amount='$5.00', text='t', back='b'))"
    )
    done = run([str(installed / "bin" / "python"), "-c", code], cwd=tmp_path, env={})
    assert '<meta name="viewport"' in done.stdout and "A &amp; B" in done.stdout, done.stdout
    assert "<h1>Paid</h1>" in done.stdout and '<p class="amount">$5.00</p>' in done.stdout


def test_incomplete_or_missing_catalogue_stops_start_up(installed: Path, tmp_path: Path) -> None:
    """A broken install (a catalogue losing keys, or a locale's folder gone) says which, once."""
    broken = tmp_path / "venv"
    shutil.copytree(installed, broken, symlinks=True)
    # The copy's scripts point at the original interpreter path: rewrite their shebangs.
    for script in (broken / "bin").iterdir():
        if script.is_file() and not script.is_symlink():
            body = script.read_bytes()
            script.write_bytes(body.replace(bytes(installed), bytes(broken)))
    ru = site_locales(broken) / "ru"
    main = ru / "main.ftl"
    text = main.read_text("utf-8")
    main.write_text(re.sub(r"^start-greeting *=.*$", "", text, count=1, flags=re.M), "utf-8")
    (tmp_path / "run").mkdir()

    done = demo(broken, tmp_path / "run")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "'ru'" in lines[0] and "start-greeting" in lines[0]
    assert "Оберіть мову" not in done.stdout

    shutil.rmtree(ru)
    done = demo(broken, tmp_path / "run")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "tourdesk: configuration error: locale 'ru' has no catalogue (no locales/ru/*.ftl)"
    ]
