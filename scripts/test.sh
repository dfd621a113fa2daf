#!/usr/bin/env bash
# Create .venv (once), install the test tools into it and run the whole test
# suite, including the Neo4j half against a throwaway Neo4j 5.26 started from
# tools/neo4j-local (needs JDK 17 and Maven), on two workers (pytest-xdist).
# Extra arguments go to pytest (e.g. -m neo4j, -k erase, -n 0 for one process).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
cg_venv requirements-dev.txt
exec "$PY" -m pytest -n "${TEST_WORKERS:-2}" --dist loadgroup "$@"
