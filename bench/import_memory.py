"""Peak memory of ``teamweave import`` on a big synthetic mbox, measured on a real subprocess.

``python bench/import_bench.py --big-mbox 2`` writes a 2 GB mbox to /tmp (streamed, see
``import_synthetic.write_mbox``), runs ``teamweave import`` on it in a fresh data dir and reports the child's
peak resident set size (``ru_maxrss`` from ``os.wait4``: the kernel's own figure, no dependency), the same for
a one-message mbox (the interpreter and its imports: the floor), and events/s.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from import_synthetic import write_mbox

CLI = "from teamweave.cli.main import run; run()"
READ_LINE = re.compile(r"([\d,]+) events in ([\d.]+) s")


@dataclass(frozen=True)
class ImportRun:
    """One ``teamweave import`` subprocess: peak RSS (MiB), wall seconds, events read, CLI's own seconds."""

    peak_mib: float
    wall_s: float
    events: int
    import_s: float
    output: str


def run_import(path: Path, data_dir: Path, *extra: str) -> ImportRun:
    """``teamweave import PATH`` in a subprocess with its own data dir; its peak RSS from ``wait4``."""
    env = {**os.environ, "TEAMWEAVE_DATA_DIR": str(data_dir), "TEAMWEAVE_ENV": "test", "TEAMWEAVE_ORG": "bench"}
    env.pop("TEAMWEAVE_DATABASE_URL", None)
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 - fixed argument list
            [sys.executable, "-c", CLI, "import", str(path), *extra],
            stdout=out,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read()
    if process.returncode != 0:
        raise RuntimeError(f"teamweave import failed ({process.returncode}):\n{text[-2000:]}")
    found = READ_LINE.search(text)
    events, import_s = (int(found.group(1).replace(",", "")), float(found.group(2))) if found else (0, wall)
    return ImportRun(usage.ru_maxrss / 1024, wall, events, import_s, text)


def stored_identities(data_dir: Path) -> int:
    """How many identity rows the import recorded (SQLite database of the data dir)."""
    with sqlite3.connect(data_dir / "teamweave.db") as con:
        return int(con.execute("SELECT count(*) FROM identities").fetchone()[0])


def big_mbox(size_gb: float, *, keep: bool = False) -> None:
    """Write a ``size_gb`` mbox, import it, print peak RSS against the one-message floor and events/s."""
    size = int(size_gb * 1_000_000_000)
    path = Path(tempfile.gettempdir()) / f"teamweave-bench-{size}.mbox"
    started = time.perf_counter()
    stats = write_mbox(path, size)
    print(
        f"wrote {path} ({stats.bytes / 1e9:.2f} GB, {stats.messages:,} messages) in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    tiny = path.with_suffix(".tiny.mbox")
    write_mbox(tiny, 1)
    try:
        with tempfile.TemporaryDirectory() as floor_dir, tempfile.TemporaryDirectory() as big_dir:
            floor = run_import(tiny, Path(floor_dir), "--format", "email")
            big = run_import(path, Path(big_dir), "--format", "email")
            identities = stored_identities(Path(big_dir))
    finally:
        tiny.unlink()
        if not keep:
            path.unlink()
    print(f"floor (one-message mbox): peak RSS {floor.peak_mib:,.0f} MiB")
    print(
        f"{size_gb:g} GB mbox: {big.events:,} events, {identities:,} identity rows; peak RSS {big.peak_mib:,.0f} MiB "
        f"(+{big.peak_mib - floor.peak_mib:,.0f} MiB over the floor); "
        f"{big.events / big.import_s:,.0f} events/s (import), {big.wall_s:.0f} s wall"
    )
    print(big.output[-1500:])
