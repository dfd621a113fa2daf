"""Start the dashboard's server: ``python -m dashboard.serve [streamlit options]``.

The same as ``streamlit run app.py [options]``, run from the project's
folder, except that the server first loads every module the app and its
pages import at their top (:func:`page_modules`). A plain ``streamlit run``
loads them during the first page anyone opens after a restart: about a
second of that person's wait, on two cores, before anything is drawn. Here
the server pays it before it answers its first request.

Options are ``streamlit run``'s (``--server.port 8600``,
``--server.address 0.0.0.0``); ``bash scripts/run-app.sh`` passes its own
arguments on.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

from connector_graph.views.prepare import DRAWING_MODULES

__all__ = ["APP", "ALSO", "page_modules", "preload", "main"]

#: The dashboard's main script.
APP = Path(__file__).resolve().parents[1] / "app.py"
#: Loaded as well: ``st.set_page_config`` reads the page icon with Pillow, and the pages draw with these.
ALSO = ("PIL.Image", *DRAWING_MODULES)


def _imported(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:  # the top level only: imports inside functions load when they are called
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level and node.module != "__future__":
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]  # a submodule, if it is one
    return names


def page_modules(app: Path = APP) -> list[str]:
    """Every module ``app`` and the pages beside it (``dashboard/pages/*.py``) import at their top, in order.

    ``from package import name`` lists ``package.name`` too, since ``name``
    may be a submodule; :func:`preload` skips what is not a module.
    """
    scripts = [app, *sorted((app.parent / "dashboard" / "pages").glob("*.py"))]
    found: dict[str, None] = {}
    for script in scripts:
        for name in _imported(ast.parse(script.read_text(encoding="utf-8"), filename=str(script))):
            found.setdefault(name, None)
    return list(found)


def preload(names: list[str] | None = None) -> list[str]:
    """Import ``names`` (default: :func:`page_modules` and :data:`ALSO`); return those that could not load.

    A name that is an attribute and not a module (``from x import function``)
    is not an error, and neither is a missing optional library: the page that
    needs it says so when it is opened.
    """
    missing = []
    for name in names if names is not None else [*page_modules(), *ALSO]:
        if name in sys.modules:
            continue
        parent, _, leaf = name.rpartition(".")
        try:
            importlib.import_module(name)
        except ImportError:
            parent_module = sys.modules.get(parent)
            if parent_module is None or not hasattr(parent_module, leaf):
                missing.append(name)
    return missing


def main(argv: list[str] | None = None) -> None:
    """Load the pages' modules, then run ``streamlit run app.py`` with ``argv`` (default: the command line)."""
    sys.path.insert(0, str(APP.parent))  # as streamlit does for the app's own imports (dashboard, connector_graph)
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
