#!/usr/bin/env bash
# Install the test tools and run the whole test suite, including the Neo4j
# half against a throwaway Neo4j 5.26 started from tools/neo4j-local (needs
# JDK 17 and Maven). Extra arguments go to pytest (e.g. -m neo4j, -k erase).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
"$PY" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e .
exec "$PY" -m pytest "$@"
