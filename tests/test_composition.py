"""Routers are composed in one place (handlers.build_router); importing a module registers
nothing anywhere, and the flows import each other without circles."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.contract import Reply
from handlers import build_router
from handlers.context import Context
from handlers.router import Router

ROOT = Path(__file__).resolve().parent.parent

# Run in a fresh interpreter: import every module of core/, handlers/ and bots/ (in the order
# given), snapshot every module-level list, dict, set and router, build the root router twice,
# and print whether anything changed and what the tree looks like.
PROBE = r"""
import importlib, json, re, sys
from handlers.router import Router

names, build_first = json.loads(sys.argv[1]), sys.argv[2] == "build-first"

def plain(value):
    if isinstance(value, Router):
        return plain(value.describe())
    if isinstance(value, dict):
        return [[plain(k), plain(v)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(plain(v)) for v in value)
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '?')}.{value.__qualname__}"
    return re.sub(r" at 0x[0-9a-f]+", "", repr(value))

def snapshot():
    seen = {}
    for name, module in sorted(sys.modules.items()):
        if name.split(".")[0] not in ("core", "handlers", "bots"):
            continue
        for attr, value in vars(module).items():
            if attr.startswith("__"):
                continue
            if isinstance(value, (Router, list, dict, set)):
                seen[f"{name}.{attr}"] = plain(value)
    return seen

from handlers import build_router
if build_first:
    tree = build_router()
for name in names:
    importlib.import_module(name)
before = snapshot()
first, second = build_router(), build_router()
after = snapshot()
changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
print(json.dumps({
    "equal": first == second and first is not second,
    "changed": changed,
    "tree": plain(first),
    "registries": after,
}))
"""


def all_modules() -> list[str]:
    names = []
    for folder in ("core", "handlers", "bots"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def probe(names: list[str], order: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(names), order],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_importing_registers_nothing_and_the_tree_is_the_same_whatever_the_import_order() -> None:
    names = all_modules()
    assert "bots.telegram.staff_menu" in names and "handlers.staff.desk" in names
    # the router built before anything else is imported, then everything imported ...
    lean = probe(names, "build-first")
    # ... or everything imported first, in reverse (the bots' staff menu before the flows)
    full = probe(list(reversed(names)), "import-first")
    for outcome in (lean, full):
        assert outcome["equal"] is True
        assert outcome["changed"] == []
    assert lean["tree"] == full["tree"]
    assert lean["registries"] == full["registries"]


def test_the_root_answers_staff_first_then_the_door_then_the_client_flows() -> None:
    root = build_router()
    assert [r.name for r in root.children][:2] == ["staff", "staff.door"]
    staff = root.children[0]
    assert staff.admit is not None and all(r.admit is None for r in root.children[1:])
    assert root == build_router()


async def _nothing(ctx: Context) -> list[Reply]:
    return []


def test_include_refuses_itself_cycles_repeats_and_clashes() -> None:
    parent, child, grandchild = Router("parent"), Router("child"), Router("grandchild")
    with pytest.raises(ValueError, match="itself"):
        parent.include_router(parent)
    parent.include_router(child)
    child.include_router(grandchild)
    with pytest.raises(ValueError, match="cycle"):
        grandchild.include_router(parent)
    with pytest.raises(ValueError, match="already included"):
        parent.include_router(grandchild)
    one, other = Router("one"), Router("other")
    one.after_phone("tour")(_nothing)
    other.after_phone("tour")(_nothing)
    parent.include_router(one)
    with pytest.raises(ValueError, match="after-phone:tour"):
        parent.include_router(other)
    with pytest.raises(ValueError, match="registered twice"):
        one.after_phone("tour")(_nothing)
    admitting = Router("admitting", admit=lambda ctx: True)
    admitting.after_phone("tour")(_nothing)
    with pytest.raises(ValueError, match="after-phone:tour"):
        parent.include_router(admitting)  # continuations are one table, whoever is admitted


def test_a_router_that_admits_some_may_shadow_the_rest_for_them_only() -> None:
    async def handler(ctx: Context, incoming: object) -> list[Reply]:
        return []

    root, staff, menu = Router("root"), Router("staff", admit=lambda ctx: True), Router("menu")
    staff.command("start")(handler)  # type: ignore[arg-type]
    menu.command("start")(handler)  # type: ignore[arg-type]
    root.include_router(staff)
    root.include_router(menu)  # no clash: the staff scope is its own
    clash = Router("clash")
    clash.command("start")(handler)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="/start"):
        root.include_router(clash)


# ---- imports among handlers/ form no circle ---------------------------------------------------


def handler_imports() -> dict[str, set[str]]:
    """Module -> the handlers modules it imports (anywhere in it, TYPE_CHECKING blocks aside)."""
    graph: dict[str, set[str]] = {}
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = module if parts[-1] == "__init__" else module.rsplit(".", 1)[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                    base = f"{base}.{node.module}" if node.module else base
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[module] = targets
    return {m: {t for t in ts if t in graph and t != m} for m, ts in graph.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for target in sorted(graph[node]):
            found = visit(target, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_handlers_import_each_other_without_circles() -> None:
    graph = handler_imports()
    assert "handlers.screens" in graph["handlers.menu"]
    assert find_cycle(graph) is None


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
