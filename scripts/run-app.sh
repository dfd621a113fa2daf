#!/usr/bin/env bash
# Install connector_graph, load the demo city into the embedded store if it is
# empty, and start the dashboard on http://localhost:8501.
# Extra arguments go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
"$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt -e .
"$PY" -m connector_graph seed --size demo --if-empty
exec "$PY" -m streamlit run app.py "$@"
