"""Import throughput per format: the full pipeline against a raw-parse baseline measured in the same run.

Baselines do only the parsing: for Slack, reading every day file and parsing its JSON; for mail, iterating
Python's ``mailbox.mbox`` over the decompressed files and reading the nine headers teamweave uses. teamweave's
figure is the whole pipeline: parse, resolve identities, pseudonymise, dedupe and write Parquet + the database,
into a fresh data dir each repetition.

    python bench/import_bench.py                 # the real Slack fixture in ../shared/data
    python bench/import_bench.py --demo          # also the demo organisation's Slack export (~220k messages)
    python bench/import_bench.py --mbox          # also the Enron sent folders (74,774 messages in 232 .mbox.gz)
"""

from __future__ import annotations

import argparse
import gzip
import json
import mailbox
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console
from rich.table import Table

from teamweave.config import Settings
from teamweave.demo.generator import generate
from teamweave.ingest.pipeline import import_path
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXTURE = DATA / "slack-export-viewer-testarchive" / "testarchive.zip"
ENRON = DATA / "enron-mbox-sent-folders" / "mbox"
MAIL_HEADERS = ("From", "To", "Cc", "Bcc", "Date", "Message-ID", "In-Reply-To", "References", "List-Id")


def _day_files(export: Path) -> Iterator[bytes]:
    if export.suffix == ".zip":
        with zipfile.ZipFile(export) as archive:
            for name in archive.namelist():
                if name.count("/") == 1 and name.endswith(".json"):
                    yield archive.read(name)
    else:
        for path in sorted(export.glob("*/*.json")):
            yield path.read_bytes()


def raw_parse(export: Path) -> tuple[float, int]:
    """Seconds to read and parse every day file; the number of messages and reactions in them."""
    start = time.perf_counter()
    records = 0
    for blob in _day_files(export):
        for message in json.loads(blob):
            records += 1 + sum(len(r.get("users", [])) for r in message.get("reactions", []))
    return time.perf_counter() - start, records


def raw_mbox(folder: Path) -> tuple[float, int]:
    """Seconds to iterate mailbox.mbox over the decompressed files reading the headers (decompression untimed)."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = []
        for path in sorted(folder.glob("*.mbox.gz")):
            target = Path(tmp) / path.name.removesuffix(".gz")
            with gzip.open(path) as source, open(target, "wb") as sink:
                shutil.copyfileobj(source, sink)
            plain.append(target)
        start = time.perf_counter()
        messages = 0
        for path in plain:
            for message in mailbox.mbox(path, create=False):
                for header in MAIL_HEADERS:
                    message.get(header)
                messages += 1
        return time.perf_counter() - start, messages


def pipeline(export: Path) -> tuple[float, int]:
    """Seconds for a full import into a fresh data dir; the events added."""
    with tempfile.TemporaryDirectory() as tmp:
        runtime = Runtime(Settings(env="test", data_dir=Path(tmp)))
        runtime.migrate()
        start = time.perf_counter()
        with session_scope(runtime.sessions) as session:
            summary = import_path(
                session,
                org="bench",
                path=export,
                events=runtime.events,
                pseudonymiser=runtime.pseudonymiser,
                quarantine_dir=runtime.settings.quarantine_dir,
            )
        seconds = time.perf_counter() - start
        runtime.close()
    return seconds, summary.added


def best(function: Callable[[Path], tuple[float, int]], export: Path, repeat: int) -> tuple[float, int]:
    return min(function(export) for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slack", type=Path, default=FIXTURE, help="a Slack export (zip or folder)")
    parser.add_argument("--demo", action="store_true", help="also measure the demo organisation's export")
    parser.add_argument("--mbox", action="store_true", help="also measure the Enron mail (mbox.gz)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions; the best is reported")
    args = parser.parse_args()
    exports: list[tuple[str, Path, Callable[[Path], tuple[float, int]]]] = [("slack fixture", args.slack, raw_parse)]
    tmp = tempfile.TemporaryDirectory()
    if args.demo:
        manifest = generate(Path(tmp.name) / "demo")
        exports.append(("demo slack export", Path(tmp.name) / "demo" / manifest.slack_dir, raw_parse))
    if args.mbox:
        exports.append(("enron mail", ENRON, raw_mbox))
    table = Table("export", "step", "seconds", "records", "records/s", "ratio to raw parse")
    for label, export, baseline in exports:
        repeat = args.repeat if label == "slack fixture" else 1
        raw_s, raw_n = best(baseline, export, repeat)
        full_s, added = best(pipeline, export, repeat)
        table.add_row(label, "raw parse (baseline)", f"{raw_s:.3f}", f"{raw_n:,}", f"{raw_n / raw_s:,.0f}", "1.00")
        rate = added / full_s
        table.add_row(
            label, "teamweave import", f"{full_s:.3f}", f"{added:,}", f"{rate:,.0f}", f"{rate / (raw_n / raw_s):.2f}"
        )
    Console().print(table)
    tmp.cleanup()


if __name__ == "__main__":
    main()
