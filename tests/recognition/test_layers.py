"""The layer rule for recognition and moments: another capability is reached through its service (and its
schemas), never its tables or queries. ``accounts.models`` (User, Role: the login every service is handed) is
the one shared exception, as in every capability."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import teamweave

PACKAGE = Path(teamweave.__file__).parent
CAPABILITIES = ("people", "network", "checkins", "notify", "audit", "imports", "privacy", "accounts")
ALLOWED = frozenset({"teamweave.accounts.models"})


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("package", ["recognition", "moments"])
def test_no_other_capabilitys_tables_or_queries_are_imported(package: str) -> None:
    forbidden = {f"teamweave.{c}.{part}" for c in CAPABILITIES for part in ("models", "repository")} - ALLOWED
    found = [
        f"{path.name}: {name}"
        for path in sorted((PACKAGE / package).glob("*.py"))
        for name in sorted(_imported(path) & forbidden)
    ]
    assert found == []
