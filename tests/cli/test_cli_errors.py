"""The CLI prints expected errors as one line, without a traceback, and exits 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_typed_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    env = {"TEAMWEAVE_DATA_DIR": str(tmp_path), "TEAMWEAVE_ENV": "prod", "PATH": "/usr/bin:/bin"}
    code = "from teamweave.cli.main import run; import sys; sys.argv=['teamweave','config','show']; run()"
    ok = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    code = (
        "from teamweave.cli.main import run, app\n"
        "from teamweave.config import load_settings\n"
        "@app.command('boom')\n"
        "def boom() -> None:\n"
        "    load_settings().resolved_pseudonym_key()\n"
        "import sys; sys.argv=['teamweave','boom']; run()\n"
    )
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert "error:" in bad.stderr
    assert "TEAMWEAVE_PSEUDONYM_KEY" in bad.stderr
    assert "no key configured in production" in bad.stderr
