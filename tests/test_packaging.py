"""Every third-party module the package imports is a declared dependency (a missing one breaks `pip install .`)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imported_top_level_modules() -> set[str]:
    modules: set[str] = set()
    for path in (ROOT / "src" / "teamweave").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - {"teamweave", "__future__"}


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {re.split(r"[<>=\[;!~ ]", requirement, maxsplit=1)[0] for requirement in project["dependencies"]}
    return {name.lower().replace("_", "-") for name in names}


def test_every_imported_module_is_a_declared_dependency() -> None:
    distributions = packages_distributions()
    declared = _declared()
    missing = {}
    for module in sorted(_imported_top_level_modules()):
        providers = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not providers & declared:
            missing[module] = sorted(providers)
    assert missing == {}, f"imported but not declared in [project].dependencies: {missing}"
