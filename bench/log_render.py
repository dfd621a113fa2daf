"""Server-side time of the logging page's script on the demo network (no browser).

One command, from the repository root::

    python bench/log_render.py [--sessions 5]

It seeds the demo network into a fresh SQLite store, tells single-user mode
who "you" are (a connector, so the follow-up list is drawn), and runs the
dashboard's logging page through Streamlit's AppTest, timing only the script
run on the server (``ScriptRunner._run_script``, from the first line of
``app.py`` to the end of the page):

- **first render in a new process**: includes importing the libraries;
- **first render of a new session**: what each new visitor costs once the
  server is warm (median of ``--sessions``);
- **rerun**: a click on the same page (median).

Results go to standard output and ``bench/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connector_graph import service  # noqa: E402
from connector_graph.auth import acting_as  # noqa: E402
from connector_graph.seed import generate  # noqa: E402
from connector_graph.store import open_store  # noqa: E402

ME = "p-000737"  # a connector in the demo network


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args()
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    times: list[float] = []
    original = script_runner.ScriptRunner._run_script

    def timed(self, *a, **k):
        start = time.perf_counter()
        try:
            return original(self, *a, **k)
        finally:
            times.append(time.perf_counter() - start)

    script_runner.ScriptRunner._run_script = timed
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        store = open_store(url)
        with acting_as("bench", "admin"):
            service.load_batch(store, generate("demo"))
        store.close()
        (Path(tmp) / "local_user.json").write_text(json.dumps({url: ME}))
        os.environ["CONNECTOR_GRAPH_STORE"] = url
        firsts, reruns = [], []
        for _ in range(args.sessions + 1):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.switch_page("dashboard/pages/log.py")
            at.run()
            assert not at.exception and [t.value for t in at.title] == ["Log an introduction"], at.exception
            firsts.append(times[-1])
            at.run()
            reruns.append(times[-1])
    lines = [
        f"log_render {dt.datetime.now():%Y-%m-%d %H:%M}  demo network, server-side script time of the logging page",
        f"  first render in a new process (imports included)  {firsts[0]:.3f} s",
        f"  first render of a new session (median of {args.sessions})      {statistics.median(firsts[1:]):.3f} s"
        f"  (max {max(firsts[1:]):.3f})",
        f"  rerun (median of {args.sessions + 1})                          {statistics.median(reruns):.3f} s"
        f"  (max {max(reruns):.3f})",
    ]
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"log_render-{dt.datetime.now():%Y%m%d-%H%M%S}.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
