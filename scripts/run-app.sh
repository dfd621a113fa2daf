#!/usr/bin/env bash
# Create .venv (once) and install connector_graph into it, load the demo city
# into the embedded store if it is empty, and start the dashboard on
# http://localhost:8501.
#   PYTHON=python3.12 bash scripts/run-app.sh              # which Python builds .venv
#   bash scripts/run-app.sh --server.port 8600              # extra arguments go to `streamlit run`
#   bash scripts/run-app.sh --server.address 0.0.0.0        # listen beyond this machine (sign-in needed)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
cg_venv requirements.txt
"$PY" -m connector_graph seed --size demo --if-empty
exec "$PY" -m dashboard.serve "$@"  # streamlit run app.py, with the pages' modules loaded first
