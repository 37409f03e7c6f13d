"""Rows from an agency's export, streamed: CSV (any usual encoding and delimiter) or XLSX.

Ukrainian agencies' files come out of Excel as UTF-8 with a BOM, plain UTF-8 or Windows-1251,
separated by ``;`` (Excel's choice where the decimal comma is local), ``,`` or tabs. The
encoding and delimiter are sniffed from the first 64 KB; rows are then read one at a time, so a
file of any size takes the same memory. XLSX goes through openpyxl's read-only mode (the sheet
is parsed as it is iterated, not loaded).

Every file yields plain ``{header: value}`` dicts, one per line after the header, blank lines
included (as ``{}``), so ``enumerate(rows, start=header_line + 1)`` is the line a person sees
in Excel.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import InvalidInput

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ";,\t|"
ENCODINGS = ("utf-8", "cp1251")


@dataclass(frozen=True, slots=True)
class Sheet:
    """An opened file: its headers, the line of the first data row, and the rows themselves."""

    headers: tuple[str, ...]
    first_line: int
    rows: Generator[dict[str, Any], None, None]
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only


def open_sheet(path: Path) -> Sheet:
    """The rows of ``path`` by its extension; :class:`InvalidInput` for what we cannot read."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix in (".csv", ".txt", ".tsv"):
        return _csv(path)
    raise InvalidInput("import-bad-format", name=path.name)


def sniff_encoding(sample: bytes) -> str:
    """``utf-8-sig`` with a BOM, ``utf-8`` when the sample decodes, else ``cp1251``."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ENCODINGS:
        try:
            # the sample may end inside a multi-byte character: an incremental decoder without
            # final=True keeps that tail instead of failing on it
            codecs.getincrementaldecoder(encoding)().decode(sample)
        except UnicodeDecodeError:
            continue
        return encoding
    return "cp1251"  # every byte is something in cp1251 except 0x98; never reached in practice


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate it contains most often (``;`` on ties)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _csv(path: Path) -> Sheet:
    with path.open("rb") as raw:
        sample = raw.read(SAMPLE_BYTES)
    encoding = sniff_encoding(sample)
    text_sample = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample)
    delimiter = sniff_delimiter(text_sample)
    handle = path.open("r", encoding=encoding, errors="replace", newline="")
    reader = csv.reader(handle, delimiter=delimiter)
    headers, first_line = _header(reader)
    return Sheet(headers, first_line, _csv_rows(handle, reader, headers), encoding, delimiter)


def _header(lines: Iterator[Any]) -> tuple[tuple[str, ...], int]:
    """The first non-empty line is the header; the line number after it starts the data."""
    for number, values in enumerate(lines, start=1):
        cells = tuple(_cell_text(v) for v in values)
        if any(cells):
            return cells, number + 1
    raise InvalidInput("import-empty-file")


def _csv_rows(
    handle: io.TextIOBase, reader: Iterator[list[str]], headers: tuple[str, ...]
) -> Generator[dict[str, Any], None, None]:
    try:
        for values in reader:
            yield _row(headers, values)
    finally:
        handle.close()


def _xlsx(path: Path) -> Sheet:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise
    except Exception as error:  # openpyxl raises zipfile/KeyError/ValueError on a broken file
        raise InvalidInput("import-bad-xlsx", name=path.name) from error
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        headers, first_line = _header(lines)
    except InvalidInput:
        book.close()
        raise
    return Sheet(headers, first_line, _xlsx_rows(book, lines, headers))


def _xlsx_rows(
    book: Any, lines: Iterator[tuple[Any, ...]], headers: tuple[str, ...]
) -> Generator[dict[str, Any], None, None]:
    try:
        for values in lines:
            yield _row(headers, values)
    finally:
        book.close()


def _row(headers: tuple[str, ...], values: Any) -> dict[str, Any]:
    """``{header: value}`` without empty cells (an all-empty line is ``{}``)."""
    row: dict[str, Any] = {}
    for header, value in zip(headers, values, strict=False):
        if not header or value is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        row[header] = value
    return row


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def estimate_rows(path: Path) -> int | None:
    """Data rows in ``path`` for a progress bar: CSV lines counted in one binary pass (quoted
    line breaks make it an estimate), XLSX from the sheet's recorded dimensions."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True)
            rows = book.worksheets[0].max_row
            book.close()
        except Exception:  # a progress bar is not worth failing for
            return None
        return max(rows - 1, 0) if rows else None
    lines = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)
