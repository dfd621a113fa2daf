"""Scale benchmark: the whole report from a Neo4j store, the GDS engine against the Python engine.

One command::

    python bench/scale.py [--sizes 100000,300000,1000000] [--heap 2g] [--engines gds,python] [--minutes 30]

For each size it generates the seeded synthetic city network
(``connector_graph.seed.generate``), loads it into a local Neo4j 5.26 with
OpenGDS 2.13.9 (started from ``tools/neo4j-local``, or
``CONNECTOR_GRAPH_TEST_NEO4J``), then runs ``analyse_store`` once per engine,
each in a fresh Python process, side by side in the same run:

- **gds**: the report computed inside Neo4j (``engine="gds"``);
- **python**: the store read over Bolt into networkx, then python-igraph
  (``engine="python"``), the baseline.

For each it reports the end-to-end time, the peak memory of the Python
process (its own high-water mark, ``VmHWM``), the peak proportional memory
(PSS) of that process with the workers it forks, and the peak RSS of the
Neo4j process while the report ran (both sampled every 0.2 s; Neo4j's only
known for a server this script started), with
ratios against the Python engine. Each row is one run on a shared machine. With
``--minutes`` an engine still working after that long is stopped (with its
workers) and reported as unfinished; each engine's result is also logged as
soon as it is known.
Results go to standard output and ``bench/results/scale.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

SEED = 7
TODAY = dt.date(2026, 1, 1)

#: What each measured process runs: one report, then its own peak memory. The peak is the kernel's
#: high-water mark of this program's memory (``VmHWM``), not ``ru_maxrss``: Linux carries
#: ``ru_maxrss`` over from the process that started this one (fork, then exec), so it reported the
#: benchmark's own memory (the generated network) as the report's.
CHILD = """
import json, sys, time
from connector_graph.analysis.report import analyse_store
from connector_graph.store import open_store
url, engine = sys.argv[1], sys.argv[2]
store = open_store(url)
start = time.perf_counter()
report = analyse_store(store, engine=engine)
seconds = time.perf_counter() - start
store.close()
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "rss_mb": hwm / 1024,
                  "engine": report["network"]["engine"], "actors": report["network"]["actors"],
                  "links": report["network"]["links"], "exact": report["network"]["exact"],
                  "top": [c["id"] for c in report["connectors"]]}))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, in MiB (0 when it cannot be read)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakWatcher:
    """The highest memory of a process while the ``with`` block runs, read by ``read`` (MiB) every 0.2 s."""

    def __init__(self, pid: int | None, read: Callable[[int], float] = rss_mb) -> None:
        self.pid, self.read, self.peak, self._stop = pid, read, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.read(self.pid)) if self.pid else 0.0
            self._stop.wait(0.2)

    def __enter__(self) -> "PeakWatcher":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def tree_pss_mb(pid: int) -> float:
    """Proportional memory (PSS, MiB) of a process and the workers it forked."""
    from end_to_end import _tree_memory_kb

    return _tree_memory_kb(pid)[0] / 1024


def wipe(url: str) -> None:
    """Empty the benchmark's Neo4j (a harness step, like the tests' fixture)."""
    import neo4j

    with neo4j.GraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def measure(url: str, engine: str, server_pid: int | None, minutes: float | None = None) -> dict[str, Any]:
    """One report by ``engine`` in a fresh process; stopped (with its workers) after ``minutes``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with PeakWatcher(server_pid) as neo4j_peak:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", CHILD, url, engine], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        with PeakWatcher(child.pid, tree_pss_mb) as tree:
            try:
                out, err = child.communicate(timeout=minutes * 60 if minutes else None)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)  # the report's forked workers too
                child.communicate()
                return {"engine": engine, "error": f"unfinished after {minutes:g} min, stopped",
                        "wall": minutes * 60, "tree_mb": tree.peak}
        wall = time.perf_counter() - start
    if child.returncode != 0:
        tail = err.strip().splitlines()[-1:] or ["(no output)"]
        return {"engine": engine, "error": tail[0], "wall": wall}
    row = json.loads(out.strip().splitlines()[-1])
    row.update(wall=wall, neo4j_mb=neo4j_peak.peak, tree_mb=tree.peak, asked=engine)
    log(f"{engine}: {row['seconds']:.1f} s, Python peak {row['rss_mb']:.0f} MB (with its workers, PSS "
        f"{row['tree_mb']:.0f} MB), Neo4j peak {row['neo4j_mb']:.0f} MB")
    return row


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,300000,1000000", help="comma-separated actor counts")
    parser.add_argument("--engines", default="gds,python", help="comma-separated: gds, python")
    parser.add_argument("--heap", default="2g", help="Neo4j heap for a server this script starts")
    parser.add_argument("--minutes", type=float, default=None,
                        help="stop an engine's report after this many minutes (reported as unfinished)")
    args = parser.parse_args(argv)
    import logging

    logging.getLogger("neo4j").setLevel(logging.ERROR)
    from connector_graph.seed import generate
    from connector_graph.store import open_store

    url = os.environ.get("CONNECTOR_GRAPH_TEST_NEO4J")
    server = None
    if not url:
        from neo4j_local import start_local_neo4j

        os.environ["NEO4J_LOCAL_HEAP"] = args.heap
        log(f"Starting a throwaway Neo4j with OpenGDS (heap {args.heap})...")
        server = start_local_neo4j()
        url = server.url
    pid = server.process.pid if server else None
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    lines = [
        f"Scale benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
        f"Neo4j heap {args.heap if server else '(external server)'}",
        "",
        "| actors | links | load s | engine | report s | Python peak MB | with workers, PSS MB | Neo4j peak MB | "
        "time vs python | Python memory vs python | top 10 shared |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    print("\n".join(lines), flush=True)
    notes: list[str] = []
    try:
        for size in [int(s) for s in args.sizes.split(",") if s]:
            wipe(url)
            batch = generate(size, seed=SEED, today=TODAY)
            records = sum(len(part) for part in (batch.wards, batch.people, batch.organisations, batch.ties,
                                                 batch.introductions))
            log(f"{size:,} actors: loading {records:,} records (load average {os.getloadavg()[0]:.1f})...")
            store = open_store(url)
            start = time.perf_counter()
            store.bulk_load(batch)
            load = time.perf_counter() - start
            store.close()
            note = (f"{size:,} actors: {records:,} records loaded in {load:.0f} s ({records / load:,.0f} records/s; "
                    f"load average {os.getloadavg()[0]:.1f})")
            log(note)
            notes.append(note)
            del batch
            rows = {engine: measure(url, engine, pid, args.minutes) for engine in args.engines.split(",")}
            base = rows.get("python")
            for engine, row in rows.items():
                if "error" in row:
                    tree = f"{row['tree_mb']:.0f}" if row.get("tree_mb") else ""
                    line = f"| {size:,} | | {load:.0f} | {engine} | {row['error']} | | {tree} | | | | |"
                else:
                    ok = base is not None and "error" not in base
                    ratio_t = f"{row['seconds'] / base['seconds']:.2f}" if ok else "–"
                    ratio_m = f"{row['rss_mb'] / base['rss_mb']:.2f}" if ok else "–"
                    same = f"{len(set(row['top']) & set(base['top']))}/{len(base['top'])}" if ok else "–"
                    neo = f"{row['neo4j_mb']:.0f}" if row["neo4j_mb"] else "–"
                    line = (
                        f"| {row['actors']:,} | {row['links']:,} | {load:.0f} | {row['engine']} | {row['seconds']:.1f} "
                        f"| {row['rss_mb']:.0f} | {row['tree_mb']:.0f} | {neo} | {ratio_t} | {ratio_m} | {same} |"
                    )
                print(line, flush=True)
                lines.append(line)
    finally:
        if server is not None:
            server.stop()
    (out / "scale.md").write_text("\n".join(lines + [""] + notes) + "\n")


if __name__ == "__main__":
    main()
