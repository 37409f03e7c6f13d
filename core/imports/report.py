"""What an import did (or, in a dry run, would do): counts and the rows it could not take."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_ISSUES = 1000  # listed one by one; beyond that only counted


@dataclass(frozen=True, slots=True)
class Issue:
    """One refused row: its line in the file, the field and the reason (a translation key).

    ``value`` is what the cell held (cut short); ``first_line`` points at the earlier row of a
    duplicate.
    """

    line: int
    field: str
    reason: str
    value: str = ""
    first_line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "field": self.field,
            "reason": self.reason,
            "value": self.value,
            "first_line": self.first_line,
        }


@dataclass(slots=True)
class ImportReport:
    """Counts per outcome. Every non-blank row is exactly one of new, updated, unchanged,
    duplicate (its phone or number came earlier in the same file) or invalid."""

    dry_run: bool
    mapping: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    invalid: int = 0
    ledger_entries: int = 0  # opening balances / paid amounts written (or to be written)
    bonuses: int = 0  # opening bonus grants written (or to be written)
    clients_created: int = 0  # orders import: clients made for phones we did not know
    issues: list[Issue] = field(default_factory=list)

    def refuse(self, issue: Issue, *, duplicate: bool = False) -> None:
        if duplicate:
            self.duplicate += 1
        else:
            self.invalid += 1
        if len(self.issues) < MAX_ISSUES:
            self.issues.append(issue)

    @property
    def issues_left_out(self) -> int:
        return self.duplicate + self.invalid - len(self.issues)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "mapping": dict(self.mapping),
            "rows": self.rows,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicate": self.duplicate,
            "invalid": self.invalid,
            "ledger_entries": self.ledger_entries,
            "bonuses": self.bonuses,
            "clients_created": self.clients_created,
            "issues": [i.as_dict() for i in self.issues],
            "issues_left_out": self.issues_left_out,
        }


class Mapper:
    """Column -> field for rows that may each miss empty cells: fixed once the headers are
    known (a file's header line), else learnt from the headers as they appear (API rows)."""

    def __init__(self, known: dict[str, str], overrides: dict[str, str] | None) -> None:
        self.known = known
        self.overrides = overrides or {}
        self.mapping: dict[str, str] | None = None
        self.unknown: set[str] = set()

    def fix(self, headers: list[str]) -> dict[str, str]:
        from core.imports.fields import build_mapping

        self.mapping = build_mapping(headers, self.known, self.overrides)
        return self.mapping

    def fields(self, row: dict[str, Any]) -> dict[str, Any]:
        """``{field: value}`` of one row (columns we do not know are left out)."""
        if self.mapping is None:
            self.fix(list(row))
        assert self.mapping is not None
        unseen = [h for h in row if h not in self.mapping and h not in self.unknown]
        if unseen:
            from core.imports.fields import fold

            taken = set(self.mapping.values())
            for header in unseen:
                found = self.known.get(fold(header))
                if found and found not in taken and header not in self.overrides:
                    self.mapping[header] = found
                    taken.add(found)
                else:
                    self.unknown.add(header)
        return {self.mapping[h]: v for h, v in row.items() if h in self.mapping}
