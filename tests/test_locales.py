"""Translations: every locale says everything, the same way round, and every key the code asks
for exists.

Catalogues are parsed with Fluent's own parser (a syntax error becomes Junk and fails here).
Keys used by the code are found by reading the code's syntax tree: the first argument of
``t("…")`` / ``ctx.t("…")`` / ``translator(loc)("…")`` and of the domain errors
(``InvalidInput("…")`` and every other ``DomainError`` subclass), including both branches of
``t("a" if x else "b")``. Keys built at run time (f-strings) cannot be checked statically; the
flow tests cover those.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser
from fluent.syntax import ast as fast
from fluent.syntax.visitor import Visitor

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CODE_DIRS = ("handlers", "core", "bots")
KEY = re.compile(r"^-?[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def locale_dirs() -> list[Path]:
    return sorted(p for p in LOCALES.iterdir() if p.is_dir() and p.name != "__pycache__")


def parse(path: Path) -> fast.Resource:
    return FluentParser(with_spans=False).parse(path.read_text(encoding="utf-8"))


def entries(path: Path) -> list[fast.Message | fast.Term]:
    return [e for e in parse(path).body if isinstance(e, fast.Message | fast.Term)]


def entry_id(entry: fast.Message | fast.Term) -> str:
    return ("-" if isinstance(entry, fast.Term) else "") + entry.id.name


def keys_by_file(locale: Path) -> dict[str, set[str]]:
    return {p.name: {entry_id(e) for e in entries(p)} for p in sorted(locale.glob("*.ftl"))}


def all_keys(locale: Path) -> set[str]:
    return set().union(*keys_by_file(locale).values()) if list(locale.glob("*.ftl")) else set()


class _Variables(Visitor):
    def __init__(self) -> None:
        self.names: set[str] = set()
        self.selectors: set[str] = set()

    def visit_VariableReference(self, node: fast.VariableReference) -> None:
        self.names.add(node.id.name)
        self.generic_visit(node)

    def visit_SelectExpression(self, node: fast.SelectExpression) -> None:
        if isinstance(node.selector, fast.VariableReference):
            self.selectors.add(node.selector.id.name)
        self.generic_visit(node)


def variables(entry: fast.Message | fast.Term) -> _Variables:
    found = _Variables()
    found.visit(entry)
    return found


def messages(locale: Path) -> dict[str, fast.Message | fast.Term]:
    return {entry_id(e): e for p in sorted(locale.glob("*.ftl")) for e in entries(p)}


# ---- the catalogues ---------------------------------------------------------------------------


def test_there_are_three_locales() -> None:
    assert {p.name for p in locale_dirs()} >= {"uk", "en", "ru"}


def test_catalogues_parse_without_errors() -> None:
    problems = []
    for locale in locale_dirs():
        for path in sorted(locale.glob("*.ftl")):
            for entry in parse(path).body:
                if isinstance(entry, fast.Junk):
                    problems.append(
                        f"{path.relative_to(ROOT)}: {(entry.content or '').strip()[:80]!r}"
                    )
    assert not problems, "\n".join(problems)


def test_no_key_is_defined_twice_in_a_locale() -> None:
    problems = []
    for locale in locale_dirs():
        seen: dict[str, str] = {}
        for path in sorted(locale.glob("*.ftl")):
            for entry in entries(path):
                key = entry_id(entry)
                if key in seen:
                    problems.append(f"{locale.name}: {key} in {seen[key]} and {path.name}")
                seen[key] = path.name
    assert not problems, "\n".join(problems)


def test_every_locale_has_the_same_keys() -> None:
    dirs = locale_dirs()
    union = set().union(*(all_keys(d) for d in dirs))
    problems = [
        f"{d.name} lacks {sorted(union - all_keys(d))}" for d in dirs if union - all_keys(d)
    ]
    assert not problems, "\n".join(problems)


def test_every_catalogue_file_has_the_same_keys_in_every_locale() -> None:
    dirs = locale_dirs()
    per_locale = {d.name: keys_by_file(d) for d in dirs}
    names = set().union(*(set(files) for files in per_locale.values()))
    problems = []
    for name in sorted(names):
        sets = {loc: files.get(name) for loc, files in per_locale.items()}
        missing = [loc for loc, keys in sets.items() if keys is None]
        if missing:
            problems.append(f"{name} missing in {missing}")
            continue
        union = set().union(*(k for k in sets.values() if k is not None))
        for loc, keys in sets.items():
            if keys is not None and union - keys:
                problems.append(f"{loc}/{name} lacks {sorted(union - keys)}")
    assert not problems, "\n".join(problems)


def test_translations_use_the_same_variables() -> None:
    dirs = locale_dirs()
    catalogues = {d.name: messages(d) for d in dirs}
    problems = []
    for key in sorted(set().union(*(set(c) for c in catalogues.values()))):
        found = {loc: variables(cat[key]).names for loc, cat in catalogues.items() if key in cat}
        if len({frozenset(v) for v in found.values()}) > 1:
            problems.append(f"{key}: {found}")
    assert not problems, "\n".join(problems)


def test_counts_are_plural_aware_in_ukrainian_and_russian() -> None:
    """Where English chooses a form by a number, Ukrainian and Russian must choose too."""
    catalogues = {d.name: messages(d) for d in locale_dirs()}
    problems = []
    for key, entry in catalogues.get("en", {}).items():
        for variable in variables(entry).selectors:
            for loc in ("uk", "ru"):
                other = catalogues.get(loc, {}).get(key)
                if other is not None and variable not in variables(other).selectors:
                    problems.append(f"{loc}: {key} does not select on ${variable}")
    assert not problems, "\n".join(problems)


def _sample_args(entry: fast.Message | fast.Term) -> dict[str, Any]:
    found = variables(entry)
    return {n: (3 if n in found.selectors else "x") for n in found.names}


@pytest.mark.parametrize("locale", [d.name for d in locale_dirs()])
def test_every_message_formats_cleanly(locale: str) -> None:
    directory = LOCALES / locale
    bundle = FluentBundle([locale], use_isolating=False)
    for path in sorted(directory.glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    problems = []
    for key, entry in messages(directory).items():
        if key.startswith("-") or not bundle.has_message(key):
            continue
        message = bundle.get_message(key)
        if message.value is None:
            continue
        for args in (_sample_args(entry), {k: 1 for k in _sample_args(entry)}):
            text, errors = bundle.format_pattern(message.value, args)
            if errors or not str(text).strip():
                problems.append(f"{locale}/{key} {args}: {errors or 'empty'}")
    assert not problems, "\n".join(problems)


# ---- the code ---------------------------------------------------------------------------------


def python_files() -> list[Path]:
    return sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py"))


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def domain_error_names(trees: list[ast.Module]) -> set[str]:
    """``DomainError`` and every class deriving from it anywhere in the code."""
    names = {"DomainError"}
    classes = [n for tree in trees for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    changed = True
    while changed:
        changed = False
        for cls in classes:
            if cls.name not in names and any(_name(b) in names for b in cls.bases):
                names.add(cls.name)
                changed = True
    return names


def _is_translation_call(call: ast.Call, errors: set[str]) -> bool:
    func = call.func
    if _name(func) == "t" or _name(func) in errors:
        return True
    # services.translator(locale)("key")
    return isinstance(func, ast.Call) and _name(func.func) == "translator"


def _literal_keys(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literal_keys(node.body) + _literal_keys(node.orelse)
    return []


def keys_used_in_code() -> dict[str, list[str]]:
    files = python_files()
    trees = [ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in files]
    errors = domain_error_names(trees)
    used: dict[str, list[str]] = defaultdict(list)
    for path, tree in zip(files, trees, strict=True):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and _is_translation_call(node, errors):
                for key in _literal_keys(node.args[0]):
                    if KEY.match(key):
                        used[key].append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return used


def test_the_scanner_finds_keys() -> None:
    """Guard the guard: keys we know are used must be found."""
    used = keys_used_in_code()
    for key in ("menu-title", "tour-confirmed", "trip-not-found", "relay-leave", "error-phone"):
        assert key in used, key
    assert "tour-error-destination" in used  # InvalidInput("…") in core
    assert {"consent-saved-yes", "consent-saved-no"} <= set(used)  # t("a" if … else "b")


def test_every_key_used_in_code_exists_in_every_locale() -> None:
    used = keys_used_in_code()
    problems = []
    for locale in locale_dirs():
        have = all_keys(locale)
        for key in sorted(set(used) - have):
            problems.append(f"{locale.name}: {key} (used at {', '.join(used[key][:3])})")
    assert not problems, "\n".join(problems)
