"""Memory of a real ``teamweave import`` subprocess on an mbox with 120,000 distinct addresses.

Peak RSS (``ru_maxrss`` from ``os.wait4``) of the import, minus the peak of importing a one-message mbox (the
interpreter and its imports), must stay under :data:`GROWTH_BOUND_MIB`. Measured on 2026-11-23: about 105 MiB with
identity rows written by Core statements; 385 MiB when each identity was an ORM object held by the session
(the code before docs/performance.md's import section). The 2 GB run is ``bench/import_bench.py --big-mbox 2``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MESSAGES = 60_000
GROWTH_BOUND_MIB = 200
CLI = "from teamweave.cli.main import run; run()"


def write_mbox(path: Path, messages: int) -> None:
    """Message i goes from one of 200 employees to two addresses no other message uses."""
    with path.open("w", encoding="ascii") as out:
        for i in range(messages):
            out.write(
                f"From MAILER-DAEMON Mon Jan  1 00:00:00 2024\n"
                f"Message-ID: <{i}@acme.test>\n"
                f"Date: Mon, {1 + i % 28:02d} Jan 2024 {i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d} +0000\n"
                f"From: Employee {i % 200} <employee{i % 200}@acme.test>\n"
                f'To: "Contact {2 * i}" <contact{2 * i}@partner.test>, contact{2 * i + 1}@supplier{i % 97}.test\n'
                f"Subject: numbers\n\nbody\n\n"
            )


def peak_rss_mib(path: Path, data_dir: Path) -> float:
    env = {**os.environ, "TEAMWEAVE_DATA_DIR": str(data_dir), "TEAMWEAVE_ENV": "test", "TEAMWEAVE_ORG": "mem"}
    env.pop("TEAMWEAVE_DATABASE_URL", None)
    process = subprocess.Popen(  # noqa: S603 - fixed argument list
        [sys.executable, "-c", CLI, "import", str(path), "--format", "email"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0
    return usage.ru_maxrss / 1024


def test_memory_does_not_grow_with_distinct_addresses(tmp_path: Path) -> None:
    tiny, big = tmp_path / "tiny.mbox", tmp_path / "big.mbox"
    write_mbox(tiny, 1)
    write_mbox(big, MESSAGES)

    floor = peak_rss_mib(tiny, tmp_path / "floor")
    peak = peak_rss_mib(big, tmp_path / "big")

    assert peak - floor < GROWTH_BOUND_MIB
