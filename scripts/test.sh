#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what tests need, then lint, type-check, layer contracts, tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-test-deps.sh

echo "== ruff"
ruff check src tests bench
ruff format --check src tests bench
echo "== mypy (strict)"
mypy
echo "== import contracts"
lint-imports
echo "== pytest"
python3 -m pytest -n 2 -p no:cacheprovider "$@"
