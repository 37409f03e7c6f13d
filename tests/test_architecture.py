"""The house rules that keep the core channel-neutral."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("aiogram", "viberbot", "telegram", "aiohttp.web")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "aiohttp":
                names.update(f"aiohttp.{alias.name}" for alias in node.names)
    return names


def test_core_and_handlers_know_no_messenger_or_web_server() -> None:
    offenders = []
    for folder in ("core", "handlers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for name in imported_modules(path):
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


def test_the_checker_catches_a_leak(tmp_path: Path) -> None:
    leak = tmp_path / "leak.py"
    leak.write_text("from aiohttp import web\nimport aiogram.types\n")
    assert {"aiohttp.web", "aiogram.types"} <= imported_modules(leak)
