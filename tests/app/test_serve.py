"""The dashboard's server loads the pages' modules before its first request, and the shared results
wait for the first page run instead of slowing it."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, tmp_path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _leading_imports(path: Path) -> str:
    """The import statements at the top level of a script, as source (read here, not by the launcher)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "\n".join(ast.unparse(node) for node in tree.body
                     if isinstance(node, (ast.Import, ast.ImportFrom)) and getattr(node, "module", "") != "__future__")


def test_after_preloading_no_page_import_loads_anything(tmp_path):
    scripts = [ROOT / "app.py", *sorted((ROOT / "dashboard" / "pages").glob("*.py"))]
    assert len(scripts) == 11
    imports = {path.name: _leading_imports(path) for path in scripts}
    script = f"""
import json, sys
from dashboard.serve import preload
missing = preload()
loaded = {{}}
for name, source in {json.dumps(imports)}.items():
    before = set(sys.modules)
    exec(compile(source, name, "exec"), {{}})
    loaded[name] = sorted(set(sys.modules) - before)
print(json.dumps({{"missing": missing, "loaded": loaded, "heavy": [m for m in ("pydantic", "networkx", "pandas",
      "pyvis.network", "altair", "PIL.Image") if m in sys.modules]}}))
"""
    found = json.loads(_run(script, tmp_path).splitlines()[-1])
    assert found["missing"] == []
    assert found["loaded"] == {name: [] for name in imports}, found["loaded"]
    assert found["heavy"] == ["pydantic", "networkx", "pandas", "pyvis.network", "altair", "PIL.Image"]


def test_a_fresh_interpreter_imports_a_page_module_when_nothing_was_preloaded(tmp_path):
    """The check above can fail: without the preload, the same imports load modules."""
    source = _leading_imports(ROOT / "dashboard" / "pages" / "overview.py")
    script = f"""
import sys
before = set(sys.modules)
exec(compile({source!r}, "overview", "exec"), {{}})
print(sum(1 for m in set(sys.modules) - before if m.startswith("connector_graph")))
"""
    assert int(_run(script, tmp_path).split()[-1]) > 0


def test_the_shared_results_wait_for_the_first_page_run_to_end(tmp_path):
    script = f"""
import connector_graph.views.prepare as prep
from connector_graph.auth import acting_as
from connector_graph.store import open_store
prep.FIRST_SCREEN_WAIT = 1200.0  # longer than the test: only the end of a run lets the work start
store = open_store("sqlite:///{tmp_path / 'w.db'}")
with acting_as("someone", "admin"):
    prep.prepare(store)
waiting = not prep.prepared(store, timeout=0.5)
prep.first_screen_drawn()
print(waiting, prep.prepared(store, timeout=1200))
store.close()
"""
    assert _run(script, tmp_path).split()[-2:] == ["True", "True"]
