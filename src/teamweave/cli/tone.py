"""CLI: ``teamweave tone "message"`` and ``teamweave tone --batch FILE [--column NAME]`` (docs/tone.md).

Neither opens the database or writes anything but its output: the text is read, scored and dropped.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import typer
from rich.text import Text

from teamweave.cli.context import out
from teamweave.errors import InputFormatError
from teamweave.ingest.csv_limits import field_size_limit
from teamweave.tone.llm_rewrite import Endpoint
from teamweave.tone.service import ToneReport, analyse

MESSAGE_ARGUMENT = typer.Argument(None, help="The message to check (quote it).")
BATCH_OPTION = typer.Option(None, "--batch", help="Score every message of a CSV column or a text file (one a line).")
COLUMN_OPTION = typer.Option(None, "--column", help="The CSV column holding the messages (makes FILE a CSV).")
OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write the JSON lines here instead of stdout.")
JSON_OPTION = typer.Option(False, "--json", help="Print the full report as JSON.")
LLM_URL_OPTION = typer.Option(
    None, "--llm-url", help="Also ask this OpenAI-compatible API for a rewrite (e.g. http://127.0.0.1:8080/v1)."
)
LLM_MODEL_OPTION = typer.Option("gpt-4o-mini", "--llm-model", help="The model name for --llm-url.")
LLM_KEY_OPTION = typer.Option(
    None, "--llm-key", envvar="TEAMWEAVE_TONE_LLM_KEY", help="API key for --llm-url (or the env variable)."
)


def _csv_messages(path: Path, column: str) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as handle, field_size_limit(1 << 20):
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or column not in reader.fieldnames:
            raise InputFormatError("no such column", file=path.name, line=1, field=column)
        for row in reader:
            yield row.get(column) or ""


def _line_messages(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield line.rstrip("\r\n")


def messages_of(path: Path, column: str | None) -> Iterator[str]:
    """The messages of ``path``: a CSV column when ``column`` is given, else one message a line."""
    if not path.is_file():
        raise InputFormatError("no such file", file=str(path))
    if column is None and path.suffix.lower() == ".csv":
        raise InputFormatError("a CSV file needs --column NAME", file=path.name)
    try:
        yield from _csv_messages(path, column) if column is not None else _line_messages(path)
    except UnicodeDecodeError as error:
        raise InputFormatError(f"not UTF-8 text ({error.reason})", file=path.name) from None
    except csv.Error as error:
        raise InputFormatError(f"not a readable CSV file ({error})", file=path.name) from None


def write_batch(path: Path, column: str | None, sink: TextIO) -> int:
    """One JSON line per message (its number, warmth, verdict, strategies, marker labels); never the text."""
    count = 0
    for number, message in enumerate(messages_of(path, column), start=1):
        report = analyse(message, rewrites=False).as_dict(spans=False, rewrites=False)
        sink.write(json.dumps({"message": number, **report}) + "\n")
        count += 1
    return count


def print_report(message: str, report: ToneReport) -> None:
    out.print(f"warmth {report.warmth:.0f}/100 — reads as {report.verdict}", markup=False)
    if report.strategies:
        strategies = ", ".join(f"{name.replace('_', ' ')} ×{n}" for name, n in report.strategies.items())
        out.print(f"already uses: {strategies}", markup=False, soft_wrap=True)
    for marker in report.markers:
        quoted = f' "{message[marker.start : marker.end]}"' if marker.end > marker.start else ""
        out.print(Text(f"  - {marker.label.replace('_', ' ')}{quoted}: {marker.hint}"), soft_wrap=True)
    for rewrite in report.rewrites:
        out.print(Text(f"warmer ({rewrite.style}, warmth {rewrite.warmth:.0f}): {rewrite.text}"), soft_wrap=True)
    for note in report.notes:
        out.print(f"note: {note}", markup=False, soft_wrap=True)


def tone_command(
    message: str | None = MESSAGE_ARGUMENT,
    batch: Path | None = BATCH_OPTION,
    column: str | None = COLUMN_OPTION,
    output: Path | None = OUTPUT_OPTION,
    as_json: bool = JSON_OPTION,
    llm_url: str | None = LLM_URL_OPTION,
    llm_model: str = LLM_MODEL_OPTION,
    llm_key: str | None = LLM_KEY_OPTION,
) -> None:
    """How warm a message reads, what makes it blunt, and warmer ways to say it. Nothing is stored."""
    if batch is not None:
        if message is not None:
            raise InputFormatError("give either a message or --batch FILE, not both")
        if output is None:
            write_batch(batch, column, sys.stdout)
            return
        with output.open("w", encoding="utf-8") as sink:
            count = write_batch(batch, column, sink)
        out.print(f"scored {count:,} messages into {output}", markup=False)
        return
    if message is None:
        raise InputFormatError("give a message to check, or --batch FILE", hint='teamweave tone "Can you ...?"')
    endpoint = Endpoint(llm_url, llm_model, key=llm_key) if llm_url else None
    report = analyse(message, endpoint=endpoint)
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict()) + "\n")
    else:
        print_report(message, report)


def register(app: typer.Typer) -> None:
    """Add ``teamweave tone`` to the root app."""
    app.command("tone")(tone_command)
