"""The layer rule of DESIGN.md as a test, and an import of the package that has no side effects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run(
        ["lint-imports", "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_importing_the_package_has_no_side_effects(tmp_path: Path) -> None:
    code = "import sys, teamweave; print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy','duckdb'))))"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert not list(tmp_path.iterdir())
