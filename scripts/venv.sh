# Sourced by run-app.sh and test.sh: make sure a project-local virtual
# environment exists in .venv, install the requirements into it when they
# changed, and set PY to its interpreter.
#
#   PYTHON=python3.12 bash scripts/run-app.sh   # build .venv with another Python
#
# Debian and Ubuntu system Pythons refuse `pip install` outside a virtual
# environment (PEP 668); a .venv is the remedy they recommend. When `python3
# -m venv` cannot install pip (Debian without the python3-venv package), the
# environment is made without pip and pip is bootstrapped from its wheel on
# PyPI. Usage: cg_venv REQUIREMENTS_FILE
cg_venv() {
  local requirements="$1" base="${PYTHON:-python3}" venv="${CONNECTOR_GRAPH_VENV:-.venv}"
  if ! command -v "$base" >/dev/null 2>&1; then
    echo "error: $base not found; install Python 3.11+ or set PYTHON=/path/to/python3" >&2
    return 1
  fi
  if ! "$base" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: connector_graph needs Python 3.11+, and $base is $("$base" -V 2>&1); set PYTHON=" >&2
    return 1
  fi
  if [ ! -x "$venv/bin/python" ]; then
    echo "== creating the virtual environment $venv with $base"
    if [ -n "${CONNECTOR_GRAPH_VENV_WITHOUT_ENSUREPIP:-}" ] || ! "$base" -m venv "$venv" >/dev/null 2>&1; then
      # no ensurepip (Debian without python3-venv): a venv without pip, then pip from its wheel
      rm -rf "$venv"
      "$base" -m venv --without-pip "$venv"
      cg_bootstrap_pip "$venv/bin/python" || { rm -rf "$venv"; return 1; }
    fi
  fi
  PY="$venv/bin/python"
  if ! "$PY" -m pip --version >/dev/null 2>&1; then
    cg_bootstrap_pip "$PY" || return 1
  fi
  # install only when the requirements or the package metadata changed since the last install
  local stamp="$venv/.connector-graph-installed" want
  want="$(cat "$requirements" requirements.txt pyproject.toml | "$PY" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "== installing $requirements into $venv"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$requirements" -e . || return 1
    echo "$want" > "$stamp"
  fi
}

# Install pip into the interpreter $1 from the newest pip wheel on PyPI.
cg_bootstrap_pip() {
  echo "== $1 has no pip: fetching pip's wheel from PyPI"
  "$1" - <<'PY'
import json, os, subprocess, sys, tempfile, urllib.parse, urllib.request
index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
base = index[: -len("/simple")] if index.endswith("/simple") else "https://pypi.org"
api = base + "/pypi/pip/json"
with urllib.request.urlopen(api, timeout=60) as response:
    release = json.load(response)
wheel = next(u for u in release["urls"] if u["packagetype"] == "bdist_wheel")
path = os.path.join(tempfile.mkdtemp(), wheel["filename"])
urllib.request.urlretrieve(urllib.parse.urljoin(api, wheel["url"]), path)  # a mirror may give relative links
# a wheel is a zip of importable code: run pip from it to install itself
sys.exit(subprocess.call([sys.executable, os.path.join(path, "pip"), "install", "--quiet", "--no-index", path]))
PY
}
