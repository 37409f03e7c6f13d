"""The image installs the wheel built from this project (the same build context test_wheel
installs and runs), keeps its data in a volume that README's commands mount, and checks health
on the port it is configured to serve.

No Docker engine runs on CI (and Docker Hub is out of reach), so the Dockerfile is checked as
text here, and its HEALTHCHECK command is run for real against a local server.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import PurePosixPath

import pytest

from core.settings import DatabaseSettings
from tests.support.dockerfile import Stage, copied_sources, stages
from tests.support.procs import ROOT, free_port


def builder() -> Stage:
    (stage,) = (s for s in stages() if s.name == "builder")
    return stage


def runtime() -> Stage:
    return stages()[-1]


def test_builder_makes_the_wheel_from_every_package_the_project_ships() -> None:
    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    packages = {name.rstrip("*") for name in find["find"]["include"]}
    assert "locales" in packages
    copied = set(copied_sources(builder()))
    assert packages | {"pyproject.toml", "README.md"} <= copied
    assert any(re.search(r"pip wheel --no-deps .*\.$", run) for run in builder().args("RUN"))


def test_runtime_installs_that_wheel_not_the_source() -> None:
    stage = runtime()
    assert stage.name != "builder"
    assert copied_sources(stage) == []  # code reaches the runtime only inside the wheel
    assert any("--from=builder /wheels/" in c for c in stage.args("COPY"))
    runs = stage.args("RUN")
    installs = [r for r in runs if "pip install" in r]
    assert all("-e " not in r and "--editable" not in r and "pip install ." not in r for r in runs)
    wheel = [i for i, r in enumerate(installs) if re.search(r"pip install --no-deps \S+\.whl", r)]
    deps = [i for i, r in enumerate(installs) if "pip install -r" in r]
    assert wheel and deps and deps[0] < wheel[0]  # dependencies in an earlier, cached layer


def test_dependency_layer_depends_on_the_dependency_list_only() -> None:
    """Every COPY before the dependency install copies the requirements, nothing else."""
    kinds = [k for k, _ in runtime().instructions]
    args = [a for _, a in runtime().instructions]
    deps_at = next(i for i, a in enumerate(args) if "pip install -r" in a)
    copies = [args[i] for i in range(deps_at) if kinds[i] == "COPY"]
    assert copies == ["--from=builder /requirements.txt /tmp/requirements.txt"]
    # ...and the builder writes it from pyproject.toml before any source is copied.
    b = builder().instructions
    writes = next(i for i, (k, a) in enumerate(b) if k == "RUN" and "/requirements.txt" in a)
    assert "['project']['dependencies']" in b[writes][1]
    assert [a for k, a in b[:writes] if k == "COPY"] == ["pyproject.toml README.md ./"]


def data_volume() -> str:
    (volume,) = runtime().args("VOLUME")
    (path,) = re.findall(r'"([^"]+)"', volume)
    return path


def test_the_default_database_lives_in_the_volume() -> None:
    workdir = PurePosixPath(runtime().args("WORKDIR")[-1])
    url = DatabaseSettings.model_fields["database_url"].default
    db_file = workdir / url.removeprefix("sqlite://")
    assert str(db_file.parent) == data_volume()
    env = " ".join(runtime().args("ENV"))
    assert "DATABASE_URL" not in env  # the default is the one checked above
    assert f"TOURDESK_DATA_DIR={data_volume()}" in env


def test_readme_docker_commands_mount_the_volume() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^docker .*$", readme, re.M)
    (tag,) = [shlex.split(c)[3] for c in commands if c.startswith("docker build -t ")]
    runs = [shlex.split(c.split("#")[0]) for c in commands if c.startswith("docker run")]
    assert any("migrate" in r for r in runs) and any("migrate" not in r for r in runs)
    volumes = set()
    for words in runs:
        assert tag in words
        mounts = [words[i + 1] for i, w in enumerate(words) if w == "-v"]
        assert [m.split(":", 1)[1] for m in mounts] == [data_volume()], words
        volumes.add(mounts[0].split(":", 1)[0])
    assert len(volumes) == 1  # migrate migrates the database that run then uses


class _Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_port() -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


def healthcheck(http_port: int) -> int:
    (args,) = runtime().args("HEALTHCHECK")
    command = args[args.index("CMD ") + 4 :]
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")])
    env = {"PATH": path, "HTTP_PORT": str(http_port)}
    done = subprocess.run(["sh", "-c", command], env=env, capture_output=True, timeout=30)
    return done.returncode


def test_healthcheck_asks_the_configured_http_port(health_port: int) -> None:
    assert healthcheck(health_port) == 0
    assert healthcheck(free_port()) != 0  # nothing there: unhealthy, whatever 8080 is doing


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", "data", ".git"} <= ignored
