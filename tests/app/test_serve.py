"""The dashboard's server loads the pages' modules before its first request, and the shared results
wait for the first screen instead of slowing it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=1200, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


#: Reads the import statements at the top level of scripts (not with the launcher's code). It runs in a
#: fresh interpreter: Python 3.11.7's ast.parse can fail with "AST constructor recursion depth mismatch"
#: in a process where an earlier parse hit a RecursionError (CPython gh-106905), as some test's may have.
LEADING_IMPORTS = """
import ast, json, sys
def leading(path):
    tree = ast.parse(open(path, encoding="utf-8").read())
    return "\\n".join(ast.unparse(node) for node in tree.body
                     if isinstance(node, (ast.Import, ast.ImportFrom)) and getattr(node, "module", "") != "__future__")
print(json.dumps({path.rsplit("/", 1)[-1]: leading(path) for path in sys.argv[1:]}))
"""


def _leading_imports(*paths: Path) -> dict[str, str]:
    """Each script's top-level import statements, as source, by file name."""
    done = subprocess.run([sys.executable, "-c", LEADING_IMPORTS, *map(str, paths)], capture_output=True, text=True,
                          timeout=1200, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_after_preloading_no_page_import_loads_anything():
    scripts = [ROOT / "app.py", *sorted((ROOT / "dashboard" / "pages").glob("*.py"))]
    assert len(scripts) == 11
    imports = _leading_imports(*scripts)
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
    found = json.loads(_run(script).splitlines()[-1])
    assert found["missing"] == []
    assert found["loaded"] == {name: [] for name in imports}, found["loaded"]
    assert found["heavy"] == ["pydantic", "networkx", "pandas", "pyvis.network", "altair", "PIL.Image"]


def test_a_fresh_interpreter_imports_a_page_module_when_nothing_was_preloaded():
    """The check above can fail: without the preload, the same imports load modules."""
    source = _leading_imports(ROOT / "dashboard" / "pages" / "overview.py")["overview.py"]
    script = f"""
import sys
before = set(sys.modules)
exec(compile({source!r}, "overview", "exec"), {{}})
print(sum(1 for m in set(sys.modules) - before if m.startswith("connector_graph")))
"""
    assert int(_run(script).split()[-1]) > 0


def test_the_shared_results_wait_for_the_first_screen(tmp_path):
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
    assert _run(script).split()[-2:] == ["True", "True"]
