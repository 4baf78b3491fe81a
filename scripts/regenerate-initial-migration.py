"""Rewrite the initial Alembic migration from the models (only while no database in the wild depends on it).

    python scripts/regenerate-initial-migration.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from alembic import command

from teamweave.store.engine import make_engine
from teamweave.store.migrate import MIGRATIONS_DIR, alembic_config


def main() -> None:
    target = MIGRATIONS_DIR / "versions" / "0001_initial_schema.py"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'empty.db'}")
        command.revision(alembic_config(engine), message="initial schema", autogenerate=True, rev_id="0001")
        engine.dispose()
    subprocess.run(["ruff", "check", "--fix", "-q", str(target)], check=False)
    subprocess.run(["ruff", "format", "-q", str(target)], check=True)


if __name__ == "__main__":
    main()
