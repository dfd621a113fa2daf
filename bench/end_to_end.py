"""End to end: ``connector-graph analyse --json`` against a plain igraph script, as a user waits for them.

Run through ``bench/run.py --store sqlite|neo4j --sizes 20000,100000``. For
each size it seeds the synthetic city into a store (a SQLite file, or a
throwaway Neo4j 5.26 from ``tools/neo4j-local`` with a 2 GB heap, or
``--neo4j-url``), writes the same network to GraphML, and then, in rounds,
runs side by side as separate processes:

- **igraph**: ``bench/igraph_baseline.py`` (reads the GraphML file; degree,
  256-source betweenness, PageRank, multilevel communities, articulation
  points);
- **first call**: ``python -m connector_graph analyse --json --no-cache``
  (reads the whole store, analyses, writes its caches);
- **second call**: ``python -m connector_graph analyse --json`` again in a
  new process (cached projection and report);
- ``stats``, ``search`` and ``introduce`` (commands that do not analyse).

Each process's wall time and the peak memory of its whole process tree
(sampled from ``/proc`` every 50 ms: proportional set size, which counts a
page shared by forked workers once, and the summed resident sizes, which
count it in every process) are recorded, with the CPU time of the tree
(user + system; it hardly moves with load, so it compares checkouts fairly
on a shared machine) and the load average after each; the table gives medians over the
rounds and the ratio to igraph's median in the same run. ``--code DIR,DIR``
runs the ``connector_graph`` of each checkout in turn in every round (e.g.
``main`` and this one, to measure before and after a change side by side);
a checkout without ``--no-cache`` is called without it.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]

SEED = 7
TODAY = dt.date(2026, 1, 1)


def _tree_memory_kb(pid: int) -> tuple[int, int]:
    """(proportional, resident) memory of ``pid`` and all its descendants, in KiB (0 when gone).

    The proportional set size (PSS, ``/proc/PID/smaps_rollup``) shares each
    page among the processes mapping it, so forked workers that share their
    parent's pages copy-on-write are not counted again: the sum is the
    memory the whole tree really holds. The plain resident sizes (VmRSS)
    summed count every shared page once per process.
    """
    pss = rss = 0
    todo, seen = [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                        break
            try:
                with open(f"/proc/{current}/smaps_rollup") as rollup:
                    for line in rollup:
                        if line.startswith("Pss:"):
                            pss += int(line.split()[1])
                            break
            except OSError:
                pass
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(c) for c in children.read().split())
        except (OSError, ValueError):
            continue
    return pss, rss


def measure(command: list[str], *, env: dict[str, str], cwd: Path) -> tuple[float, float, float, float, str]:
    """Run ``command``; return (wall seconds, CPU seconds of its tree, peak tree PSS and peak summed RSS in MiB,
    standard output). Fails loudly.

    The CPU time (user + system of the command and every process it waited
    for, such as forked workers) hardly moves with the machine's load, so it
    compares two checkouts fairly when other work shares the cores.
    """
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_rss
        while not done.is_set():
            pss, rss = _tree_memory_kb(process.pid)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:6])}... failed ({process.returncode}): {err[-2000:]}")
    return seconds, cpu, peak / 1024, peak_rss / 1024, out


@contextmanager
def seeded_store(kind: str, size: int, folder: Path, neo4j_url: str | None,
                 log: Callable[[str], None]) -> Iterator[tuple[str, list[str]]]:
    """A store URL holding the seeded city of ``size`` actors, and three people's ids."""
    sys.path.insert(0, str(ROOT))
    from connector_graph.auth import acting_as
    from connector_graph.seed import generate
    from connector_graph.store import open_store

    with ExitStack() as stack:
        if kind == "sqlite":
            url = f"sqlite:///{folder / 'bench.db'}"
        elif neo4j_url:
            url = neo4j_url
            import neo4j

            with neo4j.GraphDatabase.driver(url, auth=None) as driver, driver.session() as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        else:
            sys.path.insert(0, str(ROOT / "tests"))
            from neo4j_local import start_local_neo4j

            os.environ.setdefault("NEO4J_LOCAL_HEAP", "2g")
            log("starting a local Neo4j 5.26 (2 GB heap)")
            server = start_local_neo4j(timeout=600)
            stack.callback(server.stop)
            url = server.url
        log(f"seeding {size:,} actors into {kind}")
        batch = generate(size, seed=SEED, today=TODAY)
        with acting_as("bench", "admin"):
            store = open_store(url)
            try:
                store.bulk_load(batch)
                ids = [p.id for p in store.list_people(limit=3)]
                from connector_graph.io.graph_files import write_graph_file
                from connector_graph.io.network import network_for_export

                write_graph_file(network_for_export(store), folder / "network.graphml", "graphml")
            finally:
                store.close()
        yield url, ids


def _supports_no_cache(python: str, env: dict[str, str], cwd: Path) -> bool:
    help_text = subprocess.run([python, "-m", "connector_graph", "analyse", "--help"], env=env, cwd=cwd,
                               capture_output=True, text=True).stdout
    return "--no-cache" in help_text


def bench_store(kind: str, size: int, *, rounds: int, codes: list[Path], neo4j_url: str | None,
                log: Callable[[str], None]) -> tuple[list[str], dict[str, float]]:
    """Markdown lines and the ratios of one store kind at one size, for each checkout in ``codes``."""
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="cg-e2e-") as name:
        folder = Path(name)
        with seeded_store(kind, size, folder, neo4j_url, log) as (url, ids):
            runs: dict[str, list[tuple[float, float, float, float]]] = {}
            jobs: list[tuple[str, list[str], dict[str, str]]] = [
                ("igraph script (GraphML in)", [python, str(ROOT / "bench" / "igraph_baseline.py"),
                                                str(folder / "network.graphml"), "--seed", str(SEED)], dict(os.environ)),
            ]
            for code in codes:
                env = {**os.environ, "PYTHONPATH": str(code), "CONNECTOR_GRAPH_STORE": url,
                       "CONNECTOR_GRAPH_CACHE_DIR": str(folder / "cache")}
                cli = [python, "-m", "connector_graph"]
                fresh = ["--no-cache"] if _supports_no_cache(python, env, folder) else []
                tag = f" [{code.name}]" if len(codes) > 1 else ""
                jobs += [
                    (f"analyse, first call{tag}", cli + ["analyse", "--json", *fresh], env),
                    (f"analyse, second call{tag}", cli + ["analyse", "--json"], env),
                    (f"stats{tag}", cli + ["stats"], env),
                    (f"search{tag}", cli + ["search", "smith"], env),
                ]
                if len(ids) == 3:  # a real write, as a connector logs one (the next round starts afresh)
                    jobs.append((f"introduce{tag}", cli + ["introduce", "--by", ids[0], "--subject", ids[1],
                                                           "--to", ids[2], "--date", "2025-12-01"], env))
            for r in range(rounds):
                for label, command, env in jobs:
                    log(f"{kind} {size:,} round {r + 1}/{rounds}: {label}")
                    seconds, cpu, peak, peak_rss, _out = measure(command, env=env, cwd=folder)
                    runs.setdefault(label, []).append((seconds, cpu, peak, peak_rss))
                    log(f"  {seconds:.2f} s ({cpu:.2f} s CPU), {peak:,.0f} MiB PSS ({peak_rss:,.0f} MiB RSS summed), "
                        f"load {os.getloadavg()[0]:.1f}")
    base = statistics.median(s for s, _c, _m, _r in runs["igraph script (GraphML in)"])
    base_cpu = statistics.median(c for _s, c, _m, _r in runs["igraph script (GraphML in)"])
    lines = ["| step | median (s) | ratio to igraph | CPU median (s) | CPU ratio | peak memory, PSS (MiB) "
             "| peak RSS summed (MiB) |", "|---|---:|---:|---:|---:|---:|---:|"]
    ratios: dict[str, float] = {}
    for label, values in runs.items():
        seconds = statistics.median(s for s, _c, _m, _r in values)
        cpu = statistics.median(c for _s, c, _m, _r in values)
        memory = max(m for _s, _c, m, _r in values)
        resident = max(r for _s, _c, _m, r in values)
        ratios[label] = seconds / base
        lines.append(f"| {label} | {seconds:.2f} | {seconds / base:.2f}x | {cpu:.2f} "
                     f"| {cpu / max(base_cpu, 1e-9):.2f}x | {memory:,.0f} | {resident:,.0f} |")
    return lines, ratios


def run(stores: list[str], sizes: list[int], *, rounds: int, codes: list[Path], neo4j_url: str | None,
        log: Callable[[str], None]) -> list[str]:
    """The whole end-to-end table set, as markdown lines."""
    lines = [
        "## connector_graph end to end: analyse against an igraph script",
        "",
        f"{dt.datetime.now().isoformat(timespec='minutes')}; code from {', '.join(map(str, codes))}; {rounds} round(s) per size, "
        "medians; ratios against the igraph script's median in the same run; peak memory of the process tree.",
        "",
    ]
    for kind in stores:
        for size in sizes:
            table, _ratios = bench_store(kind, size, rounds=rounds, codes=codes, neo4j_url=neo4j_url, log=log)
            lines += [f"### {kind}, {size:,} actors", "", *table, ""]
    return lines
