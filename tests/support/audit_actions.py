"""Every audit action key the code can write, read from the source (not from a list kept by
hand): a call of ``audit`` / ``audit_at`` names its action; a function that passes one of its
own parameters on as the action (``log(ctx, action)``, ``notify_roles(..., kind=...)``) is
itself such a call, and so on up to the callers that name a literal. A constant, a conditional
of literals or a lookup in a module-level dict of literals is followed; anything else is
reported, so an action key can never escape the catalogue check."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "handlers", "bots", "storage")
# the functions that write an audit entry: argument position (None: keyword only) and name
ROOTS: dict[str, tuple[int | None, str]] = {"audit": (1, "action"), "audit_at": (1, "action")}

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class Found:
    keys: dict[str, set[str]] = field(default_factory=dict)  # key -> where it is written
    unresolved: list[str] = field(default_factory=list)  # where an action is not a literal
    sinks: dict[str, tuple[int | None, str]] = field(default_factory=dict)


def _modules() -> Iterator[tuple[str, ast.Module]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            yield rel, ast.parse(path.read_text(encoding="utf-8"), rel)


def _constants(modules: list[tuple[str, ast.Module]]) -> dict[str, set[str]]:
    """Module-level names bound to a string, or to a dict / tuple of strings."""
    found: dict[str, set[str]] = {}
    for _, tree in modules:
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) != 1 or not isinstance(targets[0], ast.Name) or not node.value:
                    continue
                values = _literals(node.value, {})
                if values:
                    found.setdefault(targets[0].id, set()).update(values)
    return found


def _literals(node: ast.expr, consts: dict[str, set[str]]) -> set[str] | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, other = _literals(node.body, consts), _literals(node.orelse, consts)
        return body | other if body is not None and other is not None else None
    if isinstance(node, ast.Name) and node.id in consts:
        return set(consts[node.id])
    if isinstance(node, ast.Attribute) and node.attr in consts:  # module.CONSTANT
        return set(consts[node.attr])
    if isinstance(node, ast.Dict | ast.Tuple):
        items = node.values if isinstance(node, ast.Dict) else node.elts
        out: set[str] = set()
        for item in items:
            got = _literals(item, consts) if item is not None else None
            if got is None:
                return None
            out |= got
        return out
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return set(consts[node.value.id]) if node.value.id in consts else None
    return None


def _callee(call: ast.Call, homes: dict[str, str]) -> str | None:
    """The sink this call reaches: ``name(...)`` or ``<its module>.name(...)`` (so
    ``sandbox.record`` is not ``lookups.record``)."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        home = homes.get(func.attr)
        if home is None or func.value.id == home:
            return func.attr
    return None


def _argument(call: ast.Call, where: tuple[int | None, str]) -> ast.expr | None:
    index, name = where
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if index is not None and len(call.args) > index:
        return call.args[index]
    return None


def _parameter(function: FunctionNode, name: str) -> tuple[int | None, str] | None:
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    if name in positional:
        return positional.index(name), name
    if name in [a.arg for a in function.args.kwonlyargs]:
        return None, name
    return None


def collect() -> Found:
    modules = list(_modules())
    consts = _constants(modules)
    found = Found(sinks=dict(ROOTS))
    homes = {"audit": "audit", "audit_at": "audit"}  # sink -> the module stem defining it
    functions = [
        (rel, node)
        for rel, tree in modules
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    changed = True
    while changed:  # a pass-through makes its function a sink: repeat until none is new
        changed = False
        found.keys, found.unresolved = {}, []
        for rel, function in functions:
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                name = _callee(call, homes)
                if name is None or name not in found.sinks or name == function.name:
                    continue
                value = _argument(call, found.sinks[name])
                if value is None:
                    continue
                where = f"{rel}:{call.lineno}"
                if isinstance(value, ast.Name) and (param := _parameter(function, value.id)):
                    if function.name not in found.sinks:
                        found.sinks[function.name] = param
                        homes[function.name] = Path(rel).stem
                        changed = True
                    continue
                keys = _literals(value, consts)
                if keys is None:
                    found.unresolved.append(f"{where}: {ast.unparse(value)}")
                    continue
                for key in keys:
                    found.keys.setdefault(key, set()).add(where)
    return found


if __name__ == "__main__":
    result = collect()
    for key in sorted(result.keys):
        print(key, sorted(result.keys[key])[:2])
    print("UNRESOLVED", result.unresolved)
    print("SINKS", result.sinks)
